"""Every write to a registry table, by any path, leaves exactly one audit row in the same
transaction, naming the acting staff member (or the system); the audit log is
append-only, enforced by PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.context import acting_as
from audit.models import AuditLog
from snippets.models import Client, ClientSourceId, Program, ProgramCapacity, ProgramStaff
from staff.roles import RoleName
from tests.admin_forms import post_edit
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def history(record):
    return list(AuditLog.objects.filter(entity_id=record.pk).order_by("changed_at"))


def test_coordinator_direct_edit_in_the_admin_is_audited_as_theirs(client):
    program = ProgramFactory(capacity_current=20)
    coordinator = StaffFactory(roles=[RoleName.COORDINATOR])
    client.force_login(coordinator)

    post_edit(client, program, {"capacity_current": "25"}, action="publish")

    (entry,) = [e for e in history(program) if e.action == "update"]
    assert entry.changed_by == coordinator
    assert entry.entity == "program"
    assert entry.diff_json == {"capacity_current": {"before": 20, "after": 25}}


def test_create_and_delete_are_audited_with_before_and_after():
    program = ProgramFactory(name="Warming Centre")
    created = history(program)[0]
    assert created.action == "create"
    assert created.diff_json["name"] == {"before": None, "after": "Warming Centre"}

    assignment = ProgramStaff.objects.create(program=program, staff=StaffFactory())
    assignment_id = assignment.pk
    assignment.delete()
    deleted = AuditLog.objects.get(entity="programstaff", action="delete")
    assert deleted.entity_id == program.pk
    assert deleted.row_id == str(assignment_id)
    assert deleted.diff_json["is_manager"] == {"before": False, "after": None}


def test_management_shell_write_is_recorded_as_the_systems():
    client_record = ClientFactory(last_name="Before")

    call_command(
        "shell",
        command=(
            "from snippets.models import Client; "
            f"c = Client.objects.get(pk='{client_record.pk}'); c.last_name = 'After'; c.save()"
        ),
    )

    (entry,) = [e for e in history(client_record) if e.action == "update"]
    assert entry.changed_by is None
    assert entry.diff_json == {"last_name": {"before": "Before", "after": "After"}}


def test_bulk_orm_update_writes_one_row_per_changed_record():
    programs = [ProgramFactory(location="Old") for _ in range(3)]
    staff = StaffFactory()

    with acting_as(staff):
        updated = Program.objects.filter(pk__in=[p.pk for p in programs]).update(location="New")

    assert updated == 3
    entries = AuditLog.objects.filter(entity="program", action="update")
    assert entries.count() == 3
    assert {e.entity_id for e in entries} == {p.pk for p in programs}
    assert {e.changed_by_id for e in entries} == {staff.pk}


def test_raw_sql_is_audited_too():
    source_id = ClientSourceIdFactory(uid_external="S000001")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE snippets_clientsourceid SET uid_external = 'S000002' WHERE id = %s",
            [source_id.pk],
        )

    entry = AuditLog.objects.get(entity="clientsourceid", action="update")
    assert entry.entity_id == source_id.client_id
    assert entry.diff_json == {"uid_external": {"before": "S000001", "after": "S000002"}}


def test_a_write_that_rolls_back_leaves_no_audit_row():
    before = AuditLog.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        ClientFactory()
        raise RuntimeError("the import failed half-way")
    assert AuditLog.objects.count() == before


def test_saving_without_a_data_change_writes_no_audit_row():
    program = ProgramFactory()
    before = AuditLog.objects.count()
    program.save()  # only updated_at moves
    Program.objects.filter(pk=program.pk).update(locked=True)  # Wagtail's bookkeeping
    assert AuditLog.objects.count() == before


def test_acting_as_restores_the_outer_actor():
    outer, inner = StaffFactory(), StaffFactory()
    with acting_as(outer):
        with acting_as(inner):
            first = ClientFactory()
        second = ClientFactory()
    assert history(first)[0].changed_by == inner
    assert history(second)[0].changed_by == outer


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET changed_by_id = NULL",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
def test_the_audit_log_refuses_update_delete_and_truncate(statement):
    ClientFactory()
    before = list(AuditLog.objects.values_list("audit_id", "changed_by_id", "diff_json"))

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Settle the deferred foreign-key checks first: TRUNCATE refuses to run while
        # they are pending, which would hide the refusal under test.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # As on any connection but the test runner's own (see settings/test.py).
        cursor.execute("SET LOCAL registry.allow_truncate = 'off'")
        cursor.execute(statement)

    after = list(AuditLog.objects.values_list("audit_id", "changed_by_id", "diff_json"))
    assert after == before


def test_the_orm_cannot_edit_or_delete_audit_rows_either():
    ClientFactory()
    entry = AuditLog.objects.first()
    entry.diff_json = {}
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all().delete()


def test_every_registry_table_carries_the_audit_triggers():
    audited = {}
    with connection.cursor() as cursor:
        for name in ("audit_inserts", "audit_updates", "audit_deletes"):
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgname LIKE %s AND NOT tgisinternal",
                [f"pgtrigger_{name}_%"],
            )
            audited[name] = {row[0] for row in cursor.fetchall()}
    assert audited["audit_inserts"] == audited["audit_updates"] == audited["audit_deletes"]
    audited = audited["audit_inserts"]
    registry_tables = {
        m._meta.db_table
        for m in [Client, ClientSourceId, Program, ProgramStaff, ProgramCapacity]
        + [type(RestrictionFactory.build())]
    }
    assert registry_tables <= audited
    # The registry's twelve tables, and identity's possible matches and merges.
    assert len(audited) == 14


def test_approval_write_is_audited_as_the_approver(client):
    """Covered in depth in tests/approvals; here: the approval path's row names the approver."""
    program = ProgramFactory(capacity_current=20)
    client.force_login(StaffFactory(roles=[RoleName.MANAGER]))
    post_edit(client, program, {"capacity_current": "21"}, action="submit")
    coordinator = StaffFactory(roles=[RoleName.COORDINATOR])
    client.force_login(coordinator)
    change_id = (
        program.pk
        and __import__("approvals.models").models.PendingChange.objects.get(entity_id=program.pk).pk
    )

    client.post(reverse("approvals:approve", args=[change_id]))

    (entry,) = [e for e in history(program) if e.action == "update"]
    assert entry.changed_by == coordinator


def test_synthetic_demo_loads_can_skip_auditing_even_through_copy():
    from audit.context import audit_suspended_for_synthetic_data

    department = ProgramFactory().department
    before = AuditLog.objects.count()
    with audit_suspended_for_synthetic_data(), connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        with raw.copy(
            "COPY snippets_program (id, name, department_id, location, live, "
            "has_unpublished_changes, locked, expired, created_at, updated_at) FROM STDIN"
        ) as copy:
            copy.write_row(
                (
                    "6f1c0c7e-0000-4000-8000-000000000001",
                    "Synthetic",
                    department.pk,
                    "",
                    True,
                    False,
                    False,
                    False,
                    "2026-01-01",
                    "2026-01-01",
                )
            )
    assert Program.objects.filter(name="Synthetic").exists()
    assert AuditLog.objects.count() == before

    ProgramFactory(name="Real", department=department, capacity_history=[])  # audited again
    assert AuditLog.objects.count() == before + 1
