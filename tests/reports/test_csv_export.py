"""CSV exports: the numbers on screen, safe to open in a spreadsheet, named after the inputs,
and streamed; hiding small counts hides the same cells in both places."""

import datetime

import pytest
from django.http import StreamingHttpResponse

from reports.exports import csv_cell
from staff.roles import RoleName
from tests.factories import ClientFactory, DepartmentFactory, EnrollmentFactory, ProgramFactory

from .pages import csv_rows, screen_tables

D = datetime.date
ORG = "/reports/org-summary/"
VACANCY = "/reports/vacancy-tracker/"
PERIOD = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def registry(db):
    """Six clients in the Men's Shelter (capacity 10), two of them also at a drop-in whose
    name a spreadsheet would read as a formula; answers that look like formulas too."""
    shelter = DepartmentFactory(name="+Shelter")
    mens = ProgramFactory(name="Men's Shelter", department=shelter, capacity_current=10)
    formula = ProgramFactory(
        name='=HYPERLINK("http://evil.test","Drop-in")', department=shelter, capacity_current=1
    )
    clients = [
        ClientFactory(gender="Man", languages=["English"], dob=D(1980, 1, 1)) for _ in range(5)
    ]
    clients.append(ClientFactory(gender="@SUM(1+1)", languages=["Français"], dob=D(1980, 1, 1)))
    for person in clients:
        EnrollmentFactory(client=person, program=mens, start_date=D(2026, 3, 1))
    for person in clients[:2]:
        EnrollmentFactory(client=person, program=formula, start_date=D(2026, 3, 1))
    return clients


def screen_lines(response):
    """The page's tables as CSV lines would hold them: (section, department, item, value)."""
    lines = []
    for rows in screen_tables(response).values():
        header, body = rows[0], rows[1:]
        labels = 2 if header[:2] == ["Department", "Program"] else 1
        for row in body:
            department = row[0] if labels == 2 else ""
            for measure, value in zip(header[labels:], row[labels:], strict=True):
                lines.append((department, row[labels - 1], measure, value))
    return lines


def file_lines(rows):
    def unescape(text):
        # The apostrophe is the spreadsheet's escape, not part of the name shown on screen.
        return text[1:] if text.startswith("'") and text[1:2] in "=+-@" else text

    return [
        (unescape(d), unescape(i), m.removesuffix(" (%)"), as_number(v))
        for _, d, i, m, v in rows[1:]
    ]


def as_number(text):
    """A count, share or rate as a number ("83.3%" and 83.3 alike; "—" as empty)."""
    if text in ("—", ""):
        return ""
    try:
        return float(text.removesuffix("%").replace("\u00a0", "").replace(",", "").strip())
    except ValueError:
        return text


def as_in_file(lines):
    return [(d, i, m, as_number(v)) for d, i, m, v in lines]


@pytest.mark.parametrize("hide_small", [False, True])
def test_org_summary_csv_holds_the_numbers_on_screen(
    client, login, report_pages, registry, hide_small
):
    login(RoleName.LEADER)
    query = {**PERIOD, **({"hide_small": "on"} if hide_small else {})}

    page = client.get(ORG, query)
    export = client.get(ORG + "export/csv/", query)

    assert export.status_code == 200
    assert file_lines(csv_rows(export)) == as_in_file(screen_lines(page))


def test_hiding_small_counts_on_screen_and_in_the_file(client, login, report_pages, registry):
    login(RoleName.LEADER)
    query = {**PERIOD, "hide_small": "on"}

    page = client.get(ORG, query)
    rows = csv_rows(client.get(ORG + "export/csv/", query))

    # Six clients in the Men's Shelter are shown; the drop-in's two are hidden (as "x",
    # the mark of every hidden count, small or complementary).
    programs = {row[1]: row[2] for row in screen_tables(page)["program"][1:]}
    assert programs == {"Men's Shelter": "6", '=HYPERLINK("http://evil.test","Drop-in")': "x"}
    assert ["Programs", "'+Shelter", "Men's Shelter", "Clients served", "6"] in rows
    assert [
        "Programs",
        "'+Shelter",
        '\'=HYPERLINK("http://evil.test","Drop-in")',
        "Clients served",
        "x",
    ] in rows
    # The one client who answered "@SUM(1+1)" is hidden, and so are the five men: the
    # total (6) minus the men would give the one back.
    assert ["Gender", "", "Man", "Clients", "x"] in rows
    # Nothing between 1 and 4 is left anywhere in the file.
    assert not [row for row in rows[1:] if row[4] in {"1", "2", "3", "4"}]
    # And no bar gives a hidden count away by its length.
    assert 'width="33.3"' not in page.content.decode()


def test_without_hiding_every_count_is_shown(client, login, report_pages, registry):
    login(RoleName.LEADER)

    rows = csv_rows(client.get(ORG + "export/csv/", PERIOD))

    assert ["Gender", "", "Man", "Clients", "5"] in rows
    assert ["Gender", "", "'@SUM(1+1)", "Clients", "1"] in rows
    assert ["Languages", "", "Français", "Clients", "1"] in rows  # UTF-8 intact


def test_csv_is_a_streamed_download_named_after_its_inputs(client, login, report_pages, registry):
    login(RoleName.ANALYST)

    org = client.get(ORG + "export/csv/", {**PERIOD, "hide_small": "on"})
    vacancy = client.get(VACANCY + "export/csv/", {"as_of": "2026-03-15"})

    assert isinstance(org, StreamingHttpResponse)
    assert org["Content-Type"] == "text/csv; charset=utf-8"
    assert org["Content-Disposition"] == (
        'attachment; filename="org-summary-2026-03-01-to-2026-03-31-counts-below-5-hidden.csv"'
    )
    assert vacancy["Content-Disposition"] == (
        'attachment; filename="vacancy-tracker-as-of-2026-03-15.csv"'
    )
    assert "no-store" in org["Cache-Control"]


def test_the_page_links_to_the_csv_of_what_it_shows(client, login, report_pages, registry):
    login(RoleName.LEADER)

    page = client.get(ORG, {**PERIOD, "hide_small": "on"})

    assert (
        'href="/reports/org-summary/export/csv/?date_from=2026-03-01&amp;date_to=2026-03-31'
        '&amp;hide_small=on"' in page.content.decode()
    )


def test_vacancy_csv_holds_the_numbers_on_screen(client, login, report_pages, registry):
    login(RoleName.MANAGER)
    query = {"as_of": "2026-03-15"}

    page = client.get(VACANCY, query)
    rows = csv_rows(client.get(VACANCY + "export/csv/", query))

    # Rates: 2 ÷ 1 = 200 %, 6 ÷ 10 = 60 %, 8 ÷ 11 = 72.7 %.
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
        [
            "'+Shelter",
            '\'=HYPERLINK("http://evil.test","Drop-in")',
            "1",
            "",
            "",
            "2",
            "2",
            "-1",
            "200.0",
        ],
        ["'+Shelter", "Men's Shelter", "10", "", "", "6", "6", "4", "60.0"],
        ["'+Shelter", "'+Shelter total", "11", "", "", "8", "8", "3", "72.7"],
        ["", "Agency total", "11", "", "", "8", "8", "3", "72.7"],
    ]
    screen = [row[:6] for row in screen_tables(page)["vacancy"] if len(row) > 1][1:]
    assert screen == [
        ['=HYPERLINK("http://evil.test","Drop-in")', "1", "2", "2", "-1", "200%"],
        ["Men's Shelter", "10", "6", "6", "4", "60%"],
        ["+Shelter total", "11", "8", "8", "3", "72.7%"],
        ["Agency total", "11", "8", "8", "3", "72.7%"],
    ]


def test_vacancy_hides_small_occupancy_and_what_would_reveal_it(
    client, login, report_pages, registry
):
    login(RoleName.MANAGER)
    query = {"as_of": "2026-03-15", "hide_small": "on"}

    page = client.get(VACANCY, query)
    rows = csv_rows(client.get(VACANCY + "export/csv/", query))

    # The drop-in's 2 is hidden, and so is the Men's Shelter's 6: the total (8) minus it
    # would give the 2 back. Their vacancies and rates go with them.
    drop_in = '=HYPERLINK("http://evil.test","Drop-in")'
    assert [row[:6] for row in screen_tables(page)["vacancy"][1:3]] == [
        [drop_in, "1", "x", "x", "x", "x"],
        ["Men's Shelter", "10", "x", "x", "x", "x"],
    ]
    assert ["'+Shelter", "'" + drop_in, "1", "", "", "x", "x", "x", "x"] in rows
    assert ["'+Shelter", "Men's Shelter", "10", "", "", "x", "x", "x", "x"] in rows
    assert ["'+Shelter", "'+Shelter total", "11", "", "", "8", "x", "3", "72.7"] in rows


def test_bad_inputs_on_the_csv_route_explain_instead_of_downloading(client, login, report_pages):
    login(RoleName.LEADER)

    response = client.get(ORG + "export/csv/", {"date_from": "2026-03-31", "date_to": "2026-03-01"})

    assert response.status_code == 400
    assert "is after the" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+41 22", "'+41 22"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Men's Shelter", "Men's Shelter"),
        (-3, -3),  # a negative vacancy is a number, not a formula
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_escaped(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize(("url", "needs"), [(ORG, "date_from, date_to"), (VACANCY, "as_of")])
def test_the_csv_route_without_its_inputs_names_them(client, login, report_pages, url, needs):
    login(RoleName.LEADER)

    response = client.get(url + "export/csv/")

    assert response.status_code == 400
    assert f"This CSV needs {needs}" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "query", "message"),
    [
        (VACANCY, {"as_of": "9999-12-31"}, "As of: choose a date from 1900-01-01 to 2100-12-31"),
        (ORG, {"date_from": "1850-01-01", "date_to": "2026-01-01"}, "From: choose a date"),
        (ORG, {"date_from": "2000-01-01", "date_to": "2026-01-01"}, "longer than 10 years"),
    ],
)
def test_dates_outside_a_sane_range_are_refused(client, login, report_pages, url, query, message):
    login(RoleName.LEADER)

    page = client.get(url, query)
    csv = client.get(url + "export/csv/", query)

    assert message in page.content.decode()
    assert csv.status_code == 400 and message in csv.content.decode()
