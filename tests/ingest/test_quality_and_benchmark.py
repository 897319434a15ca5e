"""The matching-quality measurement: on synthetic duplicates, nothing is linked wrongly."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from snippets.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_synthetic_duplicates_are_never_linked_to_the_wrong_person():
    out = io.StringIO()
    call_command("ingest_quality", people=1_500, rows=600, stdout=out)
    total = next(line for line in out.getvalue().splitlines() if line.startswith("| **all**"))
    counts = [int(n.replace(",", "")) for n in re.findall(r"\*\*([\d,]+)\*\*", total)]
    rows, correct, wrong, right_candidate = counts[:4]
    assert rows == 600
    assert wrong == 0
    assert correct > 0 and right_candidate > 0
    assert not Client.objects.exists()  # everything it wrote was rolled back


def test_quality_needs_an_empty_registry():
    ClientFactory()
    with pytest.raises(CommandError, match="without clients"):
        call_command("ingest_quality", people=10, rows=10)
