import re

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Left, Upper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from .base import ManyRowsRecord, RegistryQuerySet, bookkeeping_indexes
from .sql import NameKey


class ImmigrationStatus(models.TextChoices):
    """The controlled list of immigration statuses (see docs/data-dictionary.md).

    Refugee categories follow IRCC's terms, because funders report on them separately.
    """

    CANADIAN_CITIZEN = "citizen", _("Canadian citizen")
    PERMANENT_RESIDENT = "permanent_resident", _("Permanent resident")
    PROTECTED_PERSON = "protected_person", _("Protected person (convention refugee)")
    REFUGEE_CLAIMANT = "refugee_claimant", _("Refugee claimant")
    GOVERNMENT_ASSISTED_REFUGEE = "gar", _("Government-assisted refugee")
    PRIVATELY_SPONSORED_REFUGEE = "psr", _("Privately sponsored refugee")
    TEMPORARY_RESIDENT = (
        "temporary_resident",
        _("Temporary resident (work or study permit, visitor)"),
    )
    NO_STATUS = "no_status", _("No status / undocumented")
    OTHER = "other", _("Other")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefers not to say")


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


# The client's own columns, declared once, in the order forms, the import file, the demo
# loader and exports use: who the client is, then their demographics. The import
# (ingest/contract.py, ingest/sql.py, ingest/services.py), the demo loader
# (snippets/demo_data.py) and the admin (snippets/viewsets.py) read these; the audit
# triggers compile every column from the model itself (audit/triggers.py). A new
# demographic column is added to the model and here. Answers to questions the agency adds
# later live in ``extra_demographics`` instead (DemographicQuestion).
CLIENT_IDENTITY_FIELDS = ("first_name", "last_name", "dob")
CLIENT_DEMOGRAPHIC_FIELDS = ("gender", "languages", "sexual_orientation", "immigration_status")
CLIENT_FIELDS = CLIENT_IDENTITY_FIELDS + CLIENT_DEMOGRAPHIC_FIELDS
# Optional evidence for recognising a returning person (identity/linkage/), imported when a
# source sends them and stored on the client; the demo loader leaves them empty.
CLIENT_MATCHING_FIELDS = ("middle_name", "postal_code", "street_address", "phone")


class SharingConsent(models.TextChoices):
    """Whether the client agreed that their record is shared across the agency's programs
    (docs/personal-data.md). "Own programs only" narrows what program staff see."""

    NOT_ASKED = "not_asked", _("Not asked yet")
    SHARED = "shared", _("Shared agency-wide")
    OWN_PROGRAMS = "own_programs", _("Own programs only")


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


class Client(ManyRowsRecord):
    """A person the agency serves. Demographics are sensitive: see docs/data-handling.md."""

    first_name = models.CharField(_("first name"), max_length=150)
    # Empty in the database by default too: the demo loader's COPY leaves these out.
    middle_name = models.CharField(
        _("middle name"), max_length=150, blank=True, default="", db_default=""
    )
    last_name = models.CharField(_("last name"), max_length=150)
    dob = models.DateField(_("date of birth"))
    # Contact details, also evidence for matching a returning person (identity/linkage/).
    # Canadian postal codes are stored as "A1A 1A1"; others as given. Phone: digits only.
    postal_code = models.CharField(
        _("postal code"), max_length=20, blank=True, default="", db_default=""
    )
    street_address = models.CharField(
        _("street address"), max_length=300, blank=True, default="", db_default=""
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, default="", db_default="")
    gender = models.CharField(_("gender"), max_length=100, blank=True)
    languages = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("Spoken languages; separate several with commas."),
    )
    sexual_orientation = models.CharField(_("sexual orientation"), max_length=100, blank=True)
    immigration_status = models.CharField(
        _("immigration status"), max_length=40, choices=ImmigrationStatus.choices, blank=True
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
    extra_demographics = models.JSONField(_("other demographics"), default=dict, blank=True)
    # Set when this record was merged into another record of the same person (identity/):
    # the record is then non-live and its pages lead to the survivor. Unmerge clears it.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_records",
        db_index=False,
    )
    sharing_consent = models.CharField(
        _("consent to share across programs"),
        max_length=20,
        choices=SharingConsent.choices,
        default=SharingConsent.NOT_ASKED,
        # Rows the import and the demo loader write in bulk get it from the database.
        db_default=SharingConsent.NOT_ASKED,
    )
    # Who recorded the consent choice, and when (kept by access.services on every change).
    sharing_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sharing consent recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sharing_consent_recorded_at = models.DateTimeField(
        _("sharing consent recorded at"), null=True, blank=True, editable=False
    )
    # Program-scoped staff see the clients they created (access/rules.py). Empty for
    # clients created by the import or before the need-to-know rule.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sharing_consent__in=SharingConsent.values),
                name="client_sharing_consent_in_list",
                violation_error_message=_("Choose a consent answer from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(immigration_status="")
                | models.Q(immigration_status__in=ImmigrationStatus.values),
                name="client_immigration_status_in_list",
                violation_error_message=_("Choose an immigration status from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(dob__gte="1900-01-01"),
                name="client_dob_plausible",
                violation_error_message=_("The date of birth must be after 1900-01-01."),
            ),
            models.CheckConstraint(
                condition=~models.Q(first_name="") & ~models.Q(last_name=""),
                name="client_names_not_empty",
                violation_error_message=_("First and last name are required."),
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")),
                name="client_not_merged_into_itself",
                violation_error_message=_("A client cannot be merged into itself."),
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
            # The daily import's exact match: name keys and date of birth (ingest/sql.py).
            # Covering what matching reads (id, live and the names), so a lookup answers
            # from the index alone instead of visiting every namesake's row; PostgreSQL only
            # answers from an expression index when the columns inside the expressions are
            # in it too, hence the names.
            models.Index(
                NameKey("last_name"),
                NameKey("first_name"),
                "dob",
                include=["id", "live", "first_name", "last_name"],
                name="client_name_key_dob",
            ),
            # The import's blocks for a typo in one name and a wrong digit of the birthday
            # together (identity/linkage/sql.py): the other name's key and a birthday in
            # the same year, or the same day of a year one digit off.
            # The other name's initial is in the key: a common first name has a hundred
            # clients born in a year at city scale, an initial leaves a few to read.
            models.Index(
                NameKey("first_name"),
                Left(NameKey("last_name"), 1),
                "dob",
                include=["id", "live", "first_name", "last_name"],
                name="client_first_key_dob",
            ),
            models.Index(
                NameKey("last_name"),
                Left(NameKey("first_name"), 1),
                "dob",
                include=["id", "live", "first_name", "last_name"],
                name="client_last_key_dob",
            ),
            # Every report excludes draft clients: the few of them, found without a scan.
            models.Index(fields=["id"], condition=models.Q(live=False), name="report_client_draft"),
            *bookkeeping_indexes("client"),
            # Few records are ever merged: only those are indexed (the survivor's record
            # lists the records merged into it).
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="client_merged_into",
            ),
            # The client list's default order (Meta.ordering): its first page reads 50
            # index entries instead of sorting a million clients.
            models.Index(fields=["last_name", "first_name"], name="client_name_order"),
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
            raise ValidationError(
                {"extra_demographics": gettext("Other demographics must be answers.")}
            )
        questions = {q.key: q for q in DemographicQuestion.objects.all()}
        # Answers to questions since removed are kept on the records that have them; a
        # key no question defines is refused anywhere else.
        stored = (
            Client.objects.filter(pk=self.pk).values_list("extra_demographics", flat=True).first()
            if self.pk
            else None
        )
        kept = set(stored) if isinstance(stored, dict) else set()
        unknown = sorted(set(self.extra_demographics) - set(questions) - kept)
        if unknown:
            raise ValidationError(
                {
                    "extra_demographics": gettext(
                        "No demographic question is called %(keys)s. Administrators add "
                        "questions under Settings › Demographic questions."
                    )
                    % {"keys": ", ".join(f"“{key}”" for key in unknown)}
                }
            )
        for key, answer in self.extra_demographics.items():
            question = questions.get(key)
            if not isinstance(answer, str):
                raise ValidationError(
                    {
                        "extra_demographics": gettext("The answer to “%(key)s” must be text.")
                        % {"key": key}
                    }
                )
            if question and question.choice_list and answer not in question.choice_list:
                raise ValidationError(
                    {
                        "extra_demographics": gettext(
                            "“%(answer)s” is not an answer to “%(question)s”."
                        )
                        % {"answer": answer, "question": question.label}
                    }
                )


class SourceSystemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class SourceSystem(models.Model):
    """An outside system whose ids the registry keeps (SMIS, EMH, FFAI, ...): the one list
    of source systems, kept by Administrators. The import, the client form's source ids and
    the demo loader read it from here."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("As the import names it, in capitals: SMIS."),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("What the agency calls the system.")
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive systems keep their ids but take no new imports."),
    )

    objects = SourceSystemQuerySet.as_manager()

    class Meta:
        verbose_name = _("source system")
        verbose_name_plural = _("source systems")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9_]+$"),
                name="source_system_code_format",
                violation_error_message=_("The code is in capitals, digits or _, such as SMIS."),
            ),
        ]
        # The other half of ClientSourceId's trigger: a system whose code clients' ids
        # name can be made inactive, never deleted or recoded.
        triggers = [
            pgtrigger.Trigger(
                name="source_system_kept_while_used",
                when=pgtrigger.Before,
                operation=pgtrigger.Delete | pgtrigger.UpdateOf("code"),
                func="""
IF EXISTS (SELECT 1 FROM snippets_clientsourceid WHERE source = OLD.code) THEN
  RAISE EXCEPTION 'Source system % has clients'' ids: make it inactive instead.', OLD.code
    USING ERRCODE = 'foreign_key_violation';
END IF;
RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
""",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.name})"


class ClientSourceId(Orderable):
    """The client's id in an outside system (SMIS, EMH, FFAI, ...): one per source."""

    client = ParentalKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="source_ids"
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        help_text=_("The outside system, in capitals: SMIS, EMH, FFAI, ..."),
    )
    uid_external = models.CharField(_("id in that system"), max_length=100)

    class Meta(Orderable.Meta):
        verbose_name_plural = _("source ids")
        verbose_name = _("source id")
        indexes = [
            # Front-desk search looks an id up without knowing which system issued it.
            models.Index(fields=["uid_external"], name="source_id_uid_external"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "uid_external"],
                name="source_id_unique_per_source",
                violation_error_message=_("Another client already has this id in this source."),
            ),
            models.UniqueConstraint(
                fields=["client", "source"],
                name="one_source_id_per_client_per_source",
                violation_error_message=_("This client already has an id in this source."),
            ),
            models.CheckConstraint(
                condition=models.Q(source__regex=r"^[A-Z0-9_]+$"),
                name="source_id_source_format",
                violation_error_message=_("The source is a system name in capitals, such as SMIS."),
            ),
            models.CheckConstraint(
                condition=~models.Q(uid_external=""),
                name="source_id_not_empty",
                violation_error_message=_("The id in the source system is required."),
            ),
        ]
        # A source id names one of the agency's source systems (SourceSystem.code). A
        # trigger rather than a ForeignKey: the column stays the plain code every caller,
        # the import's SQL and stored revisions already use, and one index probe per row
        # keeps the import's bulk INSERT cheap.
        triggers = [
            pgtrigger.Trigger(
                name="source_id_names_a_source_system",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("source"),
                func="""
IF NOT EXISTS (SELECT 1 FROM snippets_sourcesystem WHERE code = NEW.source) THEN
  RAISE EXCEPTION '% is not one of the agency''s source systems.', NEW.source
    USING ERRCODE = 'foreign_key_violation';
END IF;
RETURN NEW;
""",
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.uid_external}"

    def clean(self):
        super().clean()
        # The database refuses an unknown system too (the trigger below); this names it.
        if self.source and not SourceSystem.objects.filter(code=self.source).exists():
            raise ValidationError(
                {
                    "source": gettext("%(source)s is not one of the agency's source systems.")
                    % {"source": self.source}
                }
            )


class DemographicQuestion(models.Model):
    """A demographic the agency asks about beyond the built-in ones.

    Adding one shows a new field on every client form; answers are stored in
    Client.extra_demographics under ``key``.
    """

    key = models.SlugField(
        _("key"), max_length=50, unique=True, help_text=_("Stored name; never change it.")
    )
    label = models.CharField(_("label"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_("One answer per line for a list; leave empty for free text."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    # Sensitive answers are shown and editable only to the roles the agency grants them
    # (settings.REGISTRY_SENSITIVE_FIELDS; access/rules.py).
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        db_default=False,
        help_text=_("Answers are shown only to the roles allowed to see sensitive fields."),
    )

    class Meta:
        verbose_name = _("demographic question")
        verbose_name_plural = _("demographic questions")
        ordering = ["sort_order", "label"]

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
