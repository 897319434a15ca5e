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
