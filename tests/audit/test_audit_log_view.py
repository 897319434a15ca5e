"""The Audit Log screen: who may see it, readable diffs, filters, keyset pages, and a
record's history one click from the record."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.context import acting_as
from audit.models import AuditLog
from audit.selectors import audit_entries_filtered
from snippets.models import Program
from staff.roles import RoleName
from tests.factories import DepartmentFactory, ProgramFactory, StaffFactory

pytestmark = pytest.mark.django_db

AUDIT_URL = "/admin/audit/"


@pytest.mark.parametrize(
    "role, allowed",
    [
        (RoleName.ADMINISTRATOR, True),
        (RoleName.COORDINATOR, True),
        (RoleName.MANAGER, False),
        (RoleName.LEADER, False),
        (RoleName.STAFF, False),
        (RoleName.ANALYST, False),
    ],
)
def test_audit_log_is_for_administrators_and_coordinators_only(client, login, role, allowed):
    login(role)
    assert reverse("audit:index") == AUDIT_URL
    response = client.get(AUDIT_URL)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert (response.status_code == 200) is allowed
    assert (AUDIT_URL.encode() in dashboard.content) is allowed


def test_diff_reads_with_labels_and_names_not_columns_and_uuids(client, login):
    program = ProgramFactory(capacity_current=20, department=DepartmentFactory(name="Housing"))
    other = DepartmentFactory(name="Youth Services")
    editor = StaffFactory(first_name="Ines", last_name="Okafor")
    with acting_as(editor):
        Program.objects.filter(pk=program.pk).update(capacity_current=25, department=other)
    login(RoleName.COORDINATOR)

    page = client.get(AUDIT_URL, {"record": str(program.pk), "action": "update"}).content.decode()

    assert "Current capacity" in page and "capacity_current" not in page
    assert "Housing" in page and "Youth Services" in page
    assert str(other.pk) not in page
    assert "Ines Okafor" in page


def test_filters_by_type_user_system_action_dates_and_search(client, login):
    editor = StaffFactory(first_name="Ines", last_name="Okafor")
    with acting_as(editor):
        edited = ProgramFactory(name="Harbour Shelter")
    by_system = ProgramFactory(name="Ridge Drop-in")
    AuditLog.objects.create(
        entity="program",
        entity_id=by_system.pk,
        row_id=str(by_system.pk),
        action="update",
        changed_at=timezone.now() - datetime.timedelta(days=40),
        diff_json={"location": {"before": "A", "after": "B"}},
    )
    login(RoleName.COORDINATOR)

    def shown(**params):
        page = client.get(AUDIT_URL, params).content.decode()
        return {name for name in ("Harbour Shelter", "Ridge Drop-in") if name + "</a>" in page}

    assert shown(changed_by=str(editor.pk)) == {"Harbour Shelter"}
    assert shown(changed_by="system", entity="program") == {"Ridge Drop-in"}
    assert shown(entity="department", q="Harbour") == set()
    assert shown(q="Okafor") == {"Harbour Shelter"}
    assert shown(q="Ridge Drop") == {"Ridge Drop-in"}
    assert shown(q=str(edited.pk)) == {"Harbour Shelter"}
    month_ago = (timezone.localdate() - datetime.timedelta(days=41)).isoformat()
    weeks_ago = (timezone.localdate() - datetime.timedelta(days=39)).isoformat()
    assert shown(date_from=month_ago, date_to=weeks_ago) == {"Ridge Drop-in"}
    assert shown(action="delete") == set()


def test_search_looks_in_values_at_any_depth_but_not_in_column_names(client, login):
    record = ProgramFactory(name="Harbour Shelter")
    AuditLog.objects.create(
        entity="program",
        entity_id=record.pk,
        row_id=str(record.pk),
        action="update",
        diff_json={
            "location": {"before": ["12 Queen St"], "after": ["12 Queen St", "40 Bay St"]},
            "notes": {"before": None, "after": {"access": "Wheelchair ramp"}},
            "opened_on": {"before": "2019-04-01", "after": "2019-05-01"},
            "capacity_current": {"before": 31, "after": 347},
        },
    )
    login(RoleName.COORDINATOR)

    def found(term):
        page = client.get(AUDIT_URL, {"q": term, "action": "update"}).content.decode()
        return "Harbour Shelter</a>" in page

    # Inside a list, inside a nested answer, a number; any case.
    assert found("bay st") and found("WHEELCHAIR") and found("347")
    # Column names are in every row and would match everything; dates are found with the
    # date filters and the record's history.
    assert not found("capacity_current") and not found("opened_on") and not found("2019-05")
    assert not found("Yonge St")


def test_search_inside_values_is_answered_by_its_index(db):
    # The index and the search share SearchableValues; if they ever differ, every search
    # reads the whole audit log.
    # Unordered: with "newest first" the planner may walk the time index and filter as it
    # goes, which on a test database this small says nothing about the search's index.
    queryset = audit_entries_filtered(search="Harbour").order_by().values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_words_trgm" in plan


def test_pages_follow_each_other_without_gaps_or_repeats(client, login):
    program = ProgramFactory(capacity_current=0)
    for capacity in range(1, 121):
        Program.objects.filter(pk=program.pk).update(capacity_current=capacity)
    login(RoleName.COORDINATOR)

    seen = []
    response = client.get(AUDIT_URL, {"record": str(program.pk), "action": "update"})
    while True:
        page = response.content.decode()
        seen += [int(v) for v in re.findall(r"<del>(\d+)</del>", page)]
        older = re.search(r'rel="next" href="\?([^"]+)"', page)
        if not older:
            break
        response = client.get(AUDIT_URL + "?" + older.group(1).replace("&amp;", "&"))

    assert seen == list(range(119, -1, -1)), "newest first, every change exactly once"
    newer = re.search(r'rel="prev" href="\?([^"]+)"', page)
    back = client.get(AUDIT_URL + "?" + newer.group(1).replace("&amp;", "&")).content.decode()
    assert [int(v) for v in re.findall(r"<del>(\d+)</del>", back)][-1] == 20


def test_a_records_history_is_one_click_from_the_record(client, login):
    program = ProgramFactory()
    login(RoleName.COORDINATOR)
    edit_page = client.get(reverse("wagtailsnippets_snippets_program:edit", args=[program.pk]))
    link = f"{AUDIT_URL}?record={program.pk}"
    assert link.encode() in edit_page.content
    inspect_page = client.get(
        reverse("wagtailsnippets_snippets_program:inspect", args=[program.pk])
    )
    assert link.encode() in inspect_page.content

    history = client.get(link).content.decode()
    assert "Created program" in history

    login(RoleName.MANAGER)
    manager_page = client.get(reverse("wagtailsnippets_snippets_program:edit", args=[program.pk]))
    assert link.encode() not in manager_page.content
