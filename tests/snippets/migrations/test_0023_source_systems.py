"""The data migration that starts the list of source systems: the three the agency had,
plus every code an existing database's intakes already name, so existing databases
migrate without losing a system."""

import importlib

import pytest
from django.apps import apps

from snippets.models import SourceSystem
from tests.factories import IntakeFactory

migration = importlib.import_module("snippets.migrations.0023_source_systems")


@pytest.mark.django_db
def test_the_known_systems_and_those_already_used_are_listed_once():
    SourceSystem.objects.all().delete()  # no ids name them yet, so the trigger allows it
    IntakeFactory(source_system="HMIS")
    IntakeFactory(source_system="not a code")  # intakes never had the capitals rule

    migration.source_systems_from_existing_ids(apps, None)
    migration.source_systems_from_existing_ids(apps, None)  # run twice: nothing doubles

    assert list(SourceSystem.objects.values_list("code", "active")) == [
        ("EMH", True),
        ("FFAI", True),
        ("HMIS", True),
        ("SMIS", True),
    ]
