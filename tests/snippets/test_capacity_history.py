"""A program's capacity history, edited as a list on the program's form (issue 16): what a
Coordinator types is stored as periods, overlapping or inverted periods are refused with a
sentence naming the problem (and nothing stored changes), and the program's own screens,
the Programs list and its page, read the capacity in effect on the day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from snippets.models import Program
from staff.roles import RoleName
from tests.admin_forms import post_edit
from tests.factories import EnrollmentFactory, ProgramFactory

D = datetime.date
TODAY = timezone.localdate()
PROGRAMS = reverse("wagtailsnippets_snippets_program:list")

pytestmark = pytest.mark.django_db


def history(program):
    return list(
        Program.objects.get(pk=program.pk)
        .capacity_history.order_by("effective_from")
        .values_list("capacity", "effective_from", "effective_to")
    )


def periods(*entries, initial: int = 0, ids=()) -> dict:
    """The capacity history formset as the browser posts it."""
    data = {
        "capacity_history-TOTAL_FORMS": str(len(entries)),
        "capacity_history-INITIAL_FORMS": str(initial),
        "capacity_history-MIN_NUM_FORMS": "0",
        "capacity_history-MAX_NUM_FORMS": "1000",
    }
    for index, (capacity, start, end) in enumerate(entries):
        prefix = f"capacity_history-{index}-"
        data[prefix + "capacity"] = str(capacity)
        data[prefix + "effective_from"] = start.isoformat() if start else ""
        data[prefix + "effective_to"] = end.isoformat() if end else ""
        data[prefix + "ORDER"] = str(index + 1)
        data[prefix + "DELETE"] = ""
        if index < len(ids):
            data[prefix + "id"] = str(ids[index])
    return data


def test_a_coordinator_ends_a_period_and_adds_the_next(client, login):
    login(RoleName.COORDINATOR)
    program = ProgramFactory(name="Night Shelter", capacity_history=[(40, D(2026, 1, 1), None)])
    first = program.capacity_history.get()

    response = post_edit(
        client,
        program,
        periods(
            (40, D(2026, 1, 1), D(2026, 3, 31)),
            (60, D(2026, 4, 1), None),
            initial=1,
            ids=[first.pk],
        ),
        action="publish",
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert history(program) == [(40, D(2026, 1, 1), D(2026, 3, 31)), (60, D(2026, 4, 1), None)]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [(40, D(2026, 1, 1), D(2026, 4, 30)), (60, D(2026, 4, 1), None)],
            "Capacity periods of one program cannot overlap",
        ),
        # Two open-ended periods both run for ever.
        ([(40, None, None), (60, D(2026, 4, 1), None)], "cannot overlap"),
        ([(40, D(2026, 4, 1), D(2026, 3, 1))], "A capacity period cannot end before it starts."),
    ],
    ids=["overlapping", "open-ended twice", "inverted"],
)
def test_overlapping_or_inverted_periods_are_refused_and_nothing_changes(
    client, login, entries, message
):
    login(RoleName.COORDINATOR)
    program = ProgramFactory(name="Night Shelter", capacity_history=[(40, D(2026, 1, 1), None)])
    first = program.capacity_history.get()

    response = post_edit(
        client, program, periods(*entries, initial=1, ids=[first.pk]), action="publish"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Server Error" not in page
    assert history(program) == [(40, D(2026, 1, 1), None)]


def test_the_programs_list_shows_the_capacity_in_effect_today(client, login):
    login(RoleName.COORDINATOR)
    ProgramFactory(
        name="Night Shelter",
        capacity_current=99,  # the old column: not what the list shows
        capacity_history=[(40, None, TODAY - datetime.timedelta(days=1)), (60, TODAY, None)],
    )
    ProgramFactory(
        name="Winter Respite",
        capacity_current=10,
        capacity_history=[(10, TODAY + datetime.timedelta(days=30), None)],
    )

    page = client.get(PROGRAMS).content.decode()

    def cells(name):
        # The row's plain cells only: the action links hold the program's UUID,
        # which may contain any digits.
        row = page[page.index(name) :]
        row = "".join(row[: row.index("</tr>")].split())
        return row[row.index("</ul></td>") :]

    # Capacity, then enrolled today.
    assert "<td>60</td><td>0</td>" in cells("Night Shelter")
    assert "<td>99</td>" not in cells("Night Shelter")
    assert "<td></td><td>0</td>" in cells("Winter Respite")  # none in effect today

    # "Has a capacity" means one in effect today.
    only = client.get(PROGRAMS, {"has_capacity": "true"}).content.decode()
    assert "Night Shelter" in only and "Winter Respite" not in only


def test_the_programs_list_sorts_by_todays_capacity(client, login):
    login(RoleName.COORDINATOR)
    ProgramFactory(name="Big", capacity_current=1, capacity_history=[(90, None, None)])
    ProgramFactory(name="Small", capacity_current=100, capacity_history=[(5, None, None)])

    page = client.get(PROGRAMS, {"ordering": "capacity_today"}).content.decode()

    assert page.index("Small") < page.index("Big")


def test_the_program_page_shows_the_capacity_of_the_day_and_its_vacancy(client, login):
    login(RoleName.LEADER)
    program = ProgramFactory(
        name="Night Shelter",
        capacity_current=99,
        capacity_history=[(40, None, TODAY - datetime.timedelta(days=1)), (2, TODAY, None)],
    )
    for _ in range(3):
        EnrollmentFactory(program=program, start_date=TODAY - datetime.timedelta(days=5))

    record = client.get(
        reverse("wagtailsnippets_snippets_program:inspect", args=[program.pk])
    ).content.decode()

    assert f"Capacity today</dt><dd>2 (since {TODAY:%Y-%m-%d})</dd>" in record
    assert "-1 (over capacity)" in record
