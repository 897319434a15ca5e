"""The matching-quality measurement (on synthetic duplicates, nothing is linked wrongly) and
the import benchmark."""

import io
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from snippets.models import Client
from tests.factories import ClientFactory

from .conftest import PROJECT

pytestmark = pytest.mark.django_db


def test_quality_prints_every_figure_for_both_kinds_of_file_and_keeps_nothing():
    out = io.StringIO()
    call_command("ingest_quality", people=600, rows=300, stdout=out)
    text = out.getvalue()
    for label in ("names + date of birth only:", "with the optional fields:"):
        section = text.split(label)[1]
        for figure in (
            "wrong links:",
            "automatic links:",
            "review items with the right candidate first:",
            "duplicates created:",
            "rows needing a person:",
        ):
            assert figure in section
    # The hard mix, then a file where half the returning rows are exactly right.
    assert "with 50% of returning rows exactly right" in text
    assert text.count("wrong links:") == 4
    linked = re.findall(r"automatic links: ([\d,]+) of", text)
    assert all(int(n.replace(",", "")) > 0 for n in linked)
    assert not Client.objects.exists()  # everything it wrote was rolled back


def test_quality_needs_an_empty_registry():
    ClientFactory()
    with pytest.raises(CommandError, match="without clients"):
        call_command("ingest_quality", people=10, rows=10)


def test_benchmark_prints_the_import_and_its_floor_side_by_side(committed, tmp_path):
    """On a small registry and file: every figure the README quotes is printed."""
    process = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "ingest_benchmark",
            "--skip-seed",
            "--dry-run",
            "--rows=60",
            "--naive-rows=5",
            f"--file={tmp_path / 'daily.csv'}",
        ],
        cwd=PROJECT,
        env=committed,
        capture_output=True,
        text=True,
        check=True,
    )
    text = process.stdout
    assert re.search(r"Import of 60 rows against [\d,]+ clients \(dry run\): [\d.]+ s wall", text)
    assert re.search(r"[\d,]+ rows/s; peak memory \d+ MB \(import process\)", text)
    assert re.search(r"Floor for the same file: [\d.]+ s wall \(COPY [\d.]+ s", text)
    assert re.search(r"Import / floor: [\d.]+x the wall time, [\d.]+x the peak memory", text)
    assert "Naive matching" in text
    assert Client.objects.count() == 1  # a dry run: the committed setup's client only


FEBRL_HEADER = (
    "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, "
    "state, date_of_birth, soc_sec_id"
)


def _febrl_folder(tmp_path):
    """A FEBRL-format pair of files of our own (made-up people, not the benchmark's)."""
    originals = [
        "rec-0-org, amina, warsame, 12, queen street, , kew, 3101, vic, 19880412, 1111111",
        "rec-1-org, hodan, tremblay, 4, king street, flat 2, kew, 3101, vic, 19710309, 2222222",
        "rec-2-org, robert, gagnon, 7, main road, , fitzroy, 3065, vic, 19650101, 3333333",
        "rec-3-org, , nameless, 1, any street, , kew, 3101, vic, 19500101, 4444444",
    ]
    copies = [
        "rec-0-dup-0, amina, warsame, 12, queen street, , kew, 3101, vic, 19880412, 1111111",
        "rec-1-dup-0, hodan, tremblay, 4, king st, flat 2, kew, 3101, vic, 19710309, 2222222",
        "rec-2-dup-0, robert, gagnon, 7, main road, , fitzroy, 3065, vic, 19651301, 3333333",
        "rec-3-dup-0, sam, nameless, 1, any street, , kew, 3101, vic, 19500101, 4444444",
    ]
    for name, lines in (("dataset4a.csv", originals), ("dataset4b.csv", copies)):
        (tmp_path / name).write_text("\n".join([FEBRL_HEADER, *lines]) + "\n", encoding="utf-8")
    return tmp_path


def test_quality_on_febrl4_prints_both_field_sets_and_keeps_nothing(tmp_path):
    out = io.StringIO()
    call_command("ingest_quality", febrl4=str(_febrl_folder(tmp_path)), stdout=out)
    text = out.getvalue()

    # An original without a first name cannot be a client; a copy with a birthday that
    # does not exist (month 13) is bad input, counted apart from the matching.
    assert "registry 3 clients of 4 records" in text
    for label in ("names + date of birth only:", "with postal code and street address:"):
        section = text.split(label)[1]
        assert "rejected as bad input (not matched): 1 rows (1 of them" in section
        assert "wrong links: 0" in section
        assert "automatic links: 2 of 2 returning people" in section
        assert "duplicates created: 0" in section
    assert "amina" not in text.lower()  # kinds and counts only, never a person's values
    assert not Client.objects.exists()


def test_quality_on_febrl4_names_a_missing_folder_and_refuses_training(tmp_path):
    with pytest.raises(CommandError, match="dataset4a.csv"):
        call_command("ingest_quality", febrl4=str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="held-out"):
        call_command("ingest_quality", febrl4=str(tmp_path), train=True)
