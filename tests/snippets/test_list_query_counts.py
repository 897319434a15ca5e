"""Every admin list and record page runs a fixed number of SQL queries, however many rows
it shows: a page of 2 rows and a page of 30 run the same queries, and neither passes the
pinned ceiling. A per-row lookup (an N+1) makes the bigger page cost more and fails.

The ceilings are the counts measured when they were pinned; bench_admin_pages prints the
same counts at city scale.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import PendingChange
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def snippet_list(model_name):
    return reverse(f"wagtailsnippets_snippets_{model_name}:list")


def _clients(n):
    return ClientFactory.create_batch(n)


def _programs(n):
    department = DepartmentFactory()
    programs = ProgramFactory.create_batch(n, department=department)
    for program in programs:
        EnrollmentFactory(program=program, start_date=TODAY - datetime.timedelta(days=3))
    return programs


def _departments(n):
    return DepartmentFactory.create_batch(n)


def _enrollments(n):
    return [EnrollmentFactory(start_date=TODAY - datetime.timedelta(days=i)) for i in range(n)]


def _intakes(n):
    return IntakeFactory.create_batch(n)


def _discharges(n):
    return DischargeFactory.create_batch(n)


def _restrictions(n):
    program = ProgramFactory()
    return [
        RestrictionFactory(scope="program" if i % 2 else "org", program=program if i % 2 else None)
        for i in range(n)
    ]


def _pending_changes(n):
    manager = StaffFactory(roles=[RoleName.MANAGER])
    return [
        PendingChange.objects.create(
            entity="program",
            entity_id=program.pk,
            kind="update",
            diff_json={"capacity_current": {"before": 20, "after": 30}},
            requested_by=manager,
        )
        for program in ProgramFactory.create_batch(n)
    ]


def _audit_rows(n):
    # Each enrollment writes one audit row naming its client and program.
    return _enrollments(n)


# (screen, URL, make rows, most queries allowed for a page however long, the test's own
# four savepoint statements included). Counted from a person's second page on: the first
# also builds their sidebar (staff/admin_frame.py: eight queries, then one a page to check
# that nothing it shows has changed).
LISTS = [
    # Every list reads the reader's need-to-know scope once (roles, program and department
    # assignments, confidential programs: four queries, access/selectors.py).
    # Clients: one more for the restrictions in force today on the page's rows; no program
    # drop-down (a chooser) and no moderation state (no column of it shows it).
    ("clients", lambda: snippet_list("client"), _clients, 20),
    ("programs", lambda: snippet_list("program"), _programs, 17),
    ("departments", lambda: snippet_list("department"), _departments, 16),
    ("enrollments", lambda: snippet_list("clientprogramenrollment"), _enrollments, 21),
    ("intakes", lambda: snippet_list("intake"), _intakes, 21),
    ("discharges", lambda: snippet_list("discharge"), _discharges, 21),
    ("restrictions", lambda: snippet_list("servicerestriction"), _restrictions, 21),
    # Approvals and the Audit log also name who requested each approved change (one query).
    # Approvals and the Audit log apply the need-to-know rule to their rows too (one query
    # more, whatever the page's length).
    ("approvals", lambda: reverse("approvals:index"), _pending_changes, 20),
    ("audit log", lambda: reverse("audit:index"), _audit_rows, 22),
]


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    return len([sql for sql in sqls if "SAVEPOINT" not in sql]), response


@pytest.mark.parametrize("name, url, make, ceiling", LISTS, ids=[row[0] for row in LISTS])
def test_a_list_costs_the_same_queries_for_2_rows_as_for_30(
    client, login, django_assert_max_num_queries, name, url, make, ceiling
):
    login(RoleName.COORDINATOR)
    make(2)
    client.get(url())  # a person's first page builds their sidebar (staff/admin_frame.py)
    few, _ = queries_for(client, url())
    make(28)
    many, response = queries_for(client, url())

    assert many == few, f"{name}: {few} queries for 2 rows, {many} for 30 (a query per row)"
    with django_assert_max_num_queries(ceiling):
        client.get(url())
    assert response.status_code == 200


def test_a_client_record_costs_the_same_queries_however_many_records_it_lists(client, login):
    login(RoleName.COORDINATOR)
    person = ClientFactory()
    url = reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk])

    def add_records(n):
        for i in range(n):
            EnrollmentFactory(client=person, start_date=TODAY - datetime.timedelta(days=i))
            IntakeFactory(client=person)
            DischargeFactory(client=person)
            RestrictionFactory(client=person, start_date=TODAY - datetime.timedelta(days=400 + i))

    add_records(1)
    client.get(url)  # the first visit of a session may look up more (tested below: 2nd)
    few, _ = queries_for(client, url)
    add_records(15)
    many, response = queries_for(client, url)

    assert many == few
    assert many <= 40
    assert response.content.decode().count("/admin/snippets/snippets/intake/inspect/") >= 16


def test_a_program_page_costs_the_same_queries_however_many_are_enrolled(client, login):
    login(RoleName.COORDINATOR)
    program = ProgramFactory(capacity_current=100)
    url = reverse("wagtailsnippets_snippets_program:inspect", args=[program.pk])
    EnrollmentFactory.create_batch(2, program=program, start_date=TODAY)
    client.get(url)  # a person's first page builds their sidebar (staff/admin_frame.py)
    few, _ = queries_for(client, url)
    EnrollmentFactory.create_batch(20, program=program, start_date=TODAY)
    many, response = queries_for(client, url)

    assert many == few
    assert many <= 30
    assert "22" in response.content.decode()  # enrolled today


def test_a_list_past_the_exact_limit_shows_an_estimate_and_pages_in_reach(
    client, login, monkeypatch
):
    from snippets import pagination

    monkeypatch.setattr(pagination, "EXACT_UP_TO", 5)
    login(RoleName.COORDINATOR)
    ClientFactory.create_batch(8)

    page = client.get(snippet_list("client")).content.decode()

    assert "About " in page and " clients" in page
    assert "Part 1 of" not in page
    assert "Part 1" in page


def test_a_list_under_the_exact_limit_counts_exactly(client, login):
    login(RoleName.COORDINATOR)
    ClientFactory.create_batch(3)

    page = client.get(snippet_list("client"), {"live": "true"}).content.decode()

    assert "There are 3 matches" in page
    assert "Part 1 of 1" in page


# Program-scoped readers (issue 13): the lists apply the need-to-know rule in one of two
# forms (access/selectors.py, in_scope_filter): a small scope by its clients' ids, read
# first; a large one by probing each row. Either way the same queries for 2 rows as for 30.


def _served_clients(program, n):
    """``n`` clients enrolled in ``program`` lately, each with an intake, a discharge and
    a restriction there: in the scope of the program's staff, on every list."""
    for i in range(n):
        person = ClientFactory(last_name=f"Scoped{i:02d}")
        EnrollmentFactory(client=person, program=program, start_date=TODAY - datetime.timedelta(i))
        IntakeFactory(client=person, program=program, intake_date=TODAY - datetime.timedelta(i))
        DischargeFactory(client=person, program=program, discharge_date=TODAY)
        RestrictionFactory(client=person, scope="program", program=program, start_date=TODAY)


SCOPED_LISTS = [
    # (list, model, most queries allowed): at most the Coordinator's ceilings above plus
    # the reader's scope (their programs, then the scope's client ids in either form).
    ("clients", "client", 22),
    ("enrollments", "clientprogramenrollment", 22),
    ("intakes", "intake", 22),
    ("discharges", "discharge", 22),
    ("restrictions", "servicerestriction", 22),
]


@pytest.mark.parametrize("form", ["client ids", "probed"])
@pytest.mark.parametrize("reader", [RoleName.STAFF, RoleName.LEADER])
@pytest.mark.parametrize("name, model, ceiling", SCOPED_LISTS, ids=[r[0] for r in SCOPED_LISTS])
def test_a_scoped_readers_list_costs_the_same_queries_for_2_rows_as_for_30(
    client, monkeypatch, django_assert_max_num_queries, name, model, ceiling, reader, form
):
    from access import selectors as access_selectors
    from snippets.models import DepartmentStaff, ProgramStaff

    if form == "probed":
        # A scope larger than the list reads ids of first (a department of 160,000).
        monkeypatch.setattr(access_selectors, "SCOPE_ROWS_UP_TO", 1)
    program = ProgramFactory()
    staff = StaffFactory(roles=[reader])
    if reader == RoleName.LEADER:
        DepartmentStaff.objects.create(department=program.department, staff=staff)
    else:
        ProgramStaff.objects.create(program=program, staff=staff)
    ClientFactory.create_batch(5, last_name="Elsewhere")  # out of scope: never listed
    client.force_login(staff)
    url = snippet_list(model)

    # A person's first page builds their sidebar (cached after): count from the second.
    client.get(url)
    _served_clients(program, 2)
    few, _ = queries_for(client, url)
    _served_clients(program, 28)
    many, response = queries_for(client, url)

    assert many == few, f"{name}: {few} queries for 2 rows, {many} for 30 (a query per row)"
    with django_assert_max_num_queries(ceiling):
        client.get(url)
    page = response.content.decode()
    assert page.count("Scoped") >= 30 and "Elsewhere" not in page
