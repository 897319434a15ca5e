import csv
import io

import pytest
from django.core.management import call_command

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
