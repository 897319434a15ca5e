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
