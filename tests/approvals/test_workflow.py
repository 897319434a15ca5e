"""Manager and Leader edits wait for a Coordinator: through the real admin views."""

import pytest
from django.db import connection
from django.urls import reverse

from approvals.models import ChangeStatus, PendingChange
from audit.models import AuditLog
from snippets.models import Client, Program, ProgramStaff
from staff.roles import RoleName
from tests.admin_forms import post_create, post_edit
from tests.factories import DepartmentFactory, ProgramFactory, StaffFactory

pytestmark = pytest.mark.django_db


def submit_capacity(client, program, capacity=30):
    response = post_edit(client, program, {"capacity_current": str(capacity)}, action="submit")
    assert response.status_code == 302, response.content[:2000]
    return PendingChange.objects.get(entity="program", entity_id=program.pk, status="pending")


def as_role(client, role):
    staff = StaffFactory(roles=[role])
    client.force_login(staff)
    return staff


@pytest.mark.parametrize("role", [RoleName.MANAGER, RoleName.LEADER])
def test_manager_or_leader_submission_leaves_live_data_and_opens_one_pending_change(client, role):
    program = ProgramFactory(capacity_current=20)
    requester = as_role(client, role)

    change = submit_capacity(client, program, 30)

    program.refresh_from_db()
    assert program.capacity_current == 20 and program.live
    assert PendingChange.objects.filter(entity_id=program.pk).count() == 1
    assert change.requested_by == requester
    assert change.kind == "update"
    assert change.diff_json == {"capacity_current": {"before": 20, "after": 30}}


def test_manager_saving_a_draft_leaves_live_data_untouched(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)

    response = post_edit(client, program, {"capacity_current": "99"})

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.capacity_current == 20
    assert not AuditLog.objects.filter(entity_id=program.pk, action="update").exists()


def test_manager_publish_attempt_only_saves_a_draft(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)

    post_edit(client, program, {"capacity_current": "99"}, action="publish")

    program.refresh_from_db()
    assert program.capacity_current == 20


def test_a_record_a_manager_creates_stays_non_live_until_approved(client):
    department = DepartmentFactory()
    as_role(client, RoleName.MANAGER)

    response = post_create(
        client,
        Program,
        {"name": "Night Shelter", "department": str(department.pk), "capacity_current": "12"},
        action="submit",
    )

    assert response.status_code == 302
    program = Program.objects.get(name="Night Shelter")
    assert not program.live
    assert not Program.objects.live().filter(pk=program.pk).exists()
    change = PendingChange.objects.get(entity_id=program.pk)
    assert change.kind == "create"
    assert change.diff_json["name"] == {"before": None, "after": "Night Shelter"}

    coordinator = as_role(client, RoleName.COORDINATOR)
    client.post(reverse("approvals:approve", args=[change.change_id]))

    program.refresh_from_db()
    assert program.live
    change.refresh_from_db()
    assert change.status == "approved" and change.reviewed_by == coordinator


@pytest.mark.parametrize("approver_role", [RoleName.COORDINATOR, RoleName.ADMINISTRATOR])
def test_coordinator_approval_changes_live_data_and_audits_the_approver(client, approver_role):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)

    coordinator = as_role(client, approver_role)
    detail = client.get(reverse("approvals:detail", args=[change.change_id]))
    assert detail.status_code == 200
    assert b"Current capacity" in detail.content
    response = client.post(reverse("approvals:approve", args=[change.change_id]))

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.capacity_current == 30
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.reviewed_by == coordinator and change.reviewed_at is not None
    entry = AuditLog.objects.get(entity_id=program.pk, action="update")
    assert entry.changed_by == coordinator
    assert entry.diff_json == {"capacity_current": {"before": 20, "after": 30}}


def test_decline_records_the_rationale_and_changes_nothing_live(client):
    program = ProgramFactory(capacity_current=20)
    requester = as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)
    coordinator = as_role(client, RoleName.COORDINATOR)

    client.post(reverse("approvals:decline", args=[change.change_id]), {"rationale": ""})
    change.refresh_from_db()
    assert change.status == "pending", "a decline without a rationale is refused"

    client.post(
        reverse("approvals:decline", args=[change.change_id]),
        {"rationale": "Capacity is set by the funder."},
    )

    change.refresh_from_db()
    assert change.status == ChangeStatus.DECLINED
    assert change.rationale == "Capacity is set by the funder."
    assert change.reviewed_by == coordinator
    program.refresh_from_db()
    assert program.capacity_current == 20
    assert not AuditLog.objects.filter(entity_id=program.pk, action="update").exists()

    client.force_login(requester)
    mine = client.get(reverse("approvals:mine"))
    assert b"Capacity is set by the funder." in mine.content
    assert b"Declined" in mine.content


def test_resubmission_after_decline_is_a_new_pending_change(client):
    program = ProgramFactory(capacity_current=20)
    requester = as_role(client, RoleName.MANAGER)
    first = submit_capacity(client, program, 30)
    as_role(client, RoleName.COORDINATOR)
    client.post(reverse("approvals:decline", args=[first.change_id]), {"rationale": "Too many"})

    client.force_login(requester)
    second = submit_capacity(client, program, 25)

    assert second.change_id != first.change_id
    first.refresh_from_db()
    assert first.status == "declined"
    assert second.diff_json == {"capacity_current": {"before": 20, "after": 25}}


def test_requester_cancelling_the_workflow_cancels_the_pending_change(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)

    post_edit(client, program, {}, action="cancel-workflow")

    change.refresh_from_db()
    assert change.status == ChangeStatus.CANCELLED
    program.refresh_from_db()
    assert program.capacity_current == 20


def test_coordinator_direct_publish_leaves_a_pending_change_pending(client):
    # Was "supersedes" (Wagtail cancels the workflow on publish): issue 12 asks that the
    # change stay pending, to be decided with the per-field conflict rule.
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)

    as_role(client, RoleName.COORDINATOR)
    post_edit(client, program, {"capacity_current": "40"}, action="publish")

    program.refresh_from_db()
    assert program.capacity_current == 40
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_nobody_decides_their_own_submission(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.COORDINATOR)
    change = submit_capacity(client, program, 30)

    response = client.post(reverse("approvals:approve", args=[change.change_id]), follow=True)

    assert b"another Coordinator must decide it" in response.content
    change.refresh_from_db()
    assert change.status == "pending"
    program.refresh_from_db()
    assert program.capacity_current == 20


@pytest.mark.parametrize("role", [RoleName.ANALYST, RoleName.STAFF])
def test_analyst_and_staff_writes_are_refused(client, role):
    program = ProgramFactory(capacity_current=20, name="Drop-in")
    department = DepartmentFactory()
    as_role(client, role)
    url = reverse("wagtailsnippets_snippets_program:edit", args=[program.pk])
    audit_before = AuditLog.objects.count()

    edit = client.post(url, {"name": "Renamed", "capacity_current": "99", "action-submit": "1"})
    create = client.post(
        reverse("wagtailsnippets_snippets_program:add"),
        {"name": "New", "department": str(department.pk), "action-submit": "1"},
    )

    assert edit.status_code in (302, 403) and create.status_code in (302, 403)
    program.refresh_from_db()
    assert (program.name, program.capacity_current) == ("Drop-in", 20)
    assert not Program.objects.filter(name="New").exists()
    assert not PendingChange.objects.exists()
    assert AuditLog.objects.count() == audit_before


def test_approval_merges_only_submitted_fields_over_a_later_import(client):
    program = ProgramFactory(capacity_current=20, location="Old address")
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)
    # The daily import (a direct database write) moves the program after the submission.
    Program.objects.filter(pk=program.pk).update(location="New address")

    as_role(client, RoleName.COORDINATOR)
    client.post(reverse("approvals:approve", args=[change.change_id]))

    program.refresh_from_db()
    assert (program.capacity_current, program.location) == (30, "New address")


def test_approval_is_refused_when_a_submitted_field_changed_underneath(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)
    Program.objects.filter(pk=program.pk).update(capacity_current=25)
    audit_before = AuditLog.objects.count()

    as_role(client, RoleName.COORDINATOR)
    detail = client.get(reverse("approvals:detail", args=[change.change_id]))
    assert b"Changed since the submission" in detail.content
    response = client.post(reverse("approvals:approve", args=[change.change_id]), follow=True)

    assert b"Current capacity changed in the live record" in response.content
    program.refresh_from_db()
    assert program.capacity_current == 25
    change.refresh_from_db()
    assert change.status == "pending"
    assert AuditLog.objects.count() == audit_before


def test_approval_from_wagtails_own_editor_merges_the_same_way(client):
    program = ProgramFactory(capacity_current=20, location="Old address")
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)
    Program.objects.filter(pk=program.pk).update(location="New address")

    as_role(client, RoleName.COORDINATOR)
    post_edit(
        client,
        program,
        {},
        action="workflow-action",
        extra={"workflow-action-name": "approve", "workflow-action-extra-data": "{}"},
    )

    change.refresh_from_db()
    assert change.status == "approved"
    program.refresh_from_db()
    assert (program.capacity_current, program.location) == (30, "New address")


def test_conflict_from_wagtails_own_editor_is_refused_with_its_reason(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)
    Program.objects.filter(pk=program.pk).update(capacity_current=25)

    as_role(client, RoleName.COORDINATOR)
    response = post_edit(
        client,
        program,
        {},
        action="workflow-action",
        extra={"workflow-action-name": "approve", "workflow-action-extra-data": "{}"},
    )

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "pending"
    program.refresh_from_db()
    assert program.capacity_current == 25


def test_child_rows_are_proposed_shown_by_name_and_applied(client):
    program = ProgramFactory()
    worker = StaffFactory(first_name="Rosa", last_name="Parkdale")
    as_role(client, RoleName.MANAGER)
    response = post_edit(
        client,
        program,
        {
            "staff_assignments-TOTAL_FORMS": "1",
            "staff_assignments-0-staff": str(worker.pk),
            "staff_assignments-0-is_manager": "on",
            "staff_assignments-0-id": "",
            "staff_assignments-0-ORDER": "1",
            "staff_assignments-0-DELETE": "",
        },
        action="submit",
    )
    assert response.status_code == 302
    change = PendingChange.objects.get(entity_id=program.pk)
    assert not ProgramStaff.objects.filter(program=program).exists()

    as_role(client, RoleName.COORDINATOR)
    detail = client.get(reverse("approvals:detail", args=[change.change_id]))
    assert b"Program staff" in detail.content
    assert b"Rosa Parkdale" in detail.content
    assert str(worker.pk).encode() not in detail.content
    client.post(reverse("approvals:approve", args=[change.change_id]))

    assignment = ProgramStaff.objects.get(program=program)
    assert assignment.staff == worker and assignment.is_manager
    entry = AuditLog.objects.get(entity="programstaff", action="create")
    assert entry.entity_id == program.pk


def test_approvals_is_for_coordinators_and_administrators_only(client):
    for role, allowed in [
        (RoleName.COORDINATOR, True),
        (RoleName.ADMINISTRATOR, True),
        (RoleName.MANAGER, False),
        (RoleName.LEADER, False),
        (RoleName.ANALYST, False),
        (RoleName.STAFF, False),
    ]:
        as_role(client, role)
        response = client.get(reverse("approvals:index"))
        menu = client.get(reverse("wagtailadmin_home"))
        assert (response.status_code == 200) is allowed, role
        assert (reverse("approvals:index").encode() in menu.content) is allowed, role


def test_pending_list_filters_and_is_oldest_first(client):
    first, second = ProgramFactory(name="Alpha"), ProgramFactory(name="Beta")
    manager = as_role(client, RoleName.MANAGER)
    submit_capacity(client, first)
    submit_capacity(client, second)
    with connection.cursor() as cursor:  # make the first one two weeks old
        cursor.execute(
            "UPDATE pending_changes SET requested_at = now() - interval '14 days' "
            "WHERE entity_id = %s",
            [first.pk],
        )

    as_role(client, RoleName.COORDINATOR)
    page = client.get(reverse("approvals:index")).content.decode()
    assert page.index("Alpha</a>") < page.index("Beta</a>")
    week_old = client.get(reverse("approvals:index"), {"older_than": "7"}).content.decode()
    assert "Alpha</a>" in week_old and "Beta</a>" not in week_old
    by_requester = client.get(reverse("approvals:index"), {"requested_by": str(manager.pk)})
    assert b"Beta</a>" in by_requester.content
    departments = client.get(reverse("approvals:index"), {"entity": "department"})
    assert b"Alpha</a>" not in departments.content


@pytest.mark.parametrize(
    "factory, field, value",
    [
        ("ClientFactory", "last_name", "Renamed"),
        ("DepartmentFactory", "name", "Renamed department"),
        ("EnrollmentFactory", "end_date", "2026-02-01"),
        ("IntakeFactory", "source_system", "EMH"),
        ("DischargeFactory", "reason", "Returned home"),
        ("RestrictionFactory", "reason", "Revised reason"),
    ],
)
def test_every_record_type_waits_for_a_coordinator(client, factory, field, value):
    from tests import factories

    record = getattr(factories, factory)()
    before = getattr(type(record).objects.get(pk=record.pk), field)
    manager = as_role(client, RoleName.MANAGER)
    person = record if isinstance(record, Client) else getattr(record, "client", None)
    if person is not None:  # the manager's client (need to know: tests/access/)
        Client.objects.filter(pk=person.pk).update(created_by=manager)

    response = post_edit(client, record, {field: value}, action="submit")

    assert response.status_code == 302
    assert getattr(type(record).objects.get(pk=record.pk), field) == before
    change = PendingChange.objects.get(entity_id=record.pk)
    assert list(change.diff_json) == [field]

    as_role(client, RoleName.COORDINATOR)
    client.post(reverse("approvals:approve", args=[change.change_id]))
    assert str(getattr(type(record).objects.get(pk=record.pk), field)) == value


def test_decline_from_wagtails_own_editor_needs_a_rationale(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    change = submit_capacity(client, program, 30)
    as_role(client, RoleName.COORDINATOR)

    def reject(comment):
        return post_edit(
            client,
            program,
            {},
            action="workflow-action",
            extra={
                "workflow-action-name": "reject",
                "workflow-action-extra-data": f'{{"comment": "{comment}"}}',
            },
        )

    reject("")
    change.refresh_from_db()
    assert change.status == "pending"

    reject("Not funded this year")
    change.refresh_from_db()
    assert (change.status, change.rationale) == ("declined", "Not funded this year")
    program.refresh_from_db()
    assert program.capacity_current == 20


def test_requesters_see_their_submissions_on_the_dashboard(client):
    program = ProgramFactory(name="Eastside Drop-in")
    as_role(client, RoleName.LEADER)
    submit_capacity(client, program, 30)

    dashboard = client.get(reverse("wagtailadmin_home"))

    assert b"My submissions" in dashboard.content
    assert b"Eastside Drop-in" in dashboard.content
    assert b"Pending" in dashboard.content


def test_an_import_after_a_saved_draft_is_not_undone_by_its_approval(client):
    program = ProgramFactory(capacity_current=20, location="Old address")
    # Published through Wagtail once, so the record has a live revision.
    program.save_revision().publish()
    requester = as_role(client, RoleName.MANAGER)
    post_edit(client, program, {"capacity_current": "30"})  # a draft, kept for later
    Program.objects.filter(pk=program.pk).update(location="New address")  # the import

    client.force_login(requester)
    change = submit_capacity(client, program, 30)

    assert list(change.diff_json) == ["capacity_current"]
    as_role(client, RoleName.COORDINATOR)
    client.post(reverse("approvals:approve", args=[change.change_id]))
    program.refresh_from_db()
    assert (program.capacity_current, program.location) == (30, "New address")
