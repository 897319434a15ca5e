"""factory_boy factories: what each registry record needs. Records are live (published)
unless a test asks for a draft with ``live=False``. Names are synthetic."""

import datetime

import factory

from snippets.models import (
    Client,
    ClientProgramEnrollment,
    ClientSourceId,
    Department,
    Discharge,
    Intake,
    Program,
    ProgramCapacity,
    ServiceRestriction,
)
from staff.models import Staff
from staff.services import staff_assign_roles


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Worker{n}")
    last_name = "Test"
    email = factory.Sequence(lambda n: f"worker{n}@agency.test")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            staff_assign_roles(staff=self, roles=extracted)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    live = True


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    department = factory.SubFactory(DepartmentFactory)
    location = "100 Queen St W, Toronto"
    capacity_current = 20
    live = True

    @factory.post_generation
    def capacity_history(self, create, extracted, **kwargs):
        """The capacity history, as the data migration leaves an existing program: one
        open-ended entry from ``capacity_current`` (none without a capacity). Pass
        ``capacity_history=[(capacity, from, to), ...]`` for a history of your own."""
        if not create:
            return
        entries = (
            extracted
            if extracted is not None
            else [(self.capacity_current, self.capacity_effective_date, None)]
            if self.capacity_current is not None
            else []
        )
        for index, (capacity, effective_from, effective_to) in enumerate(entries):
            ProgramCapacity.objects.create(
                program=self,
                capacity=capacity,
                effective_from=effective_from,
                effective_to=effective_to,
                sort_order=index,
            )


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Sequence(lambda n: f"Amina{n}")
    last_name = "Testperson"
    dob = datetime.date(1990, 5, 17)
    gender = "Woman"
    languages = factory.LazyFunction(lambda: ["English"])
    live = True


class ClientSourceIdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientSourceId

    client = factory.SubFactory(ClientFactory)
    source = "SMIS"
    uid_external = factory.Sequence(lambda n: f"S{n:06d}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProgramEnrollment

    client = factory.SubFactory(ClientFactory)
    program = factory.SubFactory(ProgramFactory)
    start_date = datetime.date(2026, 1, 5)
    live = True


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    client = factory.SubFactory(ClientFactory)
    program = factory.SubFactory(ProgramFactory)
    intake_date = datetime.date(2026, 1, 5)
    source_system = "SMIS"
    live = True


class DischargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discharge

    client = factory.SubFactory(ClientFactory)
    program = factory.SubFactory(ProgramFactory)
    discharge_date = datetime.date(2026, 3, 1)
    reason = "Moved to housing"
    live = True


class RestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRestriction

    client = factory.SubFactory(ClientFactory)
    scope = "org"
    start_date = datetime.date(2026, 1, 1)
    reason = "Threatened staff"
    live = True


# Possible matches (identity/), filled directly in the shape the import writes them: the
# row's cells keyed by the CSV contract's column names, as strings as read.


class IngestRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ingest.IngestRun"

    source = "SMIS"
    file_name = factory.Sequence(lambda n: f"smis-2026-03-{n % 28 + 1:02d}.csv")
    file_sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = "succeeded"


def row_values(**cells) -> dict:
    """An import row as read: every contract column, strings, empty when not given."""
    from ingest.contract import KNOWN_COLUMNS

    values = {name: "" for name in KNOWN_COLUMNS}
    values.update(
        uid_external="S-104233",
        first_name="Aminah",
        last_name="Testperson",
        dob="1990-05-17",
        gender="Woman",
        languages="English",
    )
    values.update(cells)
    return values


# The per-field evidence of a likely candidate with a first-name typo.
TYPO_EVIDENCE = [
    {"field": "last_name", "level": "exact", "weight": 7.9, "note": "rare"},
    {"field": "first_name", "level": "typo", "weight": 3.1, "note": ""},
    {"field": "dob", "level": "exact", "weight": 10.4, "note": ""},
]


class PossibleMatchFactory(factory.django.DjangoModelFactory):
    """A row of an import waiting for a person (kind=import_row)."""

    class Meta:
        model = "identity.PossibleMatch"

    kind = "import_row"
    status = "open"
    run = factory.SubFactory(IngestRunFactory)
    source = factory.SelfAttribute("run.source")
    row_number = factory.Sequence(lambda n: n + 2)
    row_key = factory.Sequence(lambda n: f"{n:032x}")
    row_values = factory.LazyFunction(row_values)
    top_score = 21.4


class PairFactory(factory.django.DjangoModelFactory):
    """Two client records that may be one person (kind=existing_client)."""

    class Meta:
        model = "identity.PossibleMatch"

    kind = "existing_client"
    status = "open"
    client = factory.SubFactory(ClientFactory)
    top_score = 18.2


class MatchCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "identity.MatchCandidate"

    possible_match = factory.SubFactory(PossibleMatchFactory)
    client = factory.SubFactory(ClientFactory)
    rank = 1
    score = 21.4
    probability = 0.93
    evidence = factory.LazyFunction(lambda: [dict(e) for e in TYPO_EVIDENCE])
