"""Vacancy Tracker on 2026-03-15, with the expected places worked out by hand:

Shelter department
  Women's Shelter, capacity 2:
    X 03-01 → open            occupied
    Y 03-15 → open            occupied (starts on as_of)
    Z 03-01 → 03-15           not occupied (left on as_of)
    W 02-01 → open and 03-10 → open   occupied once
    V 03-15 → 03-15           not occupied (same day: left the day it came)
    U draft enrollment        not occupied
    -> occupied 3, vacant 2 − 3 = −1 (over capacity)
  Family Shelter, capacity 3 until 2026-03-31, then 5 from 2026-04-01:
    T 2025-12-01 → open       occupied -> occupied 1, vacant 3 − 1 = 2 (5 − 1 = 4 in April)
  Pilot (draft program)       not listed
Drop-in department
  Drop-in, no capacity:
    X 03-14 → open            occupied -> occupied 1, vacant "—"

Totals count like with like (programs with a capacity), and the places in programs
without one are their own line:
Shelter total: capacity 5, occupied 4, vacant 5 − 4 = 1
Drop-in total: capacity 0, occupied 0, vacant 0; without a fixed capacity: occupied 1
Agency total:  capacity 5, occupied 4, vacant 1;  without a fixed capacity: occupied 1
"""

import datetime

import pytest
from django.utils import timezone

from reports.selectors import vacancy_tracker
from staff.roles import RoleName
from tests.factories import ClientFactory, DepartmentFactory, EnrollmentFactory, ProgramFactory

from .pages import csv_rows, screen_tables

D = datetime.date
AS_OF = D(2026, 3, 15)
URL = "/reports/vacancy-tracker/"


@pytest.fixture
def registry(db):
    shelter = DepartmentFactory(name="Shelter")
    drop_in_department = DepartmentFactory(name="Drop-in")
    women = ProgramFactory(name="Women's Shelter", department=shelter, capacity_current=2)
    family = ProgramFactory(
        name="Family Shelter",
        department=shelter,
        capacity_current=5,
        capacity_effective_date=D(2026, 4, 1),
        capacity_history=[(3, None, D(2026, 3, 31)), (5, D(2026, 4, 1), None)],
    )
    pilot = ProgramFactory(name="Pilot", department=shelter, live=False)
    drop_in = ProgramFactory(name="Drop-in", department=drop_in_department, capacity_current=None)

    x, w = ClientFactory(), ClientFactory()
    EnrollmentFactory(client=x, program=women, start_date=D(2026, 3, 1))
    EnrollmentFactory(program=women, start_date=AS_OF)  # Y
    EnrollmentFactory(program=women, start_date=D(2026, 3, 1), end_date=AS_OF)  # Z
    EnrollmentFactory(client=w, program=women, start_date=D(2026, 2, 1))
    EnrollmentFactory(client=w, program=women, start_date=D(2026, 3, 10))
    EnrollmentFactory(program=women, start_date=AS_OF, end_date=AS_OF)  # V
    EnrollmentFactory(program=women, start_date=D(2026, 3, 1), live=False)  # U
    EnrollmentFactory(program=family, start_date=D(2025, 12, 1))  # T
    EnrollmentFactory(program=pilot, start_date=D(2026, 3, 1))
    EnrollmentFactory(client=x, program=drop_in, start_date=D(2026, 3, 14))


def test_places_occupied_and_vacant(registry):
    tracker = vacancy_tracker(as_of=AS_OF)

    programs = {
        p.program: (p.capacity, p.occupied, p.vacant)
        for department in tracker.departments
        for p in department.programs
    }
    assert programs == {
        "Women's Shelter": (2, 3, -1),
        "Family Shelter": (3, 1, 2),
        "Drop-in": (None, 1, None),
    }
    totals = {
        d.department: (d.capacity, d.occupied, d.vacant, d.occupied_without_capacity)
        for d in tracker.departments
    }
    assert totals == {"Shelter": (5, 4, 1, 0), "Drop-in": (0, 0, 0, 1)}
    assert (tracker.capacity, tracker.occupied, tracker.vacant) == (5, 4, 1)
    assert tracker.occupied_without_capacity == 1


def test_a_past_day_uses_the_capacity_in_effect_that_day(registry):
    def family(day):
        tracker = vacancy_tracker(as_of=day)
        (p,) = [p for d in tracker.departments for p in d.programs if p.program == "Family Shelter"]
        return p.capacity, p.vacant

    assert family(D(2026, 3, 31)) == (3, 2)  # the last day of the 3-place period
    assert family(D(2026, 4, 1)) == (5, 4)  # the first day of the 5-place period


def test_the_day_before_and_after(registry):
    def occupied(day):
        tracker = vacancy_tracker(as_of=day)
        return {p.program: p.occupied for d in tracker.departments for p in d.programs}

    # 03-14: X, Z, W (Y not yet come); the drop-in's X starts that day.
    assert occupied(D(2026, 3, 14)) == {"Women's Shelter": 3, "Family Shelter": 1, "Drop-in": 1}
    # 03-16: X, Y, W (Z left on the 15th).
    assert occupied(D(2026, 3, 16)) == {"Women's Shelter": 3, "Family Shelter": 1, "Drop-in": 1}
    # 2026-02-15: only W in the Women's Shelter.
    assert occupied(D(2026, 2, 15)) == {"Women's Shelter": 1, "Family Shelter": 1, "Drop-in": 0}


def test_page_groups_programs_by_department_with_totals(client, login, report_pages, registry):
    login(RoleName.COORDINATOR)

    response = client.get(URL, {"as_of": "2026-03-15"})

    assert response.status_code == 200
    rows = screen_tables(response)["vacancy"]
    assert rows == [
        ["Program", "Capacity", "Occupied", "Vacant", "Occupied against capacity"],
        ["Drop-in"],
        ["Drop-in", "—", "1", "—", ""],
        ["Drop-in total", "0", "0", "0", ""],
        ["Drop-in, programs without a fixed capacity", "—", "1", "—", ""],
        ["Shelter"],
        ["Family Shelter", "3 (to 2026-03-31)", "1", "2", ""],
        ["Women's Shelter", "2", "3", "-1", ""],
        ["Shelter total", "5", "4", "1", ""],
        ["Agency total", "5", "4", "1", ""],
        ["Agency, programs without a fixed capacity", "—", "1", "—", ""],
    ]
    html = response.content.decode()
    # Over capacity is highlighted: the cell is marked and coloured.
    assert html.count("data-over-capacity") == 1
    assert "bg-red-100" in html


def test_as_of_defaults_to_today(client, login, report_pages, registry):
    login(RoleName.LEADER)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["tracker"].as_of == timezone.localdate()
    # The date picker shows the day the numbers are for, not an empty box.
    today = timezone.localdate().isoformat()
    assert f'name="as_of" value="{today}"' in response.content.decode()


def test_a_bad_date_gets_a_message(client, login, report_pages, registry):
    login(RoleName.LEADER)

    response = client.get(URL, {"as_of": "15/03/2026"})

    assert response.status_code == 200
    assert "As of: Enter a valid date." in response.content.decode()
    assert screen_tables(response) == {}


def test_totals_count_like_with_like_and_the_csv_leaves_missing_numbers_empty(
    client, login, report_pages
):
    """Issue 12 item 17: a shelter of 100 beds with 120 people and a drop-in with 28
    people. Before, the total read capacity 100, occupied 148, vacant −20."""
    department = DepartmentFactory(name="Housing")
    shelter = ProgramFactory(name="Shelter", department=department, capacity_current=100)
    drop_in = ProgramFactory(name="Drop-in", department=department, capacity_current=None)
    for program, people in ((shelter, 120), (drop_in, 28)):
        for _ in range(people):
            EnrollmentFactory(program=program, start_date=D(2026, 3, 1))
    login(RoleName.LEADER)

    page = client.get(URL, {"as_of": "2026-03-15"})
    rows = screen_tables(page)["vacancy"]
    csv = csv_rows(client.get(URL + "export/csv/", {"as_of": "2026-03-15"}))

    assert ["Housing total", "100", "120", "-20", ""] in rows
    assert ["Housing, programs without a fixed capacity", "—", "28", "—", ""] in rows
    assert ["Housing", "Housing total", "100", "", "", "120", "-20"] in csv
    assert ["Housing", "Drop-in", "", "", "", "28", ""] in csv
    assert ["Housing", "Housing, programs without a fixed capacity", "", "", "", "28", ""] in csv
    assert not any("—" in cell for row in csv for cell in row)
