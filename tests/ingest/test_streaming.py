"""The file is streamed a chunk of rows at a time: where the chunks fall changes nothing."""

import pytest

from ingest.models import IngestRun
from snippets.models import Client, ClientProgramEnrollment, Discharge

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Amina", "Warsame", "1988-04-12"),
    ("Ben", "Adeyemi", "1975-09-30"),
    ("Chloe", "Tremblay", "2001-01-05"),
    ("Dev", "Sharma", "1969-12-24"),
    ("Erin", "Baptiste", "1988-02-30"),  # not a real date: rejected, in the second chunk
    ("Farah", "Haddad", "1993-06-18"),
    ("Gus", "Oyelaran", "1980-03-03"),
    ("Ben", "Adeyemi", "1975-09-30"),  # the second row again, in the third chunk
    ("Hana", "Kowalczyk", "1999-11-11"),
    ("Ivan", "Petrov", "1958-07-07"),
]


def _rows():
    rows = []
    for first, last, dob in PEOPLE:
        row = {
            "first_name": first,
            "last_name": last,
            "dob": dob,
            "program": "Eva's Place",
            "enrollment_start": "2026-11-20",
        }
        if first == "Farah":
            # A quoted cell with a comma and a line break, at the end of the second chunk.
            row.update(discharge_date="2026-11-25", discharge_reason="Housed,\nwith family")
        rows.append(row)
    return rows


def test_a_file_of_several_chunks_imports_with_a_bad_row_and_a_duplicate_across_chunks(
    daily_file, ingest, shelter
):
    path = daily_file(_rows())

    out, _, rejects = ingest(path, "--chunk-rows=3")

    assert "Rows read: 10; taken: 8; rejected: 2" in out
    assert [(r["reject_row"], r["reject_reason"]) for r in rejects] == [
        ("6", "bad_date"),
        ("9", "duplicate_row"),
    ]
    # The rejects file gives each row's own cells, found again in the file.
    assert [r["first_name"] for r in rejects] == ["Erin", "Ben"]
    expected = sorted({(f, la) for f, la, _ in PEOPLE} - {("Erin", "Baptiste")})
    assert sorted(Client.objects.values_list("first_name", "last_name")) == expected
    assert ClientProgramEnrollment.objects.filter(program=shelter).count() == 8
    assert Discharge.objects.get().reason == "Housed,\nwith family"

    # The same file in one chunk: the same rejects, and nothing left to change.
    out, _, again = ingest(path)
    assert again == rejects
    assert "Clients      inserted       0  updated       0  unchanged       8" in out
    assert Client.objects.count() == 8
    assert IngestRun.objects.count() == 2
