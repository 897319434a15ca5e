"""Each rule on registry data is enforced by PostgreSQL itself: a direct invalid write
(bypassing forms) raises IntegrityError."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from snippets.models import (
    ClientProgramEnrollment,
    ClientSourceId,
    Department,
    Program,
    ProgramCapacity,
    ServiceRestriction,
)
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    DepartmentFactory,
    EnrollmentFactory,
    ProgramFactory,
    RestrictionFactory,
)

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)
        # Foreign keys are checked at commit; make them immediate so the write fails here.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_department_names_are_unique_ignoring_case():
    DepartmentFactory(name="Shelter Services")
    refused(Department.objects.create, name="shelter services")


def test_program_names_are_unique_ignoring_case():
    ProgramFactory(name="Eva's Place")
    refused(Program.objects.create, name="EVA'S PLACE", department=DepartmentFactory())


def test_program_capacity_cannot_be_negative():
    refused(
        Program.objects.create, name="Drop-in", department=DepartmentFactory(), capacity_current=-1
    )


def test_department_with_programs_cannot_be_deleted():
    program = ProgramFactory()
    refused(
        lambda: connection.cursor().execute(
            "DELETE FROM snippets_department WHERE id = %s", [program.department_id]
        )
    )
    assert Department.objects.filter(pk=program.department_id).exists()


def test_enrollment_cannot_end_before_it_starts():
    refused(
        EnrollmentFactory,
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 1, 31),
    )


def test_enrollment_may_start_and_end_the_same_day():
    enrollment = EnrollmentFactory(
        start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 2, 1)
    )
    assert ClientProgramEnrollment.objects.filter(pk=enrollment.pk).exists()


def test_concurrent_enrollments_are_allowed():
    client = ClientFactory()
    EnrollmentFactory(client=client)
    EnrollmentFactory(client=client)
    assert client.enrollments.count() == 2


def test_org_restriction_cannot_name_a_program():
    refused(RestrictionFactory, scope="org", program=ProgramFactory())


def test_program_restriction_needs_a_program():
    refused(RestrictionFactory, scope="program", program=None)


def test_restriction_scope_is_org_or_program():
    refused(RestrictionFactory, scope="building")


def test_restriction_cannot_end_before_it_starts():
    refused(
        RestrictionFactory,
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 1, 1),
    )


def test_restrictions_cannot_be_deleted_by_any_path():
    restriction = RestrictionFactory()
    with pytest.raises(IntegrityError, match="end the restriction"), transaction.atomic():
        ServiceRestriction.objects.filter(pk=restriction.pk).delete()
    with (
        pytest.raises(IntegrityError, match="kept for at least 10 years"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
        # As on any connection but the test runner's own (see settings/test.py).
        cursor.execute("SET LOCAL registry.allow_truncate = 'off'")
        cursor.execute("TRUNCATE snippets_servicerestriction CASCADE")
    assert ServiceRestriction.objects.filter(pk=restriction.pk).exists()


def test_immigration_status_must_come_from_the_list():
    refused(ClientFactory, immigration_status="tourist")
    assert ClientFactory(immigration_status="refugee_claimant").pk


def test_client_names_are_required():
    refused(ClientFactory, first_name="")


def test_source_ids_are_unique_per_source_not_globally():
    ClientSourceIdFactory(source="SMIS", uid_external="12345")
    # The same id in another system belongs to whoever that system says.
    assert ClientSourceIdFactory(source="EMH", uid_external="12345").pk
    refused(ClientSourceIdFactory, source="SMIS", uid_external="12345")


def test_one_source_id_per_client_per_source():
    existing = ClientSourceIdFactory(source="FFAI")
    refused(
        ClientSourceId.objects.create, client=existing.client, source="FFAI", uid_external="other"
    )


def test_source_names_are_capitalised_system_names():
    refused(ClientSourceIdFactory, source="smis")


def test_capacity_periods_of_a_program_cannot_overlap():
    program = ProgramFactory(capacity_history=[(40, datetime.date(2026, 1, 1), None)])
    # From the start, up to a day inside the open-ended period: overlaps.
    refused(
        ProgramCapacity.objects.create,
        program=program,
        capacity=30,
        effective_from=None,
        effective_to=datetime.date(2026, 1, 1),
    )
    # The day before is fine, and another program's periods never clash.
    ProgramCapacity.objects.create(
        program=program, capacity=30, effective_to=datetime.date(2025, 12, 31)
    )
    ProgramCapacity.objects.create(program=ProgramFactory(capacity_history=[]), capacity=5)


def test_a_capacity_period_cannot_end_before_it_starts_or_be_negative():
    program = ProgramFactory(capacity_history=[])
    refused(
        ProgramCapacity.objects.create,
        program=program,
        capacity=10,
        effective_from=datetime.date(2026, 3, 2),
        effective_to=datetime.date(2026, 3, 1),
    )
    refused(ProgramCapacity.objects.create, program=program, capacity=-1)
