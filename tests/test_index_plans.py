"""The indexes the registry's features depend on are the ones PostgreSQL uses for them.

Each test runs a feature through its own entry point (the report selectors, the daily
import command, the client search), captures the SQL it sent, and asks PostgreSQL for the
plan of each statement (EXPLAIN, which plans without running it) with sequential scans
priced out (``enable_seqscan = off``: on a test-sized table a scan is otherwise cheaper than
any index, where at city scale it is not). The test asserts the named index is in a plan, so
dropping the index, or changing the feature's SQL so the index no longer serves it, fails
here. Which feature needs which index: docs/schema.md.
"""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from access import selectors as access_selectors
from reports.selectors import org_summary, org_summary_from_enrollments, vacancy_tracker
from snippets.models import Client, ClientProgramEnrollment, DepartmentStaff, Discharge, Intake
from snippets.selectors import client_search
from staff.roles import RoleName
from staff.services import roles_ensure
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
    StaffFactory,
)
from tests.ingest.conftest import csv_text

pytestmark = pytest.mark.django_db

# Statements with a plan to look at ("(": a UNION); the import's COPY, DDL, ANALYZE and
# SET have none.
PLANNED = ("SELECT", "WITH", "UPDATE", "INSERT", "DELETE", "(")
CLIENT_LIST = "wagtailsnippets_snippets_client:list"


def _index_names(plan: dict) -> set[str]:
    names = {plan["Index Name"]} if "Index Name" in plan else set()
    for child in plan.get("Plans", ()):
        names |= _index_names(child)
    return names


def _index_only_names(plan: dict) -> set[str]:
    """The indexes ``plan`` reads without visiting the table (Index Only Scan)."""
    names = {plan["Index Name"]} if plan.get("Node Type") == "Index Only Scan" else set()
    for child in plan.get("Plans", ()):
        names |= _index_only_names(child)
    return names


class PlanRecorder:
    """An execute wrapper that asks for the plan of each statement just before it runs, on
    the same cursor with the same parameters (so the import's temporary tables exist), and
    collects the index names in those plans (and the plans)."""

    def __init__(self):
        self.used: set[str] = set()
        self.plans: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        if not many and sql.lstrip().upper().startswith(PLANNED):
            cursor = context["cursor"]
            # In a savepoint: a string of several statements has no single plan, and a
            # failed EXPLAIN must not abort the feature's transaction.
            cursor.execute("SAVEPOINT index_plan")
            try:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                (plan,) = cursor.fetchone()
                plan = json.loads(plan) if isinstance(plan, str) else plan
                self.used |= _index_names(plan[0]["Plan"])
                self.plans.append(plan[0]["Plan"])
            except Exception:
                cursor.execute("ROLLBACK TO SAVEPOINT index_plan")
            else:
                cursor.execute("RELEASE SAVEPOINT index_plan")
        return execute(sql, params, many, context)


def feature_indexes(feature) -> set[str]:
    """Run ``feature()`` with sequential scans priced out; the indexes its SQL's plans use."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
    recorder = PlanRecorder()
    with connection.execute_wrapper(recorder):
        feature()
    return recorder.used


@pytest.fixture
def enrollments():
    """A program with open, ended and future enrollments, among many that ended years ago
    (as most of a registry's enrollments have: what the span index leaves out)."""
    program = ProgramFactory(name="Eva's Place", capacity_current=20)
    old = [ProgramFactory(name=f"Program {n}") for n in range(5)]
    clients = Client.objects.bulk_create(ClientFactory.build() for _ in range(100))
    ClientProgramEnrollment.objects.bulk_create(
        EnrollmentFactory.build(
            client=clients[n % 100],
            program=old[n % 5],
            start_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=n),
            end_date=datetime.date(2010, 3, 1) + datetime.timedelta(days=n),
        )
        for n in range(3000)
    )
    # Intakes and discharges likewise: years of them, and one of each in 2026.
    for model, factory, date_field in (
        (Intake, IntakeFactory, "intake_date"),
        (Discharge, DischargeFactory, "discharge_date"),
    ):
        model.objects.bulk_create(
            factory.build(
                client=clients[n % 100],
                program=old[n % 5],
                **{date_field: datetime.date(2010, 1, 1) + datetime.timedelta(days=n)},
            )
            for n in range(3000)
        )
        factory(client=clients[0], program=program, **{date_field: datetime.date(2026, 2, 1)})
    for start, end in [
        (datetime.date(2025, 1, 5), None),
        (datetime.date(2025, 3, 1), datetime.date(2025, 9, 30)),
        (datetime.date(2026, 2, 1), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 6, 1), None),
    ]:
        EnrollmentFactory(program=program, start_date=start, end_date=end)
    return program


def test_the_org_summary_counts_people_served_through_the_served_interval_index(enrollments):
    used = feature_indexes(
        lambda: org_summary(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 3, 31))
    )
    # The served intervals (reports/served.py): one range of their span index per scope.
    assert "served_interval_span" in used, used
    assert "report_enrollment_span" not in used, used
    # What it is checked against, counting the enrollments, reads the enrollment span index.
    counting = feature_indexes(
        lambda: org_summary_from_enrollments(
            date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 3, 31)
        )
    )
    assert "report_enrollment_span" in counting, counting
    # Its intakes and discharges of the period come from an index on their date: the
    # covering report_* ones at city scale; on a test database this small the planner may as
    # well walk the lists' newest-first indexes on the same column.
    assert used & {"report_intake_date", "intake_newest"}, used
    assert used & {"report_discharge_date", "discharge_newest"}, used


def test_the_vacancy_tracker_counts_occupied_places_through_the_enrollment_span_index(
    enrollments,
):
    used = feature_indexes(lambda: vacancy_tracker(as_of=datetime.date(2026, 3, 1)))
    assert "report_enrollment_span" in used, used


def test_the_daily_import_matches_names_through_the_name_key_index(tmp_path):
    program = ProgramFactory(name="Eva's Place")
    # Many people born on one day: found by the date alone, matching would read them all.
    Client.objects.bulk_create(
        ClientFactory.build(first_name=f"Person{n}", last_name=f"Family{n}") for n in range(300)
    )
    ClientFactory(first_name="Amina", last_name="Yusuf")
    path = tmp_path / "smis-2026-11-27.csv"
    path.write_text(
        csv_text(
            [
                {
                    "uid_external": "S-1",
                    "first_name": "AMINA",
                    "last_name": "Yusuf ",
                    "dob": "1990-05-17",
                    "program": program.name,
                    "enrollment_start": "2026-11-20",
                }
            ]
        ),
        encoding="utf-8",
    )

    def daily_import():
        call_command(
            "ingest_daily",
            "--src",
            str(path),
            "--source=SMIS",
            "--rejects",
            str(tmp_path / "rejects.csv"),
            stdout=io.StringIO(),
        )

    used = feature_indexes(daily_import)
    # The row was matched to Amina (the behaviour the index serves) ...
    assert Client.objects.filter(source_ids__uid_external="S-1", first_name="Amina").exists()
    # ... and the matching's candidate lookup is index-served: by date of birth (the
    # linkage's first block, covering client_dob_idx) or by the name keys (its name-key
    # block). Which one the planner picks on 300 rows says nothing about a city: measure
    # the import at scale (make bench) for that.
    assert used & {"client_name_key_dob", "client_dob_idx"}, used


def test_client_search_finds_names_through_the_trigram_index():
    ClientFactory(first_name="Amina", last_name="Kanagaratnam")
    for n in range(50):
        ClientFactory(first_name=f"Person{n}", last_name="Smith")
    used = feature_indexes(lambda: list(client_search(query="Kanagaratnam")))
    assert "client_search_name_trgm" in used, used


# Need to know at city scale (issue 13): a program-scoped reader's Clients list and search.


@pytest.fixture
def department_leader():
    """A Leader of a department of two programs, whose clients are a few among many clients
    of other programs, each with years of enrollments, intakes and discharges (what a
    hashed subplan would read in full)."""
    # A test that commits its data starts from the post-migrate snapshot, which a test
    # committing before it may have left without the roles.
    roles_ensure()
    department = DepartmentFactory(name="Shelters")
    shelters = [ProgramFactory(name=f"Shelter {n}", department=department) for n in range(2)]
    elsewhere = [ProgramFactory(name=f"Drop-in {n}") for n in range(3)]
    clients = Client.objects.bulk_create(
        ClientFactory.build(last_name=f"Family{n:03d}") for n in range(300)
    )
    recent = timezone.localdate() - datetime.timedelta(days=60)
    for model, factory, date_field in (
        (Intake, IntakeFactory, "intake_date"),
        (Discharge, DischargeFactory, "discharge_date"),
    ):
        model.objects.bulk_create(
            factory.build(
                client=clients[n % 300],
                program=elsewhere[n % 3],
                **{date_field: recent - datetime.timedelta(days=n % 500)},
            )
            for n in range(3000)
        )
    ClientProgramEnrollment.objects.bulk_create(
        EnrollmentFactory.build(
            client=clients[n % 300],
            program=elsewhere[n % 3],
            start_date=recent - datetime.timedelta(days=n % 900),
            end_date=None if n % 2 else recent,
        )
        for n in range(3000)
    )
    # Every tenth client was taken in by a shelter, every tenth discharged from one, every
    # tenth enrolled: in the Leader's scope each way.
    for n, client in enumerate(clients):
        if n % 10 == 1:
            IntakeFactory(client=client, program=shelters[n % 2], intake_date=recent)
        elif n % 10 == 2:
            DischargeFactory(client=client, program=shelters[n % 2], discharge_date=recent)
        elif n % 10 == 3:
            EnrollmentFactory(client=client, program=shelters[n % 2], start_date=recent)
    leader = StaffFactory(roles=[RoleName.LEADER])
    DepartmentStaff.objects.create(department=department, staff=leader)
    return leader


def _hashed_tables(plan: dict) -> set[str]:
    """The tables ``plan`` reads into a hashed subplan: every row of the subquery read and
    hashed before the first row is returned, however few rows the page needs."""
    text = json.dumps(plan)
    hashed = set(re.findall(r"hashed (SubPlan \d+)", text))
    tables: set[str] = set()

    def walk(node, inside=False):
        inside = inside or node.get("Subplan Name") in hashed
        if inside and "Relation Name" in node:
            tables.add(node["Relation Name"])
        for child in node.get("Plans", ()):
            walk(child, inside)

    walk(plan)
    return tables


SERVICE_TABLES = {"snippets_clientprogramenrollment", "snippets_intake", "snippets_discharge"}


def scoped_list_plans(client, staff, params) -> tuple[str, PlanRecorder]:
    """The Clients list as ``staff`` sees it with ``params``, and the plans of its SQL
    with sequential scans priced out."""
    client.force_login(staff)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
    recorder = PlanRecorder()
    with connection.execute_wrapper(recorder):
        response = client.get(reverse(CLIENT_LIST), params)
    assert response.status_code == 200
    for plan in recorder.plans:
        # However many services the scope window holds, none is read into a hash.
        assert not _hashed_tables(plan) & SERVICE_TABLES, _hashed_tables(plan)
    return response.content.decode(), recorder


def assert_lists_the_departments_clients(page):
    # Every tenth client taken in, discharged or enrolled in the department, by name; no
    # one else's.
    assert "Family001" in page and "Family002" in page and "Family003" in page
    assert "Family004" not in page and "Family010" not in page


@pytest.mark.parametrize("search", [None, "Family007"])
def test_a_large_scope_is_probed_client_by_client_through_the_client_date_indexes(
    client, department_leader, monkeypatch, search
):
    # A department of 160,000 clients: more services than the list reads ids of first.
    monkeypatch.setattr(access_selectors, "SCOPE_ROWS_UP_TO", 5)
    page, recorder = scoped_list_plans(client, department_leader, {"q": search} if search else {})
    if search:
        assert "Family007" in page
    else:
        assert_lists_the_departments_clients(page)
        # The list walks the clients in name order, stopping at the page's last ...
        assert "client_name_order" in recorder.used, recorder.used
    # ... and probes each client's services through the (client, date) indexes, never
    # reading the scope window's intakes and discharges by date.
    probes = {"intake_client_date", "discharge_client_date", "enrollment_client_start"}
    assert probes <= recorder.used, recorder.used
    assert not recorder.used & {"report_intake_date", "report_discharge_date"}, recorder.used


# Outside a transaction: VACUUM marks the tables' pages all-visible, as they are in a
# registry that autovacuum keeps (a freshly written table's are not, and PostgreSQL then
# plans ordinary index scans whatever the index holds).
@pytest.mark.django_db(transaction=True)
def test_the_probe_of_a_large_scope_is_answered_from_the_client_date_indexes_alone(
    department_leader,
):
    # "live", the program and an enrollment's end date are in the indexes: a Leader's
    # Restrictions list probes each of 10,000 restrictions to count them, and visiting each
    # client's rows in the table made that count 1.7x slower on the city registry.
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) snippets_clientprogramenrollment, snippets_intake, snippets_discharge"
        )
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
    try:
        scope = access_selectors.staff_scope(department_leader)
        probed = Client.objects.filter(access_selectors.in_scope_condition(scope))
        (plan,) = json.loads(probed.explain(format="json"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    probes = {"intake_client_date", "discharge_client_date", "enrollment_client_start"}
    assert probes <= _index_only_names(plan["Plan"]), _index_names(plan["Plan"])


def test_a_small_scope_is_listed_by_its_clients_ids_read_from_the_program_indexes(
    client, department_leader
):
    page, recorder = scoped_list_plans(client, department_leader, {})
    assert_lists_the_departments_clients(page)
    # The scope's services are read by program and date (a program's few hundred) ...
    assert {"intake_program_date", "discharge_program_date"} <= recorder.used, recorder.used
    # (At city scale the open-span one, answered from the index alone.)
    assert recorder.used & {"enrollment_program_open_span", "enrollment_program_dates"}
    assert not recorder.used & {"report_intake_date", "report_discharge_date"}, recorder.used
    # ... and the list picks those clients by id, probing nobody's services. (Fetched by
    # primary key, or, among these 300 clients, by hashing the ids and walking the names:
    # the planner's choice, both without a probe.)
    joins = [c for plan in recorder.plans for c in _conditions(plan)]
    assert any(re.search(r"\bid = \(unnest\(", c) for c in joins), joins
    filters = [f for plan in recorder.plans for f in _client_conditions(plan)]
    assert not any("SubPlan" in f for f in filters), filters


def _conditions(plan: dict) -> list[str]:
    """Every condition of ``plan``'s own nodes (scans and joins, not its subplans)."""
    keys = ("Filter", "Index Cond", "Recheck Cond", "Hash Cond", "Merge Cond", "Join Filter")
    found = [plan[key] for key in keys if key in plan]
    for child in plan.get("Plans", ()):
        if child.get("Parent Relationship") != "SubPlan":
            found += _conditions(child)
    return found


def _client_conditions(plan: dict) -> list[str]:
    """The conditions ``plan`` tests the clients it reads against."""
    found = []
    if plan.get("Relation Name") == "snippets_client" and plan.get("Parent Relationship") != (
        "SubPlan"
    ):
        found += [plan[key] for key in ("Filter", "Index Cond", "Recheck Cond") if key in plan]
    for child in plan.get("Plans", ()):
        if child.get("Parent Relationship") != "SubPlan":
            found += _client_conditions(child)
    return found
