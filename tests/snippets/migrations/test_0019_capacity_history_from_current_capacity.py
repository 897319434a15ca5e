"""The data migration that turns each program's recorded capacity into the latest entry of
its capacity history (as consumerfinance.gov tests its data migrations: the migration's
own function, called with the app registry)."""

import datetime
import importlib

import pytest
from django.apps import apps

from snippets.models import ProgramCapacity
from tests.factories import ProgramFactory

migration = importlib.import_module(
    "snippets.migrations.0019_capacity_history_from_current_capacity"
)


@pytest.mark.django_db
def test_recorded_capacity_becomes_the_open_ended_latest_entry():
    dated = ProgramFactory(
        capacity_current=40, capacity_effective_date=datetime.date(2025, 3, 1), capacity_history=[]
    )
    undated = ProgramFactory(capacity_current=12, capacity_history=[])
    drop_in = ProgramFactory(capacity_current=None, capacity_history=[])
    with_history = ProgramFactory(
        capacity_current=60, capacity_history=[(60, datetime.date(2026, 1, 1), None)]
    )

    migration.capacity_history_from_current(apps, None)
    migration.capacity_history_from_current(apps, None)  # run twice: nothing doubles

    def history(program):
        return list(
            ProgramCapacity.objects.filter(program=program).values_list(
                "capacity", "effective_from", "effective_to"
            )
        )

    assert history(dated) == [(40, datetime.date(2025, 3, 1), None)]
    assert history(undated) == [(12, None, None)]  # in effect since the program began
    assert history(drop_in) == []
    assert history(with_history) == [(60, datetime.date(2026, 1, 1), None)]


@pytest.mark.django_db
def test_going_back_removes_the_history_and_keeps_the_program_columns():
    program = ProgramFactory(capacity_current=40)

    migration.remove_capacity_history(apps, None)

    program.refresh_from_db()
    assert not ProgramCapacity.objects.exists()
    assert program.capacity_current == 40
