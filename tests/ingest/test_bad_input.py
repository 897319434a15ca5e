"""Bad input gets a clear error and loses nothing."""

import pytest
from django.core.management.base import CommandError

from ingest.models import IngestRun, RunStatus
from snippets.models import Client, ClientProgramEnrollment
from tests.factories import ClientFactory

from .conftest import HEADER

pytestmark = pytest.mark.django_db

GOOD = {"first_name": "Amina", "last_name": "Warsame", "dob": "1988-04-12"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "is empty"),
        (b"first_name,last_name,dob\r\n", "has a header but no rows"),
        (b"first_name,last_name\r\nAmina,Warsame\r\n", r"lacks the required column\(s\) dob"),
        (
            b"first_name,last_name,dob,DOB \r\nAmina,Warsame,1988-04-12,\r\n",
            "more than once: dob",
        ),
        (
            "first_name,last_name,dob\r\nRen\xe9e,Roy,1990-01-01\r\n".encode("latin-1"),
            "is not UTF-8",
        ),
        (b'first_name,last_name,dob\r\n"Amina,Warsame,1988-04-12\r\n', "not valid CSV"),
    ],
)
def test_a_faulty_file_is_refused_whole(daily_file, ingest, raw, message):
    ClientFactory()
    with pytest.raises(CommandError, match=message):
        ingest(daily_file([], raw=raw))
    assert Client.objects.count() == 1
    assert IngestRun.objects.get().status == RunStatus.FAILED


def test_an_unreadable_file_is_named(ingest, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv"):
        ingest(str(tmp_path / "missing.csv"))


def test_bom_header_case_spaces_and_unknown_columns_are_accepted(daily_file, ingest):
    raw = "\ufeff First_Name ,LAST_NAME,Dob,Shoe size\r\nAmina,Warsame,1988-04-12,41\r\n"
    _, err, rejects = ingest(daily_file([], raw=raw.encode()))

    assert Client.objects.get().first_name == "Amina"
    assert "Ignored unknown column(s): Shoe size" in err
    assert rejects == []


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"dob": "12/04/1988"}, "bad_date"),
        ({"dob": "1988-02-30"}, "bad_date"),
        ({"dob": "1850-01-01"}, "bad_date"),
        ({"last_name": " "}, "missing_required"),
        (
            {
                "program": "Eva's Place",
                "enrollment_start": "2026-11-20",
                "enrollment_end": "2026-11-19",
            },
            "end_before_start",
        ),
        ({"program": "Eva's Place", "enrollment_end": "2026-11-19"}, "end_without_start"),
        ({"intake_date": "2026-11-20"}, "program_missing"),
        ({"program": "Nowhere House", "intake_date": "2026-11-20"}, "unknown_program"),
        ({"immigration_status": "tourist"}, "unknown_immigration_status"),
        ({"program": "Eva's Place", "discharge_reason": "Housed"}, "reason_without_discharge"),
        ({"gender": "x" * 101}, "too_long"),
    ],
)
def test_a_faulty_row_is_rejected_with_its_reason_and_the_rest_loads(
    daily_file, ingest, shelter, fields, reason
):
    good = {**GOOD, "first_name": "Tomasz", "last_name": "Kowalczyk"}
    out, _, rejects = ingest(daily_file([{**GOOD, **fields}, good]))

    assert [(r["reject_row"], r["reject_reason"]) for r in rejects] == [("2", reason)]
    assert rejects[0]["reject_message"]
    assert list(Client.objects.values_list("last_name", flat=True)) == ["Kowalczyk"]
    assert f"Rejected ({reason}): 1" in out


def test_the_same_row_twice_is_rejected_once(daily_file, ingest):
    _, _, rejects = ingest(daily_file([GOOD, GOOD]))
    assert [(r["reject_row"], r["reject_reason"]) for r in rejects] == [("3", "duplicate_row")]
    assert Client.objects.count() == 1


def test_a_row_with_too_many_cells_keeps_them_all_in_the_rejects(daily_file, ingest):
    raw = "first_name,last_name,dob\r\nAmina,Warsame,1988-04-12,extra\r\nLi,Wei,2001-02-03\r\n"
    _, _, rejects = ingest(daily_file([], raw=raw.encode()))
    assert rejects[0]["reject_reason"] == "malformed_row"
    assert rejects[0][None] == ["extra"]  # the cell beyond the header is kept
    assert Client.objects.get().last_name == "Wei"


def test_immigration_status_accepts_the_code_or_the_label(daily_file, ingest):
    ingest(
        daily_file(
            [
                {**GOOD, "immigration_status": "Refugee claimant"},
                {**GOOD, "first_name": "Li", "immigration_status": "GAR"},
            ]
        )
    )
    assert sorted(Client.objects.values_list("immigration_status", flat=True)) == [
        "gar",
        "refugee_claimant",
    ]


def test_dry_run_reports_and_writes_nothing(daily_file, ingest, shelter):
    path = daily_file([{**GOOD, "program": "Eva's Place", "enrollment_start": "2026-11-20"}])
    out, _, rejects = ingest(path, "--dry-run")

    assert "Dry run: nothing was written" in out
    assert "Clients      inserted       1" in out
    assert not Client.objects.exists() and not ClientProgramEnrollment.objects.exists()
    assert IngestRun.objects.get().status == RunStatus.DRY_RUN


def test_output_shows_counts_never_names_or_birthdays(daily_file, ingest):
    out, err, _ = ingest(daily_file([GOOD, {**GOOD, "dob": "1988-13-01"}], header=HEADER))
    assert "Amina" not in out + err and "Warsame" not in out + err
    assert "1988" not in out + err


def test_lower_case_source_is_taken_as_the_system_name(daily_file, ingest):
    ingest(daily_file([{**GOOD, "uid_external": "S-1"}]), source="smis")
    assert Client.objects.get().source_ids.get().source == "SMIS"


def test_a_bad_source_name_is_refused(daily_file, ingest):
    with pytest.raises(CommandError, match="--source"):
        ingest(daily_file([GOOD]), source="S M I S")


def test_a_second_import_while_one_runs_stops_at_once(daily_file, ingest):
    import psycopg
    from django.db import connection

    from ingest.services import IMPORT_LOCK_KEY

    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_KEY])
        with pytest.raises(CommandError, match="Another daily import is running"):
            ingest(daily_file([GOOD]))
    finally:
        other.close()
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("bad_cell", "column", "reason", "message"),
    [
        # A NUL byte (a damaged export) used to abort the import with a traceback.
        ("War\x00same", "last_name", "bad_character", "last_name holds a NUL character"),
        # A cell past the csv module's 131,072-character cap used to refuse the file.
        ("x" * 200_000, "gender", "too_long", "gender is 200,000 characters long"),
        ("x" * 200_000, "shoe_size", "too_long", "shoe_size is 200,000 characters long"),
    ],
)
def test_one_damaged_cell_rejects_only_its_row(
    daily_file, ingest, bad_cell, column, reason, message
):
    header = [*HEADER, "shoe_size"]
    rows = [
        {"first_name": "Tomasz", "last_name": "Kowalczyk", "dob": "1979-06-01"},
        {**GOOD, column: bad_cell},
        {"first_name": "Li", "last_name": "Wei", "dob": "2001-02-03"},
    ]
    out, _, rejects = ingest(daily_file(rows, header=header))

    assert [(r["reject_row"], r["reject_reason"]) for r in rejects] == [("3", reason)]
    assert message in rejects[0]["reject_message"]
    assert rejects[0][column] == bad_cell  # written as it came, to be corrected
    assert sorted(Client.objects.values_list("last_name", flat=True)) == ["Kowalczyk", "Wei"]
    assert IngestRun.objects.get().status == RunStatus.SUCCEEDED
    assert f"Rejected ({reason}): 1" in out


def test_the_rejects_file_is_readable_by_its_owner_only(daily_file, ingest, tmp_path):
    # It holds names and dates of birth: never world- or group-readable (was 0644).
    ingest(daily_file([GOOD, {**GOOD, "dob": "1988-13-01"}]))
    assert (tmp_path / "rejects.csv").stat().st_mode & 0o777 == 0o600
