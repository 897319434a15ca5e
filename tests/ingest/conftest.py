import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import ProgramFactory

HEADER = [
    "uid_external",
    "first_name",
    "last_name",
    "dob",
    "gender",
    "languages",
    "sexual_orientation",
    "immigration_status",
    "program",
    "enrollment_start",
    "enrollment_end",
    "intake_date",
    "discharge_date",
    "discharge_reason",
]


def csv_text(rows: list[dict], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()


@pytest.fixture
def shelter(db):
    return ProgramFactory(name="Eva's Place")


@pytest.fixture
def daily_file(tmp_path):
    """Write rows (dicts by column name) to a CSV file; returns its path as a string."""

    def _write(rows, *, header=HEADER, name="smis-2026-11-27.csv", raw: bytes | None = None):
        path = tmp_path / name
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(csv_text(rows, header), encoding="utf-8")
        return str(path)

    return _write


@pytest.fixture
def ingest(tmp_path):
    """Run the command as cron does; returns (stdout, stderr, rejects rows as dicts)."""

    def _run(path, *args, source="SMIS"):
        out, err = io.StringIO(), io.StringIO()
        rejects = tmp_path / "rejects.csv"
        if rejects.exists():
            rejects.unlink()
        call_command(
            "ingest_daily",
            "--src",
            path,
            f"--source={source}",
            "--rejects",
            str(rejects),
            *args,
            stdout=out,
            stderr=err,
        )
        rows = []
        if rejects.exists():
            with open(rejects, encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        return out.getvalue(), err.getvalue(), rows

    return _run


# --- Commands in their own process, as under cron ---------------------------------

PROJECT = Path(__file__).resolve().parents[2]
SETUP = """
import datetime
from tests.factories import ClientFactory, ClientSourceIdFactory, ProgramFactory
ProgramFactory(name="Eva's Place")
known = ClientFactory(first_name="Amina", last_name="Known", gender="Woman",
                      dob=datetime.date(1990, 5, 17))
ClientSourceIdFactory(client=known, source="SMIS", uid_external="S-1")
"""
TABLES_TO_EMPTY = (
    "identity_automaticlink",
    "identity_matchcandidate",
    "identity_possiblematch",
    "ingest_ingestrun",
    "snippets_intake",
    "snippets_discharge",
    "snippets_clientprogramenrollment",
    "snippets_clientsourceid",
    "snippets_client",
    "snippets_programcapacity",
    "snippets_program",
    "snippets_department",
)


@pytest.fixture
def committed(db):
    """Environment for processes that share the test database; empties it afterwards."""
    url = shared_database_url()
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP], cwd=PROJECT, env=env, check=True
    )
    yield env
    with psycopg.connect(url, autocommit=True) as conn:
        for table in TABLES_TO_EMPTY:
            conn.execute(f"DELETE FROM {table}")  # noqa: S608


def shared_database_url() -> str:
    settings = connection.settings_dict
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
