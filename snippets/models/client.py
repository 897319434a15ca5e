import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Upper
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from .base import RegistryQuerySet, RegistryRecord


class ImmigrationStatus(models.TextChoices):
    """The controlled list of immigration statuses (see docs/data-dictionary.md).

    Refugee categories follow IRCC's terms, because funders report on them separately.
    """

    CANADIAN_CITIZEN = "citizen", "Canadian citizen"
    PERMANENT_RESIDENT = "permanent_resident", "Permanent resident"
    PROTECTED_PERSON = "protected_person", "Protected person (convention refugee)"
    REFUGEE_CLAIMANT = "refugee_claimant", "Refugee claimant"
    GOVERNMENT_ASSISTED_REFUGEE = "gar", "Government-assisted refugee"
    PRIVATELY_SPONSORED_REFUGEE = "psr", "Privately sponsored refugee"
    TEMPORARY_RESIDENT = "temporary_resident", "Temporary resident (work or study permit, visitor)"
    NO_STATUS = "no_status", "No status / undocumented"
    OTHER = "other", "Other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefers not to say"


# Offered in the forms; staff may type another answer, as clients self-describe.
GENDER_SUGGESTIONS = [
    "Woman",
    "Man",
    "Non-binary",
    "Two-Spirit",
    "Transgender woman",
    "Transgender man",
    "Gender fluid",
    "Questioning",
    "Prefers not to say",
]
SEXUAL_ORIENTATION_SUGGESTIONS = [
    "Straight / heterosexual",
    "Gay",
    "Lesbian",
    "Bisexual",
    "Pansexual",
    "Asexual",
    "Queer",
    "Two-Spirit",
    "Questioning",
    "Prefers not to say",
]
LANGUAGE_SUGGESTIONS = [
    "English",
    "French",
    "Mandarin",
    "Cantonese",
    "Punjabi",
    "Tamil",
    "Tagalog",
    "Spanish",
    "Portuguese",
    "Arabic",
    "Farsi",
    "Urdu",
    "Somali",
    "Tigrinya",
    "Amharic",
    "Ukrainian",
    "Russian",
    "Polish",
    "Italian",
    "Vietnamese",
    "Korean",
    "Hindi",
    "Gujarati",
    "Bengali",
    "Ojibwe",
    "Cree",
    "Inuktitut",
    "ASL",
]


CANADIAN_POSTAL_CODE = re.compile(r"^([A-Z]\d[A-Z])\s*(\d[A-Z]\d)$")


def normalise_postal_code(value: str) -> str:
    """Canadian postal codes as "A1A 1A1" (any case or spacing in); others as given."""
    value = " ".join(value.split())
    canadian = CANADIAN_POSTAL_CODE.match(value.upper())
    return f"{canadian.group(1)} {canadian.group(2)}" if canadian else value


def normalise_phone(value: str) -> str:
    """A phone number as its digits only: "(416) 555-0199" -> "4165550199"."""
    return "".join(c for c in value if c.isdigit())


class ClientQuerySet(RegistryQuerySet):
    pass


class Client(RegistryRecord):
    """A person the agency serves. Demographics are sensitive: see docs/data-handling.md."""

    first_name = models.CharField(max_length=150)
    middle_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150)
    dob = models.DateField("date of birth")
    # Contact details, also evidence for matching a returning person (identity/linkage/).
    # Canadian postal codes are stored as "A1A 1A1"; others as given. Phone: digits only.
    postal_code = models.CharField(max_length=20, blank=True)
    street_address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    gender = models.CharField(max_length=100, blank=True)
    languages = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Spoken languages; separate several with commas.",
    )
    sexual_orientation = models.CharField(max_length=100, blank=True)
    immigration_status = models.CharField(
        max_length=40, choices=ImmigrationStatus.choices, blank=True
    )
    # "FIRST LAST" in capitals, kept by PostgreSQL itself, for typo-tolerant name search
    # (a trigram index serves similarity and substring matches in either word order).
    search_name = models.GeneratedField(
        expression=Upper(Concat("first_name", models.Value(" "), "last_name")),
        output_field=models.CharField(max_length=301),
        db_persist=True,
    )
    # Demographic questions the agency adds later (DemographicQuestion) are answered here,
    # keyed by the question's key, so a new question needs no migration.
    extra_demographics = models.JSONField("other demographics", default=dict, blank=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(immigration_status="")
                | models.Q(immigration_status__in=ImmigrationStatus.values),
                name="client_immigration_status_in_list",
                violation_error_message="Choose an immigration status from the list.",
            ),
            models.CheckConstraint(
                condition=models.Q(dob__gte="1900-01-01"),
                name="client_dob_plausible",
                violation_error_message="The date of birth must be after 1900-01-01.",
            ),
            models.CheckConstraint(
                condition=~models.Q(first_name="") & ~models.Q(last_name=""),
                name="client_names_not_empty",
                violation_error_message="First and last name are required.",
            ),
        ]
        indexes = [
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="client_search_name_trgm"),
            # Covering: the daily import's likely-match search reads every client born on
            # a given day, by the thousand, from the index alone (docs/ingest.md).
            models.Index(
                fields=["dob"],
                include=["id", "first_name", "last_name", "live"],
                name="client_dob_idx",
            ),
            # The import's postal-code block: candidates living at the same postal code
            # (a new surname and a wrong birthday together are still found).
            models.Index(
                fields=["postal_code"],
                include=["id", "first_name", "last_name", "live"],
                condition=~models.Q(postal_code=""),
                name="client_postal_code_idx",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        super().clean()
        self.postal_code = normalise_postal_code(self.postal_code or "")
        self.phone = normalise_phone(self.phone or "")
        if not isinstance(self.extra_demographics, dict):
            raise ValidationError({"extra_demographics": "Other demographics must be answers."})
        questions = {q.key: q for q in DemographicQuestion.objects.all()}
        for key, answer in self.extra_demographics.items():
            question = questions.get(key)
            if question and question.choice_list and answer not in question.choice_list:
                raise ValidationError(
                    {"extra_demographics": f"“{answer}” is not an answer to “{question.label}”."}
                )


class ClientSourceId(Orderable):
    """The client's id in an outside system (SMIS, EMH, FFAI, ...): one per source."""

    client = ParentalKey(Client, on_delete=models.CASCADE, related_name="source_ids")
    source = models.CharField(
        max_length=20, help_text="The outside system, in capitals: SMIS, EMH, FFAI, ..."
    )
    uid_external = models.CharField("id in that system", max_length=100)

    class Meta(Orderable.Meta):
        verbose_name = "source id"
        indexes = [
            # Front-desk search looks an id up without knowing which system issued it.
            models.Index(fields=["uid_external"], name="source_id_uid_external"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "uid_external"],
                name="source_id_unique_per_source",
                violation_error_message="Another client already has this id in this source.",
            ),
            models.UniqueConstraint(
                fields=["client", "source"],
                name="one_source_id_per_client_per_source",
                violation_error_message="This client already has an id in this source.",
            ),
            models.CheckConstraint(
                condition=models.Q(source__regex=r"^[A-Z0-9_]+$"),
                name="source_id_source_format",
                violation_error_message="The source is a system name in capitals, such as SMIS.",
            ),
            models.CheckConstraint(
                condition=~models.Q(uid_external=""),
                name="source_id_not_empty",
                violation_error_message="The id in the source system is required.",
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.uid_external}"


class DemographicQuestion(models.Model):
    """A demographic the agency asks about beyond the built-in ones.

    Adding one shows a new field on every client form; answers are stored in
    Client.extra_demographics under ``key``.
    """

    key = models.SlugField(max_length=50, unique=True, help_text="Stored name; never change it.")
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    choices = models.TextField(
        blank=True, help_text="One answer per line for a list; leave empty for free text."
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "label"]

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
