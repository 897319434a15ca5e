"""The matching-quality measurement: on synthetic duplicates, nothing is linked wrongly."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from snippets.models import Client
from tests.factories import ClientFactory

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
