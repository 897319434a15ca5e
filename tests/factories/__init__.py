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

    name = factory.Sequence(lambda n: f"Program {n}")
    department = factory.SubFactory(DepartmentFactory)
    location = "100 Queen St W, Toronto"
    capacity_current = 20
    live = True


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
