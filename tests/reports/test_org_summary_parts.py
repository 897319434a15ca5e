"""The Org Summary's parts from issue 16, on the hand-worked registry of test_org_summary:
every program a row, shares for the reader's language, the month-by-month figures with
the occupancy on each month's last day, and the drill-down from a count to its records.

Month by month, 2026-02-15 to 2026-04-10 (capacity 20 in Women's and Family Shelter,
none in Counselling):

    month          served          intakes  discharges  occupied on the last day
    Feb 15–28      A, C, D, I = 4  C = 1    C = 1       A, D (P1), I (P2) = 3 of 40
    March          A, B, D, I = 4  A, B = 2 A = 1       B, D (P1), I (P2) = 3 of 40
    Apr 1–10       B, D, E, I = 4  0        0           B, D (P1), E, I (P2) = 4 of 40

Served in the whole window: A, B, C, D, E, I = 6 (each once, however many months).
"""

import datetime

from django.utils import translation

from reports.selectors import org_summary
from reports.tables import org_summary_view, percent
from snippets.models import ClientProgramEnrollment, Department
from staff.roles import RoleName
from tests.factories import ClientFactory, EnrollmentFactory, ProgramFactory

from .pages import screen_table, screen_tables
from .test_org_summary import registry  # noqa: F401  (the hand-worked registry)

D = datetime.date
URL = "/reports/org-summary/"
WINDOW = {"date_from": "2026-02-15", "date_to": "2026-04-10"}


def test_the_months_of_the_window_are_counted_each_on_its_own(registry):  # noqa: F811
    summary = org_summary(date_from=D(2026, 2, 15), date_to=D(2026, 4, 10))

    assert summary.clients_served == 6
    assert [
        (m.day_from, m.day_to, m.clients_served, m.intakes, m.discharges, m.occupied, m.capacity)
        for m in summary.months
    ] == [
        (D(2026, 2, 15), D(2026, 2, 28), 4, 1, 1, 3, 40),
        (D(2026, 3, 1), D(2026, 3, 31), 4, 2, 1, 3, 40),
        (D(2026, 4, 1), D(2026, 4, 10), 4, 0, 0, 4, 40),
    ]
    assert [m.occupancy_rate for m in summary.months] == [7.5, 7.5, 10.0]


def test_the_month_end_occupancy_uses_the_capacity_in_effect_that_day(db):
    # 10 places to 15 March, 30 from the 16th; two people stay throughout.
    hostel = ProgramFactory(
        name="Hostel", capacity_history=[(10, None, D(2026, 3, 15)), (30, D(2026, 3, 16), None)]
    )
    for _ in range(2):
        EnrollmentFactory(client=ClientFactory(), program=hostel, start_date=D(2026, 1, 1))

    months = org_summary(date_from=D(2026, 2, 1), date_to=D(2026, 3, 31)).months

    assert [(m.occupied, m.capacity, m.occupancy_rate) for m in months] == [
        (2, 10, 20.0),
        (2, 30, 6.7),
    ]


def test_the_page_shows_the_month_table_and_its_chart(client, login, report_pages, registry):  # noqa: F811
    login(RoleName.LEADER)

    response = client.get(URL, WINDOW)

    rows = screen_tables(response)["month"]
    assert rows[0] == [
        "Month",
        "Clients served",
        "Intakes",
        "Discharges",
        "Occupancy on the last day",
    ]
    assert [row[1:] for row in rows[1:]] == [
        ["4", "1", "1", "7.5%"],
        ["4", "2", "1", "7.5%"],
        ["4", "0", "0", "10%"],
    ]
    assert rows[1][0].startswith("February 2026 (") and rows[2][0] == "March 2026"
    text = response.content.decode()
    # The chart: one line per count, a point per month, labelled for screen readers.
    assert text.count('<g data-series="') == 3
    assert 'aria-labelledby="monthly-chart-caption"' in text
    assert "the table holds the same figures" in text


def test_every_program_has_a_row_with_zeros(client, login, report_pages, registry):  # noqa: F811
    ProgramFactory(name="Quiet Room", department=Department.objects.get(name="Shelter"))
    login(RoleName.LEADER)

    response = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    programs = screen_tables(response)["program"][1:]
    assert ["Shelter", "Quiet Room", "0", "0", "0"] in programs
    # Sorted by department, then program, as before.
    assert [row[:2] for row in programs] == [
        ["Counselling", "Counselling"],
        ["Shelter", "Family Shelter"],
        ["Shelter", "Quiet Room"],
        ["Shelter", "Women's Shelter"],
    ]


def test_shares_are_written_for_the_language(client, login, report_pages, registry):  # noqa: F811
    login(RoleName.LEADER)
    response = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    # 2 of the 4 served are women; 1 of 4 men.
    assert screen_table(response, "gender")["Woman"] == ["2", "50%"]

    summary = org_summary(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))
    with translation.override("fr"):
        view = org_summary_view(summary, suppress=False)
    gender = next(t for t in view.tables if t.key == "gender")
    # French: a decimal comma and a non-breaking space before the sign.
    assert [str(values[1]) for _, values in gender.rows] == ["50\u00a0%", "25\u00a0%", "25\u00a0%"]
    assert str(percent(1, 8, separator=",")) == "12.5%".replace(".", ",")


def test_the_drill_down_lists_who_the_count_counts(client, login, report_pages, registry):  # noqa: F811
    login(RoleName.COORDINATOR)
    response = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    text = response.content.decode().replace("&amp;", "&")
    women = ClientProgramEnrollment.objects.filter(program__name="Women's Shelter").first()
    needle = f"?program={women.program_id}&served_from=2026-03-01&served_to=2026-03-31&live=true"
    assert needle in text

    listing = client.get(
        "/admin/snippets/snippets/clientprogramenrollment/" + needle
    ).content.decode()

    in_period = ClientProgramEnrollment.objects.filter(
        program__name="Women's Shelter", live=True
    ).overlapping(D(2026, 3, 1), D(2026, 3, 31))
    outside = ClientProgramEnrollment.objects.filter(program__name="Women's Shelter").exclude(
        pk__in=in_period.values("pk")
    )
    for enrollment in in_period:
        assert str(enrollment.client) in listing
    for enrollment in outside.filter(live=True):
        assert str(enrollment.client) not in listing


def test_no_drill_down_for_those_who_may_not_list_the_records(
    client,
    login,
    report_pages,
    registry,  # noqa: F811
):
    login(RoleName.MANAGER)  # assigned to no program

    response = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    assert 'data-testid="drill-down"' not in response.content.decode()
    assert screen_table(response, "summary")["Intakes"] == ["2"]


def test_hidden_counts_never_link(client, login, report_pages, registry):  # noqa: F811
    login(RoleName.ADMINISTRATOR)

    response = client.get(
        URL, {"date_from": "2026-03-01", "date_to": "2026-03-31", "hide_small": "on"}
    )

    # Every count in this registry is below 5: all hidden, none a link.
    assert 'data-testid="drill-down"' not in response.content.decode()
    assert list(screen_table(response, "summary").values()) == [["x"], ["x"], ["x"]]
