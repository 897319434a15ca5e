"""ingest_daily -v2 tells an operator where the import spends its time, statement by
statement, without printing anything of the people in the file."""

import datetime
import re

import pytest

from tests.factories import ClientFactory, ClientSourceIdFactory

pytestmark = pytest.mark.django_db


def test_verbose_run_times_each_matching_statement_and_names_no_one(daily_file, ingest, shelter):
    known = ClientFactory(first_name="Amina", last_name="Warsame", dob=datetime.date(1988, 4, 12))
    ClientSourceIdFactory(client=known, source="SMIS", uid_external="S-1")
    path = daily_file(
        [
            {"uid_external": "S-1", "first_name": "Amina", "last_name": "Warsame",
             "dob": "1988-04-12", "program": "Eva's Place", "intake_date": "2026-11-20"},
            {"uid_external": "S-2", "first_name": "Amnia", "last_name": "Warsame",
             "dob": "1988-04-21"},
        ]
    )  # fmt: skip
    _, err, _ = ingest(path, "--verbosity=2")

    times = dict(re.findall(r"^(\S.*?): (\d+\.\d\d) s$", err, re.MULTILINE))
    # The source-id check, the blocking and the scoring each get their own line.
    for statement in (
        "CHECK_SOURCE_ID_LINKS",
        "CREATE TEMP TABLE ingest_pairs",
        "CREATE TEMP TABLE ingest_scored",
        "DECIDE_BY_SCORE",
        "INSERT INTO snippets_intake",
    ):
        assert statement in times, statement
    for personal in ("Amina", "Amnia", "Warsame", "1988", "S-1", "S-2"):
        assert personal not in err


def test_a_quiet_run_prints_no_statement_times(daily_file, ingest, shelter):
    _, err, _ = ingest(daily_file([{"first_name": "Amina", "last_name": "Warsame",
                                    "dob": "1988-04-12"}]))  # fmt: skip
    assert "CHECK_SOURCE_ID_LINKS" not in err
