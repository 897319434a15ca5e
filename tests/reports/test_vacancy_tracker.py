"""Vacancy Tracker on 2026-03-15, with the expected figures worked out by hand:

Shelter department
  Women's Shelter, capacity 2:
    Xena    03-01 → open                  occupied
    Yusuf   03-15 → open                  occupied (starts on as_of)
    Zora    03-01 → 03-15                 not occupied (left on as_of)
    Wanjiru 02-01 → open and 03-10 → open occupied once, 2 enrollments
    Quinn   03-01 → open and 03-05 → open occupied once, 2 enrollments
    Vera    03-15 → 03-15                 not occupied (left the day she came)
    Ursula  draft enrollment              not occupied
    -> occupied 4 people, 6 active enrollments ("2 people hold 2 enrollments each"),
       vacant 2 − 4 = −2, rate 4 ÷ 2 = 200 %; bar scaled to 4: filled 100, capacity at 50
  Family Shelter, capacity 3 until 2026-03-31, then 5 from 2026-04-01:
    Tomas 2025-12-01 → open  -> occupied 1, vacant 3 − 1 = 2, rate 33.3 % (April: 5 − 1 = 4)
  Youth Shelter, capacity 4, nobody  -> occupied 0, vacant 4, rate 0 %
  Winter Respite, capacity 10 only from 2026-11-01 (none in effect on 03-15):
    Rosa 03-01 → open  -> occupied 1, capacity "—" (no capacity in effect on this day)
  Pilot (draft program)  not listed
Drop-in department
  Drop-in, no capacity ever:
    Xena 03-14 → open  -> occupied 1, capacity "—" (no fixed capacity)

Totals count like with like (programs with a capacity on the day):
  Shelter total: capacity 2 + 3 + 4 = 9, occupied 4 + 1 + 0 = 5, enrollments 6 + 1 = 7,
                 vacant 4, rate 5 ÷ 9 = 55.6 %; without a capacity: occupied 1 (Rosa)
  Drop-in total: capacity 0, occupied 0, vacant 0, rate "—"; without a capacity: 1 (Xena)
  Agency total:  capacity 9, occupied 5, enrollments 7, vacant 4, rate 55.6 %;
                 without a capacity: occupied 2
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from reports.selectors import vacancy_tracker
from reports.vacancy import vacancy_table
from snippets.models import ProgramStaff
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    EnrollmentFactory,
    ProgramFactory,
    StaffFactory,
)

from .pages import csv_rows, screen_tables

D = datetime.date
AS_OF = D(2026, 3, 15)
URL = "/reports/vacancy-tracker/"
ENROLLMENTS = "/admin/snippets/snippets/clientprogramenrollment/"


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
    ProgramFactory(name="Youth Shelter", department=shelter, capacity_current=4)
    respite = ProgramFactory(
        name="Winter Respite",
        department=shelter,
        capacity_current=10,
        capacity_effective_date=D(2026, 11, 1),
        capacity_history=[(10, D(2026, 11, 1), None)],
    )
    pilot = ProgramFactory(name="Pilot", department=shelter, live=False)
    drop_in = ProgramFactory(name="Drop-in", department=drop_in_department, capacity_current=None)

    people = {
        name: ClientFactory(first_name=name, last_name="Vacancy")
        for name in ("Xena", "Yusuf", "Zora", "Wanjiru", "Quinn", "Vera", "Ursula", "Tomas")
    }
    people["Rosa"] = ClientFactory(first_name="Rosa", last_name="Vacancy")
    enroll = EnrollmentFactory
    enroll(client=people["Xena"], program=women, start_date=D(2026, 3, 1))
    enroll(client=people["Yusuf"], program=women, start_date=AS_OF)
    enroll(client=people["Zora"], program=women, start_date=D(2026, 3, 1), end_date=AS_OF)
    enroll(client=people["Wanjiru"], program=women, start_date=D(2026, 2, 1))
    enroll(client=people["Wanjiru"], program=women, start_date=D(2026, 3, 10))
    enroll(client=people["Quinn"], program=women, start_date=D(2026, 3, 1))
    enroll(client=people["Quinn"], program=women, start_date=D(2026, 3, 5))
    enroll(client=people["Vera"], program=women, start_date=AS_OF, end_date=AS_OF)
    enroll(client=people["Ursula"], program=women, start_date=D(2026, 3, 1), live=False)
    enroll(client=people["Tomas"], program=family, start_date=D(2025, 12, 1))
    enroll(client=people["Rosa"], program=respite, start_date=D(2026, 3, 1))
    enroll(program=pilot, start_date=D(2026, 3, 1))
    enroll(client=people["Xena"], program=drop_in, start_date=D(2026, 3, 14))
    return {"women": women, "family": family, "respite": respite, "drop_in": drop_in}


def programs_of(tracker):
    return {p.program: p for department in tracker.departments for p in department.programs}


def test_every_program_has_a_row_with_people_and_enrollments(registry):
    tracker = vacancy_tracker(as_of=AS_OF)

    programs = {
        name: (p.capacity, p.occupied, p.enrollments, p.vacant, p.multiple_holders)
        for name, p in programs_of(tracker).items()
    }
    assert programs == {
        "Women's Shelter": (2, 4, 6, -2, ((2, 2),)),
        "Family Shelter": (3, 1, 1, 2, ()),
        "Youth Shelter": (4, 0, 0, 4, ()),
        "Winter Respite": (None, 1, 1, None, ()),
        "Drop-in": (None, 1, 1, None, ()),
    }
    totals = {
        d.department: (d.capacity, d.occupied, d.enrollments, d.vacant, d.occupied_without_capacity)
        for d in tracker.departments
    }
    assert totals == {"Shelter": (9, 5, 7, 4, 1), "Drop-in": (0, 0, 0, 0, 1)}
    assert (tracker.capacity, tracker.occupied, tracker.enrollments, tracker.vacant) == (9, 5, 7, 4)
    assert tracker.occupied_without_capacity == 2


def test_a_past_day_uses_the_capacity_in_effect_that_day(registry):
    def family(day):
        p = programs_of(vacancy_tracker(as_of=day))["Family Shelter"]
        return p.capacity, p.vacant

    assert family(D(2026, 3, 31)) == (3, 2)  # the last day of the 3-place period
    assert family(D(2026, 4, 1)) == (5, 4)  # the first day of the 5-place period
    # The respite's 10 places count from 1 November, not before.
    respite = programs_of(vacancy_tracker(as_of=D(2026, 11, 1)))["Winter Respite"]
    assert (respite.capacity, respite.occupied, respite.vacant) == (10, 1, 9)


def test_the_day_before_and_after(registry):
    def occupied(day):
        return {name: p.occupied for name, p in programs_of(vacancy_tracker(as_of=day)).items()}

    # 03-14: Xena, Zora, Wanjiru, Quinn (Yusuf not yet come); the drop-in's Xena that day.
    assert occupied(D(2026, 3, 14))["Women's Shelter"] == 4
    assert occupied(D(2026, 3, 14))["Drop-in"] == 1
    # 03-16: Xena, Yusuf, Wanjiru, Quinn (Zora left on the 15th).
    assert occupied(D(2026, 3, 16))["Women's Shelter"] == 4
    # 2026-02-15: only Wanjiru, with one enrollment; nobody at the respite or drop-in.
    feb = vacancy_tracker(as_of=D(2026, 2, 15))
    women = programs_of(feb)["Women's Shelter"]
    assert (women.occupied, women.enrollments, women.double_enrolled) == (1, 1, False)
    assert occupied(D(2026, 2, 15)) == {
        "Women's Shelter": 1,
        "Family Shelter": 1,
        "Youth Shelter": 0,
        "Winter Respite": 0,
        "Drop-in": 0,
    }


def test_rates_and_bars(registry):
    table = vacancy_table(vacancy_tracker(as_of=AS_OF), suppress=False)
    rows = {row.program: row for row in table.rows}

    assert {name: (row.rate, row.rate_text) for name, row in rows.items()} == {
        "Women's Shelter": (200.0, "200%"),
        "Family Shelter": (33.3, "33.3%"),
        "Youth Shelter": (0.0, "0%"),
        "Winter Respite": (None, "—"),
        "Shelter total": (55.6, "55.6%"),
        "Shelter, programs without a fixed capacity": (None, "—"),
        "Drop-in": (None, "—"),
        "Drop-in total": (None, "—"),  # capacity 0: no rate
        "Drop-in, programs without a fixed capacity": (None, "—"),
        "Agency total": (55.6, "55.6%"),
        "Agency, programs without a fixed capacity": (None, "—"),
    }
    bars = {
        name: (row.bar.filled, row.bar.capacity_at, row.bar.over)
        for name, row in rows.items()
        if row.bar
    }
    assert bars == {
        "Women's Shelter": (100.0, 50.0, True),  # 4 people, 2 places: scaled to 4
        "Family Shelter": (33.3, 100.0, False),
        "Youth Shelter": (0.0, 100.0, False),
        "Shelter total": (55.6, 100.0, False),
        "Agency total": (55.6, 100.0, False),
    }


def test_page_shows_every_program_with_rates_and_the_double_enrollment_flag(
    client, login, report_pages, registry
):
    login(RoleName.LEADER)

    response = client.get(URL, {"as_of": "2026-03-15"})

    assert response.status_code == 200
    rows = screen_tables(response)["vacancy"]
    flag = "Data quality: 2 people hold 2 enrollments each in this program."
    assert rows == [
        [
            "Program",
            "Capacity",
            "Occupied",
            "Active enrollments",
            "Vacant",
            "Occupancy rate",
            "Occupied against capacity",
        ],
        ["Drop-in", "— No fixed capacity", "1", "1", "—", "—", ""],
        ["Drop-in total", "0", "0", "0", "0", "—", ""],
        ["Drop-in, programs without a fixed capacity", "—", "1", "1", "—", "—", ""],
        ["Family Shelter", "3 (to 2026-03-31)", "1", "1", "2", "33.3%", ""],
        ["Winter Respite", "— No capacity in effect on this day", "1", "1", "—", "—", ""],
        ["Women's Shelter", "2", "4", f"6 {flag}", "-2", "200%", "over capacity"],
        ["Youth Shelter", "4", "0", "0", "4", "0%", ""],
        ["Shelter total", "9", "5", "7", "4", "55.6%", ""],
        ["Shelter, programs without a fixed capacity", "—", "1", "1", "—", "—", ""],
        ["Agency total", "9", "5", "7", "4", "55.6%", ""],
        ["Agency, programs without a fixed capacity", "—", "2", "2", "—", "—", ""],
    ]
    html = response.content.decode()
    assert html.count("data-over-capacity ") + html.count("data-over-capacity>") == 1
    assert html.count("data-double-enrolled") == 1


def test_the_csv_has_the_enrollments_and_rates_as_numbers(client, login, report_pages, registry):
    login(RoleName.ANALYST)

    rows = csv_rows(client.get(URL + "export/csv/", {"as_of": "2026-03-15"}))

    assert rows == [
        [
            "Department",
            "Program",
            "Capacity",
            "Capacity in effect from",
            "Capacity in effect to",
            "Occupied",
            "Active enrollments",
            "Vacant",
            "Occupancy rate (%)",
        ],
        ["Drop-in", "Drop-in", "", "", "", "1", "1", "", ""],
        ["Drop-in", "Drop-in total", "0", "", "", "0", "0", "0", ""],
        ["Drop-in", "Drop-in, programs without a fixed capacity", "", "", "", "1", "1", "", ""],
        ["Shelter", "Family Shelter", "3", "", "2026-03-31", "1", "1", "2", "33.3"],
        ["Shelter", "Winter Respite", "", "", "", "1", "1", "", ""],
        ["Shelter", "Women's Shelter", "2", "", "", "4", "6", "-2", "200.0"],
        ["Shelter", "Youth Shelter", "4", "", "", "0", "0", "4", "0.0"],
        ["Shelter", "Shelter total", "9", "", "", "5", "7", "4", "55.6"],
        ["Shelter", "Shelter, programs without a fixed capacity", "", "", "", "1", "1", "", ""],
        ["", "Agency total", "9", "", "", "5", "7", "4", "55.6"],
        ["", "Agency, programs without a fixed capacity", "", "", "", "2", "2", "", ""],
    ]


def test_a_program_far_over_capacity_is_drawn_beyond_its_capacity(client, login, report_pages):
    """31 people in 5 places: 620 %, vacant 5 − 31 = −26; the bar is scaled to 31, so the
    capacity mark falls at 5 ÷ 31 = 16.1 % and the 26 places beyond it are drawn in red."""
    overflow = ProgramFactory(name="Overflow Shelter", capacity_current=5)
    for _ in range(31):
        EnrollmentFactory(program=overflow, start_date=D(2026, 3, 1))
    login(RoleName.LEADER)

    response = client.get(URL, {"as_of": "2026-03-15"})

    row = next(r for r in screen_tables(response)["vacancy"] if r[0] == "Overflow Shelter")
    assert row == ["Overflow Shelter", "5", "31", "31", "-26", "620%", "over capacity"]
    html = response.content.decode()
    bar = re.search(r"<span[^>]*data-bar [^>]*>.*?</span>", html, re.S).group(0)
    assert 'data-filled="100.0" data-capacity-at="16.1"' in bar
    # Blue up to the capacity mark, red beyond it (the second part, with the mark on its
    # left edge): 16 % and 84 % of the bar, not a full bar that reads as 100 %.
    assert '<i class="w-[16%]"></i><i class="w-[84%]"></i>' in bar
    css = (settings.BASE_DIR / "theme/static/css/dist/styles.css").read_text()
    assert r".w-\[16\%\]{width:16%}" in css and r".w-\[84\%\]{width:84%}" in css
    assert r"[&_i+i]:bg-red-600" in html and r".\[\&_i\+i\]\:bg-red-600 i+i{" in css
    assert 'aria-hidden="true"' in bar  # the number is in the text, not only the bar


# Drill-down --------------------------------------------------------------------------


def links(response) -> dict[str, str]:
    """Program name → the href of its occupied count, for the counts that link."""
    found = {}
    for match in re.finditer(
        r'<tr[^>]*data-program="([^"]*)"[^>]*>.*?</tr>', response.content.decode(), re.S
    ):
        href = re.search(r'href="([^"]*)" data-testid="drill-down"', match.group(0))
        if href:
            found[match.group(1).replace("&#x27;", "'")] = href.group(1).replace("&amp;", "&")
    return found


def test_a_coordinator_follows_a_count_to_the_enrollments_behind_it(
    client, login, report_pages, registry
):
    login(RoleName.COORDINATOR)

    page = client.get(URL, {"as_of": "2026-03-15"})
    found = links(page)

    # Every non-zero count links; the empty Youth Shelter and the totals stay numbers.
    assert set(found) == {"Women's Shelter", "Family Shelter", "Winter Respite", "Drop-in"}
    women = registry["women"].pk
    assert found["Women's Shelter"] == (
        f"{ENROLLMENTS}?program={women}&active_on=2026-03-15&live=true"
    )
    listing = client.get(found["Women's Shelter"]).content.decode()
    # The 4 people's 6 enrollments; not Zora (left that day), Vera, nor Ursula's draft.
    for name in ("Xena", "Yusuf", "Wanjiru", "Quinn"):
        assert f"{name} Vacancy" in listing
    assert listing.count("Wanjiru Vacancy") == listing.count("Xena Vacancy") * 2
    for name in ("Zora", "Vera", "Ursula", "Tomas"):
        assert f"{name} Vacancy" not in listing


def test_program_staff_follow_only_their_own_programs(client, report_pages, registry):
    manager = StaffFactory(roles=[RoleName.MANAGER])
    ProgramStaff.objects.create(program=registry["women"], staff=manager)
    client.force_login(manager)

    assert set(links(client.get(URL, {"as_of": "2026-03-15"}))) == {"Women's Shelter"}


def test_no_link_for_a_day_before_the_staff_members_scope_window(
    client, report_pages, registry, settings
):
    """Before the window, people active that day may have left the manager's scope since
    (their enrollment ended long ago), so the list would not match the count."""
    manager = StaffFactory(roles=[RoleName.MANAGER])
    ProgramStaff.objects.create(program=registry["women"], staff=manager)
    client.force_login(manager)
    today = timezone.localdate()
    months_since = (today.year - AS_OF.year) * 12 + today.month - AS_OF.month

    # The window starts in the month after 2026-03-15: no link.
    settings.REGISTRY_SCOPE_MONTHS = months_since - 1
    assert links(client.get(URL, {"as_of": "2026-03-15"})) == {}
    # The window starts in the month before: the link is back.
    settings.REGISTRY_SCOPE_MONTHS = months_since + 1
    assert set(links(client.get(URL, {"as_of": "2026-03-15"}))) == {"Women's Shelter"}


def test_roles_without_the_records_see_numbers_only(client, login, report_pages, registry):
    login(RoleName.LEADER)  # a Leader assigned to no program or department

    page = client.get(URL, {"as_of": "2026-03-15"})

    assert links(page) == {}
    assert 'data-testid="drill-down"' not in page.content.decode()


def test_a_confidential_program_links_for_administrators_only(
    client, login, report_pages, registry
):
    registry["family"].confidential = True
    registry["family"].save()

    login(RoleName.COORDINATOR)
    assert "Family Shelter" not in links(client.get(URL, {"as_of": "2026-03-15"}))
    login(RoleName.ADMINISTRATOR)
    assert "Family Shelter" in links(client.get(URL, {"as_of": "2026-03-15"}))


# Dates ---------------------------------------------------------------------------------


def test_as_of_defaults_to_today(client, login, report_pages, registry):
    login(RoleName.LEADER)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["tracker"].as_of == timezone.localdate()
    # The date picker shows the day the numbers are for, not an empty box.
    today = timezone.localdate().isoformat()
    assert f'name="as_of" value="{today}"' in response.content.decode()


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("15/03/2026", "As of: Enter a valid date."),
        ("9999-12-31", "As of: choose a date from 1900-01-01 to 2100-12-31."),
        ("1899-12-31", "As of: choose a date from 1900-01-01 to 2100-12-31."),
        ("2101-01-01", "As of: choose a date from 1900-01-01 to 2100-12-31."),
    ],
)
def test_a_bad_date_gets_a_message(client, login, report_pages, registry, as_of, message):
    login(RoleName.LEADER)

    page = client.get(URL, {"as_of": as_of})
    csv = client.get(URL + "export/csv/", {"as_of": as_of})

    assert page.status_code == 200
    assert message in page.content.decode()
    assert screen_tables(page) == {}
    assert csv.status_code == 400 and message in csv.content.decode()


@pytest.mark.parametrize("as_of", ["1900-01-01", "2100-12-31"])
def test_the_first_and_last_sane_days_are_accepted(client, login, report_pages, registry, as_of):
    login(RoleName.LEADER)

    rows = screen_tables(client.get(URL, {"as_of": as_of}))["vacancy"]

    # Nobody is enrolled then; every program still has its row.
    assert ["Youth Shelter", "4", "0", "0", "4", "0%", ""] in rows


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

    assert ["Housing total", "100", "120", "120", "-20", "120%", "over capacity"] in rows
    assert ["Housing, programs without a fixed capacity", "—", "28", "28", "—", "—", ""] in rows
    assert ["Housing", "Housing total", "100", "", "", "120", "120", "-20", "120.0"] in csv
    assert ["Housing", "Drop-in", "", "", "", "28", "28", "", ""] in csv
    assert [
        "Housing",
        "Housing, programs without a fixed capacity",
        "",
        "",
        "",
        "28",
        "28",
        "",
        "",
    ] in csv
    assert not any("—" in cell for row in csv for cell in row)


# Hiding small counts -------------------------------------------------------------------
#
# Everyone enrolled from 2026-03-01, open; as of 2026-03-15, threshold 5:
#
#   Health   D cap 10: 6   E cap 10: 9   F drop-in (no capacity): 7   total cap 20: 15
#   Housing  A cap 20: 12  B cap 10: 2   C cap 10: 7                  total cap 40: 21
#   Youth    G cap 8: 3                                               total cap 8: 3
#   Agency   cap 68: 39; without a capacity: 7
#
# Primary: B (2), G (3) and the Youth total (3). Then, by hand, as reports/suppression.py
# does it (the smallest shown cell of a relation that gives a hidden one away):
#   - Youth = G and Agency − Health − Housing = Youth: hide the smallest other department
#     in the agency line, Health (15);
#   - Health = D + E: hide its smaller program, D (6);
#   - Housing − A − C = B: hide its smaller other program, C (7).
# Published: A 12, E 9, F 7, Housing 21, Agency 39 and 7; hidden: B, C, D, G, the Health
# and Youth totals. What a reader can still say: B + C = 9, D + G = 9, Health = 9 + D,
# Health + Youth = 18: a free choice of C and G, so no hidden count is pinned.


@pytest.fixture
def small_counts(db):
    health = DepartmentFactory(name="Health")
    housing = DepartmentFactory(name="Housing")
    youth = DepartmentFactory(name="Youth")
    programs = {}
    for department, name, capacity, people in (
        (health, "D", 10, 6),
        (health, "E", 10, 9),
        (health, "F", None, 7),
        (housing, "A", 20, 12),
        (housing, "B", 10, 2),
        (housing, "C", 10, 7),
        (youth, "G", 8, 3),
    ):
        programs[name] = ProgramFactory(name=name, department=department, capacity_current=capacity)
        for _ in range(people):
            EnrollmentFactory(program=programs[name], start_date=D(2026, 3, 1))
    return programs


HIDDEN_QUERY = {"as_of": "2026-03-15", "hide_small": "on"}
EXPECTED_HIDDEN = [
    # Program, capacity, occupied, enrollments, vacant, rate
    ["D", "10", "x", "x", "x", "x", ""],
    ["E", "10", "9", "x", "1", "90%", ""],
    ["F", "— No fixed capacity", "7", "x", "—", "—", ""],
    ["Health total", "20", "x", "x", "x", "x", ""],
    ["Health, programs without a fixed capacity", "—", "7", "x", "—", "—", ""],
    ["A", "20", "12", "x", "8", "60%", ""],
    ["B", "10", "x", "x", "x", "x", ""],
    ["C", "10", "x", "x", "x", "x", ""],
    ["Housing total", "40", "21", "x", "19", "52.5%", ""],
    ["G", "8", "x", "x", "x", "x", ""],
    ["Youth total", "8", "x", "x", "x", "x", ""],
    ["Agency total", "68", "39", "x", "29", "57.4%", ""],
    ["Agency, programs without a fixed capacity", "—", "7", "x", "—", "—", ""],
]


def test_hiding_hides_the_small_counts_and_their_complements_on_screen_and_in_the_file(
    client, login, report_pages, small_counts
):
    login(RoleName.LEADER)

    page = client.get(URL, HIDDEN_QUERY)
    export = client.get(URL + "export/csv/", HIDDEN_QUERY)

    assert screen_tables(page)["vacancy"][1:] == EXPECTED_HIDDEN
    assert "Hide counts below 5" in page.content.decode()
    assert export["Content-Disposition"] == (
        'attachment; filename="vacancy-tracker-as-of-2026-03-15-counts-below-5-hidden.csv"'
    )

    # The file holds what the screen shows, cell for cell.
    def as_on_screen(row):
        _, line, capacity, _from, _to, occupied, enrollments, vacant, rate = row
        if rate not in ("", "x"):
            rate = f"{float(rate):g}%"
        return [line, capacity or "—", occupied, enrollments, vacant or "—", rate or "—"]

    screen = [row[:6] for row in EXPECTED_HIDDEN if len(row) > 1]
    screen = [[row[0], row[1].split(" ")[0], *row[2:]] for row in screen]
    assert [as_on_screen(row) for row in csv_rows(export)[1:]] == screen
    # No bar, over-capacity flag or double-enrollment note is drawn for a hidden count.
    html = page.content.decode()
    assert html.count("data-bar ") == 4  # E, A, the Housing and agency totals
    assert "data-double-enrolled" not in html


def reader_relations(rows):
    """What a reader of the CSV knows: each total is the sum of its lines (a department's
    programs with a capacity, its programs without one), the agency's of the departments'
    and of every program; and vacant = capacity − occupied, rate = occupied ÷ capacity.
    Cells are (department, line) with the occupied value, None when hidden."""
    programs, totals, without = {}, {}, {}
    for department, line, capacity, _f, _t, occupied, _e, vacant, rate in rows[1:]:
        value = None if occupied == "x" else int(occupied)
        # A hidden occupancy must not be recoverable from its vacancy or rate.
        if value is None:
            assert vacant in ("x", "") and rate in ("x", ""), (department, line)
        if line == "Agency total":
            totals["agency"] = value
        elif line == "Agency, programs without a fixed capacity":
            without["agency"] = value
        elif line == f"{department} total":
            totals[department] = value
        elif line == f"{department}, programs without a fixed capacity":
            without[department] = value
        else:
            programs[(department, line)] = (value, capacity != "")
    cells = {("program", k): v for k, (v, _) in programs.items()}
    cells |= {("total", k): v for k, v in totals.items()}
    cells |= {("without", k): v for k, v in without.items()}
    relations = []
    for department in [k for k in totals if k != "agency"]:
        relations.append(
            (
                ("total", department),
                [("program", k) for k, (_, c) in programs.items() if k[0] == department and c],
            )
        )
        if department in without:
            relations.append(
                (
                    ("without", department),
                    [
                        ("program", k)
                        for k, (_, c) in programs.items()
                        if k[0] == department and not c
                    ],
                )
            )
    relations.append((("total", "agency"), [("total", d) for d in totals if d != "agency"]))
    relations.append((("total", "agency"), [("program", k) for k, (_, c) in programs.items() if c]))
    relations.append((("without", "agency"), [("without", d) for d in without if d != "agency"]))
    relations.append(
        (("without", "agency"), [("program", k) for k, (_, c) in programs.items() if not c])
    )
    return cells, relations


def test_no_subtraction_of_the_published_totals_recovers_a_hidden_count(
    client, login, report_pages, small_counts
):
    import itertools

    login(RoleName.LEADER)
    cells, relations = reader_relations(csv_rows(client.get(URL + "export/csv/", HIDDEN_QUERY)))
    hidden = {cell for cell, value in cells.items() if value is None}
    assert len(hidden) == 6

    # Every sum and difference of the relations (coefficients −1, 0, 1): none leaves a
    # single hidden cell, which would then be known.
    for coefficients in itertools.product((-1, 0, 1), repeat=len(relations)):
        weights = {}
        for c, (total, parts) in zip(coefficients, relations, strict=True):
            for cell, sign in ((total, -c), *((part, c) for part in parts)):
                weights[cell] = weights.get(cell, 0) + sign
        alone = [cell for cell, w in weights.items() if w and cell in hidden]
        assert len(alone) != 1, (coefficients, alone)

    # And every whole-number filling of the hidden cells that fits the published totals:
    # each hidden cell can take more than one value, so none is pinned.
    order = sorted(hidden)
    bound = cells[("total", "agency")]
    solutions = []
    for values in itertools.product(range(bound + 1), repeat=2):
        # Two free choices (C and G) fix the rest: try every pair, solve, and check.
        filled = {("program", ("Housing", "C")): values[0], ("program", ("Youth", "G")): values[1]}
        filled[("program", ("Housing", "B"))] = (
            cells[("total", "Housing")] - cells[("program", ("Housing", "A"))] - values[0]
        )
        filled[("total", "Youth")] = values[1]
        filled[("total", "Health")] = bound - cells[("total", "Housing")] - values[1]
        filled[("program", ("Health", "D"))] = (
            filled[("total", "Health")] - cells[("program", ("Health", "E"))]
        )
        known = {**cells, **filled}
        if any(v < 0 for v in filled.values()):
            continue
        if all(known[total] == sum(known[p] for p in parts) for total, parts in relations):
            solutions.append(tuple(filled[cell] for cell in order))
    assert len(solutions) > 1
    for index, cell in enumerate(order):
        assert len({s[index] for s in solutions}) > 1, cell


def test_hidden_counts_never_link(client, login, report_pages, small_counts):
    login(RoleName.COORDINATOR)

    found = links(client.get(URL, HIDDEN_QUERY))

    assert set(found) == {"E", "F", "A"}  # the shown counts; B, C, D and G are hidden


def test_the_threshold_is_a_setting(client, login, report_pages, small_counts, settings):
    """Below 3: only B (2) is small; C (7), the smaller other program of Housing, hides it.
    G and the Youth total (3) are shown."""
    settings.REGISTRY_SUPPRESSION_THRESHOLD = 3
    login(RoleName.LEADER)

    page = client.get(URL, HIDDEN_QUERY)
    rows = {row[0]: row[2] for row in screen_tables(page)["vacancy"][1:] if len(row) > 1}
    export = client.get(URL + "export/csv/", HIDDEN_QUERY)

    assert [name for name, occupied in rows.items() if occupied == "x"] == ["B", "C"]
    assert rows["G"] == "3" and rows["Youth total"] == "3"
    assert "Hide counts below 3" in page.content.decode()
    assert "counts-below-3-hidden.csv" in export["Content-Disposition"]


def test_no_hidden_count_can_be_worked_out_on_random_tables():
    """The tracker is protected one relation at a time (fast at city scale); checked here
    against the whole system at once: on 300 random tables no combination of all the
    relations pins a hidden count (suppression.determined), no relation's hidden cells add
    up to too little, and every count from 1 to 4 is hidden."""
    import random
    import uuid

    from reports.selectors import DepartmentVacancy, ProgramVacancy, VacancyTracker
    from reports.suppression import determined
    from reports.vacancy import _cells_and_relations, hidden_cells

    rng = random.Random(16)
    for _ in range(300):
        departments = []
        for d in range(rng.randint(1, 4)):
            programs = [
                ProgramVacancy(
                    as_of=AS_OF,
                    program=f"P{d}.{p}",
                    capacity=None if rng.random() < 0.2 else rng.randint(1, 20),
                    capacity_from=None,
                    capacity_to=None,
                    occupied=rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 12, 30]),
                    program_id=uuid.UUID(int=rng.getrandbits(128)),
                )
                for p in range(rng.randint(1, 5))
            ]
            departments.append(DepartmentVacancy(f"D{d}", programs))
        tracker = VacancyTracker(as_of=AS_OF, departments=departments)
        values, relations = _cells_and_relations(tracker)

        hidden = hidden_cells(tracker, threshold=5)

        assert {cell for cell, n in values.items() if 0 < n < 5} <= hidden
        assert determined(hidden, relations) == set()
        for relation in relations:
            parts = [cell for cell in relation.parts if cell in hidden]
            if parts and relation.total not in hidden:
                total = sum(values[cell] for cell in parts)
                assert total > len(parts) and total >= 5, relation


# The page's layout at city size -------------------------------------------------------


def summaries(response) -> dict[str, str]:
    """Each department's line (its <summary>), by department, as text."""
    html = response.content.decode()
    found = {}
    for match in re.finditer(
        r'<details[^>]*data-department="([^"]*)"[^>]*>\s*<summary[^>]*>(.*?)</summary>', html, re.S
    ):
        found[match.group(1)] = " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())
    return found


def test_a_past_day_on_the_page_and_in_the_file_uses_that_days_capacity(
    client, login, report_pages, registry
):
    """Family Shelter: 3 places to 2026-03-31, 5 from 2026-04-01; Tomas occupies one."""
    login(RoleName.LEADER)

    def family(day):
        page = screen_tables(client.get(URL, {"as_of": day}))["vacancy"]
        csv = csv_rows(client.get(URL + "export/csv/", {"as_of": day}))
        return (
            next(row for row in page if row[0] == "Family Shelter")[:6],
            next(row for row in csv if row[1] == "Family Shelter"),
        )

    assert family("2026-03-31") == (
        ["Family Shelter", "3 (to 2026-03-31)", "1", "1", "2", "33.3%"],
        ["Shelter", "Family Shelter", "3", "", "2026-03-31", "1", "1", "2", "33.3"],
    )
    assert family("2026-04-01") == (
        ["Family Shelter", "5 (from 2026-04-01)", "1", "1", "4", "20%"],
        ["Shelter", "Family Shelter", "5", "2026-04-01", "", "1", "1", "4", "20.0"],
    )


def test_each_department_is_one_line_with_its_totals_and_opens_on_its_programs(
    client, login, report_pages, registry, monkeypatch
):
    login(RoleName.LEADER)

    page = client.get(URL, {"as_of": "2026-03-15"})

    # A small agency sees every program at once.
    assert page.content.decode().count("<details") == 2
    assert page.content.decode().count("<details") == page.content.decode().count(" open>")
    assert summaries(page) == {
        "Drop-in": "Drop-in 1 program",
        "Shelter": "Shelter 4 programs · 5 of 9 places occupied (55.6%), 4 vacant · "
        "1 program over capacity · 1 data-quality flag",
    }
    # Above OPEN_DEPARTMENTS_UP_TO programs (a city), each department starts folded, its
    # line in view; its programs are in the page (find in page, print) and in the file.
    monkeypatch.setattr("reports.vacancy.OPEN_DEPARTMENTS_UP_TO", 4)
    folded = client.get(URL, {"as_of": "2026-03-15"})
    html = folded.content.decode()
    assert html.count("<details") == 2 and " open>" not in html
    assert ["Youth Shelter", "4", "0", "0", "4", "0%", ""] in screen_tables(folded)["vacancy"]


def test_a_departments_line_hides_what_its_total_hides(client, login, report_pages, small_counts):
    login(RoleName.LEADER)

    page = client.get(URL, HIDDEN_QUERY)

    # The Health and Youth totals are hidden in the table (EXPECTED_HIDDEN), so in the line.
    assert summaries(page) == {
        "Health": "Health 3 programs · x of 20 places occupied (x), x vacant",
        "Housing": "Housing 3 programs · 21 of 40 places occupied (52.5%), 19 vacant",
        "Youth": "Youth 1 program · x of 8 places occupied (x), x vacant",
    }


def test_a_report_read_leaves_the_callers_planner_settings_as_they_were(registry):
    # The reports plan their one big read without nested loops; inside a caller's
    # transaction (a home page made atomic, a benchmark) the next query must not be planned
    # so too: the home page's restrictions this week hashed a million clients.
    from django.db import connection

    def settings_now():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_nestloop'), current_setting('work_mem'),"
                " current_setting('jit')"
            )
            return cursor.fetchone()

    before = settings_now()
    assert before[0] == "on"
    assert vacancy_tracker(as_of=timezone.localdate()).departments
    assert settings_now() == before
