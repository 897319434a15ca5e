"""An approved change is recorded with who proposed it and who approved it, and both show
on the Audit log and in the record's history (issue 12, item 3)."""

import re

import pytest
from django.urls import reverse

from approvals.models import PendingChange
from audit.models import AuditLog
from audit.views import record_history_url
from snippets.models import ProgramStaff
from staff.roles import RoleName
from tests.admin_forms import post_edit
from tests.factories import ProgramFactory, StaffFactory

pytestmark = pytest.mark.django_db


def who_cells(html: str) -> list[str]:
    """The "Who" cell of each Audit log row, as text."""
    rows = re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>(.*?)</td>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in rows]


def test_an_approved_change_names_its_requester_and_its_approver(client):
    program = ProgramFactory(capacity_current=20)
    manager = StaffFactory(roles=[RoleName.MANAGER], first_name="Marta", last_name="Reyes")
    worker = StaffFactory(first_name="Rosa", last_name="Parkdale")
    client.force_login(manager)
    post_edit(
        client,
        program,
        {
            "capacity_current": "30",
            "staff_assignments-TOTAL_FORMS": "1",
            "staff_assignments-0-staff": str(worker.pk),
            "staff_assignments-0-id": "",
            "staff_assignments-0-ORDER": "1",
            "staff_assignments-0-DELETE": "",
        },
        action="submit",
    )
    change = PendingChange.objects.get(entity_id=program.pk)
    coordinator = StaffFactory(
        roles=[RoleName.COORDINATOR], first_name="Cora", last_name="Lindqvist"
    )
    client.force_login(coordinator)
    client.post(reverse("approvals:approve", args=[change.change_id]))

    program_row = AuditLog.objects.get(entity="program", entity_id=program.pk, action="update")
    staff_row = AuditLog.objects.get(entity="programstaff", action="create")
    for row in (program_row, staff_row):
        assert (row.changed_by, row.requested_by) == (coordinator, manager)
    assert ProgramStaff.objects.filter(program=program).exists()

    history = client.get(record_history_url(program)).content.decode()
    whole_log = client.get(reverse("audit:index")).content.decode()
    for page in (history, whole_log):
        assert "Requested by Marta Reyes Approved by Cora Lindqvist" in who_cells(page)
    found = client.get(reverse("audit:index"), {"q": "Reyes"}).content.decode()
    assert "Requested by Marta Reyes Approved by Cora Lindqvist" in who_cells(found)


def test_a_direct_change_has_no_requester(client):
    program = ProgramFactory(capacity_current=20)
    coordinator = StaffFactory(
        roles=[RoleName.COORDINATOR], first_name="Cora", last_name="Lindqvist"
    )
    client.force_login(coordinator)
    post_edit(client, program, {"capacity_current": "40"}, action="publish")

    row = AuditLog.objects.get(entity="program", entity_id=program.pk, action="update")
    assert (row.changed_by, row.requested_by) == (coordinator, None)
    # The next write in the same session is not mistaken for an approval either.
    post_edit(client, program, {"capacity_current": "41"}, action="publish")
    assert not AuditLog.objects.filter(requested_by__isnull=False).exists()
    assert who_cells(client.get(record_history_url(program)).content.decode())[0] == (
        "Cora Lindqvist"
    )
