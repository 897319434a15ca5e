"""Org Summary: who counts as served, counted once, with expected numbers worked out by hand.

The registry below, for the period 2026-03-01 to 2026-03-31:

    Shelter department                        Counselling department
      Women's Shelter (P1)  Family Shelter (P2)   Counselling (P3)
    A  2026-02-01 → 03-01 (ends on date_from: served)
    B  03-31 → open       (starts on date_to: served)
    C                      02-01 → 02-28 (ended before: not served)
    D  01-01 → open and 03-10 → 03-20 (two overlapping: once)   03-05 → 03-05 (same day: served)
    E                      04-01 → open (starts after: not served)
    F  draft enrollment (not served)
    G  live enrollment, draft client (not served)
    H  live enrollment in a draft program of Shelter (not served)
    I                      2025-01-01 → open (open-ended: served)

Served: A, B, D, I = 4 people. P1: A, B, D = 3; P2: I = 1; P3: D = 1.
Shelter: A, B, D, I = 4; Counselling: D = 1 (4 + 1 = 5, more than the 4 served).
"""

import datetime

import pytest

from reports.selectors import org_summary
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
)

from .pages import screen_table, screen_tables

D = datetime.date
FROM, TO = D(2026, 3, 1), D(2026, 3, 31)
URL = "/reports/org-summary/"


@pytest.fixture
def registry(db):
    shelter = DepartmentFactory(name="Shelter")
    counselling = DepartmentFactory(name="Counselling")
    p1 = ProgramFactory(name="Women's Shelter", department=shelter)
    p2 = ProgramFactory(name="Family Shelter", department=shelter)
    p3 = ProgramFactory(name="Counselling", department=counselling, capacity_current=None)
    draft_program = ProgramFactory(name="Pilot", department=shelter, live=False)

    a = ClientFactory(gender="Woman", languages=["English", "French"], dob=D(1990, 4, 15))
    b = ClientFactory(gender=" woman ", languages=[], dob=D(2010, 3, 31))
    c = ClientFactory()
    d = ClientFactory(
        gender="Man",
        languages=["Tamil"],
        sexual_orientation="Gay",
        immigration_status="refugee_claimant",
        dob=D(1960, 6, 1),
    )
    e = ClientFactory()
    f = ClientFactory()
    g = ClientFactory(live=False)
    h = ClientFactory()
    i = ClientFactory(gender="", languages=["English"], dob=D(1990, 5, 17))

    EnrollmentFactory(client=a, program=p1, start_date=D(2026, 2, 1), end_date=FROM)
    EnrollmentFactory(client=b, program=p1, start_date=TO)
    EnrollmentFactory(client=c, program=p2, start_date=D(2026, 2, 1), end_date=D(2026, 2, 28))
    EnrollmentFactory(client=d, program=p1, start_date=D(2026, 1, 1))
    EnrollmentFactory(client=d, program=p1, start_date=D(2026, 3, 10), end_date=D(2026, 3, 20))
    EnrollmentFactory(client=d, program=p3, start_date=D(2026, 3, 5), end_date=D(2026, 3, 5))
    EnrollmentFactory(client=e, program=p2, start_date=D(2026, 4, 1))
    EnrollmentFactory(client=f, program=p1, start_date=D(2026, 3, 2), live=False)
    EnrollmentFactory(client=g, program=p1, start_date=D(2026, 3, 2))
    EnrollmentFactory(client=h, program=draft_program, start_date=D(2026, 3, 2))
    EnrollmentFactory(client=i, program=p2, start_date=D(2025, 1, 1))

    # Intakes in the period: A's on date_from and B's on date_to; C's the day before and a
    # draft intake do not count. Discharges: A's on date_from only.
    IntakeFactory(client=a, program=p1, intake_date=FROM)
    IntakeFactory(client=b, program=p1, intake_date=TO)
    IntakeFactory(client=c, program=p2, intake_date=D(2026, 2, 28))
    IntakeFactory(client=f, program=p1, intake_date=D(2026, 3, 2), live=False)
    DischargeFactory(client=a, program=p1, discharge_date=FROM)
    DischargeFactory(client=c, program=p2, discharge_date=D(2026, 2, 28))


def rows(breakdown):
    return {row.label: row.count for row in breakdown.rows}


def test_each_served_client_counts_once(registry):
    summary = org_summary(date_from=FROM, date_to=TO)

    assert summary.clients_served == 4  # A, B, D, I


def test_programs_and_departments_count_their_own_clients_once(registry):
    summary = org_summary(date_from=FROM, date_to=TO)

    programs = {p.program: (p.clients_served, p.intakes, p.discharges) for p in summary.programs}
    assert programs == {
        "Women's Shelter": (3, 2, 1),  # A, B, D (D's two enrollments once)
        "Family Shelter": (1, 0, 0),  # I; C's intake and discharge were in February
        "Counselling": (1, 0, 0),  # D, a same-day enrollment
    }
    # D counts in both departments, so the departments add up to 5, not the total of 4.
    assert rows(summary.by_department) == {"Shelter": 4, "Counselling": 1}
    assert (summary.intakes, summary.discharges) == (2, 1)


def test_demographics_of_the_served_clients(registry):
    summary = org_summary(date_from=FROM, date_to=TO)
    by_key = {b.key: b for b in summary.demographics}

    # " woman " and "Woman" are the same answer; I gave none.
    assert rows(by_key["gender"]) == {"Woman": 2, "Man": 1, "Not recorded": 1}
    assert rows(by_key["sexual_orientation"]) == {"Gay": 1, "Not recorded": 3}
    assert rows(by_key["immigration_status"]) == {"Refugee claimant": 1, "Not recorded": 3}
    # A speaks two languages and counts under each; B recorded none.
    assert rows(by_key["languages"]) == {"English": 2, "French": 1, "Tamil": 1, "Not recorded": 1}
    # Ages on date_to: A 35, B 16 (her birthday), D 65 (birthday not yet), I 35.
    assert rows(by_key["age"]) == {"0–17": 1, "35–44": 2, "65 and over": 1}
    # The unknown row comes last, whatever its size.
    assert by_key["sexual_orientation"].rows[-1].label == "Not recorded"


def test_a_one_day_period_on_an_enrollment_end_date(registry):
    # On 2026-03-01: A (ends that day), D and I. B starts later; C ended before.
    assert org_summary(date_from=FROM, date_to=FROM).clients_served == 3


def test_from_after_to_is_refused():
    with pytest.raises(ValueError):
        org_summary(date_from=TO, date_to=FROM)


def test_page_shows_the_numbers(client, login, report_pages, registry):
    login(RoleName.LEADER)

    response = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    assert response.status_code == 200
    assert screen_table(response, "summary") == {
        "Distinct clients served": ["4"],
        "Intakes": ["2"],
        "Discharges": ["1"],
    }
    # Clients served, their share of the 4, intakes, discharges.
    assert screen_table(response, "department") == {
        "Counselling": ["1", "25%", "0", "0"],
        "Shelter": ["4", "100%", "2", "1"],
    }
    assert screen_table(response, "gender") == {
        "Woman": ["2", "50%"],
        "Man": ["1", "25%"],
        "Not recorded": ["1", "25%"],
    }
    text = response.content.decode()
    assert "counted under each" in text  # the languages note
    assert "add up to more than the total" in text  # why subtotals exceed the total


def test_program_rows_are_listed_by_department(client, login, report_pages, registry):
    login(RoleName.ANALYST)

    response = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    assert screen_tables(response)["program"][1:] == [
        ["Counselling", "Counselling", "1", "0", "0"],
        ["Shelter", "Family Shelter", "1", "0", "0"],
        ["Shelter", "Women's Shelter", "3", "2", "1"],
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-03-31", "date_to": "2026-03-01"}, "is after the"),
        ({"date_from": "2026-03-01", "date_to": ""}, "To: This field is required."),
        ({"date_from": "", "date_to": "2026-03-01"}, "From: This field is required."),
        ({"date_from": "1 March", "date_to": "2026-03-31"}, "From: Enter a valid date."),
    ],
)
def test_bad_dates_get_a_clear_message(client, login, report_pages, query, message):
    login(RoleName.MANAGER)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert screen_tables(response) == {}  # no figures for inputs that make no sense


def test_first_visit_shows_the_year_to_date(client, login, report_pages, registry):
    login(RoleName.LEADER)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Distinct clients served" in response.content.decode()
    assert response.context["form"].cleaned_data["date_from"].timetuple()[1:3] == (1, 1)


def test_a_period_with_nobody_served_shows_zeros(client, login, report_pages, registry):
    login(RoleName.LEADER)

    response = client.get(URL, {"date_from": "2020-01-01", "date_to": "2020-12-31"})

    assert response.status_code == 200
    assert screen_table(response, "summary") == {
        "Distinct clients served": ["0"],
        "Intakes": ["0"],
        "Discharges": ["0"],
    }
    assert screen_table(response, "gender") == {"No clients in this period.": []}


@pytest.mark.parametrize(
    ("date_to", "dob", "band"),
    [
        (D(2026, 3, 31), D(2008, 3, 31), "18–24"),  # 18th birthday on date_to
        (D(2026, 3, 31), D(2008, 4, 1), "0–17"),  # 18 the next day
        (D(2026, 3, 31), D(1961, 3, 31), "65 and over"),  # 65th birthday on date_to
        (D(2026, 3, 31), D(1961, 4, 1), "55–64"),
        # Born on 29 February: a year of age more from 1 March in years without one, as
        # PostgreSQL's age() counts.
        (D(2026, 2, 28), D(2008, 2, 29), "0–17"),
        (D(2026, 3, 1), D(2008, 2, 29), "18–24"),
        # date_to on 29 February: someone born on 28 February 18 years before is 18.
        (D(2028, 2, 29), D(2010, 2, 28), "18–24"),
        (D(2028, 2, 29), D(2010, 3, 1), "0–17"),
    ],
)
def test_age_bands_turn_on_the_birthday(db, date_to, dob, band):
    program = ProgramFactory(department=DepartmentFactory())
    EnrollmentFactory(client=ClientFactory(dob=dob), program=program, start_date=date_to)

    summary = org_summary(date_from=date_to, date_to=date_to)

    ages = {b.key: b for b in summary.demographics}["age"]
    assert rows(ages) == {band: 1}


def test_a_language_written_twice_on_one_record_counts_once(db):
    program = ProgramFactory(department=DepartmentFactory())
    for languages in (["English", " english"], ["English", "Somali"], []):
        EnrollmentFactory(
            client=ClientFactory(languages=languages), program=program, start_date=FROM
        )

    summary = org_summary(date_from=FROM, date_to=TO)

    languages = {b.key: b for b in summary.demographics}["languages"]
    assert rows(languages) == {"English": 2, "Somali": 1, "Not recorded": 1}
