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

import pytest
from django.core.management import call_command
from django.db import connection

from reports.selectors import org_summary, vacancy_tracker
from snippets.models import Client, ClientProgramEnrollment, Discharge, Intake
from snippets.selectors import client_search
from tests.factories import (
    ClientFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
)
from tests.ingest.conftest import csv_text

pytestmark = pytest.mark.django_db

# Statements with a plan to look at; the import's COPY, DDL, ANALYZE and SET have none.
PLANNED = ("SELECT", "WITH", "UPDATE", "INSERT", "DELETE")


def _index_names(plan: dict) -> set[str]:
    names = {plan["Index Name"]} if "Index Name" in plan else set()
    for child in plan.get("Plans", ()):
        names |= _index_names(child)
    return names


class PlanRecorder:
    """An execute wrapper that asks for the plan of each statement just before it runs, on
    the same cursor with the same parameters (so the import's temporary tables exist), and
    collects the index names in those plans."""

    def __init__(self):
        self.used: set[str] = set()

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


def test_the_org_summary_counts_people_served_through_the_enrollment_span_index(enrollments):
    used = feature_indexes(
        lambda: org_summary(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 3, 31))
    )
    assert "report_enrollment_span" in used, used
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
