"""A Leader reads both reports and downloads each CSV, in a browser."""

import csv
import datetime
import io

from playwright.sync_api import expect

from staff.roles import RoleName
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.factories import ClientFactory, EnrollmentFactory, ProgramFactory


def download_csv(page):
    with page.expect_download() as download_info:
        page.get_by_test_id("csv-link").click()
    download = download_info.value
    raw = open(download.path(), "rb").read()  # noqa: SIM115
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return download.suggested_filename, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_leader_opens_both_reports_and_downloads_each_csv(page, sign_in):
    sign_in(RoleName.LEADER)
    shelter = ProgramFactory(name="Family Shelter", capacity_current=3)
    today = datetime.date.today()
    for _ in range(2):
        EnrollmentFactory(client=ClientFactory(), program=shelter, start_date=today)

    page.goto("/admin/")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Vacancy Tracker").click()
    expect(page.locator("main")).to_contain_text("Family Shelter")
    screenshot(page, "vacancy-tracker")
    assert serious_accessibility_violations(page) == []
    name, rows = download_csv(page)
    assert name.endswith(".csv") and today.isoformat() in name
    shelter_row = next(row for row in rows if "Family Shelter" in row)
    assert "3" in shelter_row and "2" in shelter_row and "1" in shelter_row

    page.go_back()
    page.goto("/reports/")
    page.get_by_role("link", name="Org Summary").click()
    page.fill('input[name="date_from"]', (today - datetime.timedelta(days=30)).isoformat())
    page.fill('input[name="date_to"]', today.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("Family Shelter")
    screenshot(page, "org-summary")
    assert serious_accessibility_violations(page) == []
    name, rows = download_csv(page)
    assert today.isoformat() in name
    assert any("Family Shelter" in row for row in rows)


def test_coordinator_reads_an_over_capacity_program_and_opens_the_people_behind_it(page, sign_in):
    """3 people in 1 place, one of them with two enrollments: 300 %, drawn past the
    capacity mark, flagged, and the count opens the Enrollments list of that day."""
    sign_in(RoleName.COORDINATOR)
    overflow = ProgramFactory(name="Overflow Respite", capacity_current=1)
    today = datetime.date.today()
    people = {
        name: ClientFactory(first_name=name, last_name="Journey")
        for name in ("Ines", "Jonah", "Kemal", "Lidia")
    }
    for name in ("Ines", "Jonah", "Kemal"):
        EnrollmentFactory(
            client=people[name], program=overflow, start_date=today - datetime.timedelta(days=3)
        )
    kemal = people["Kemal"]
    EnrollmentFactory(client=kemal, program=overflow, start_date=today)
    EnrollmentFactory(
        client=people["Lidia"],
        program=overflow,
        start_date=today - datetime.timedelta(days=9),
        end_date=today - datetime.timedelta(days=1),
    )

    page.goto("/reports/vacancy-tracker/")
    row = page.locator('tr[data-program="Overflow Respite"]')
    expect(row.locator("[data-rate]")).to_have_text("300%")
    expect(row.locator("[data-vacant]")).to_have_text("-2")
    expect(row.get_by_text("over capacity")).to_be_visible()
    expect(row.get_by_text("1 person holds 2 enrollments in this program.")).to_be_visible()
    # The bar: one third within the capacity, two thirds beyond it, drawn so.
    bar = row.locator("[data-bar]")
    expect(bar).to_have_attribute("data-capacity-at", "33.3")
    whole = bar.bounding_box()
    within, beyond = (part.bounding_box() for part in bar.locator("i").all())
    assert abs(within["width"] / whole["width"] - 0.33) < 0.02
    assert abs(beyond["width"] / whole["width"] - 0.67) < 0.02
    assert abs(within["x"] + within["width"] - beyond["x"]) < 1  # red starts at the mark
    assert bar.locator("i").nth(1).evaluate("e => getComputedStyle(e).backgroundColor") != (
        bar.locator("i").nth(0).evaluate("e => getComputedStyle(e).backgroundColor")
    )
    screenshot(page, "vacancy-tracker-over-capacity")
    assert serious_accessibility_violations(page) == []

    row.get_by_test_id("drill-down").click()
    page.wait_for_url("**/clientprogramenrollment/**")
    listing = page.locator("main")
    for name in ("Ines", "Jonah", "Kemal"):
        expect(listing).to_contain_text(f"{name} Journey")
    expect(listing.get_by_text("Kemal Journey")).to_have_count(2)
    expect(listing).not_to_contain_text("Lidia Journey")


def test_leader_reads_the_monthly_trend_with_counts_hidden(page, sign_in):
    """Three months of a shelter: the month table and its line chart, the shares, and
    with counts hidden every small count (and what would give it back) shown as x."""
    sign_in(RoleName.LEADER)
    shelter = ProgramFactory(name="Harbour Shelter", capacity_current=40)
    respite = ProgramFactory(name="Quiet Respite", department=shelter.department)
    today = datetime.date.today()
    start = (today.replace(day=1) - datetime.timedelta(days=32)).replace(day=1)
    for i in range(24):
        EnrollmentFactory(
            client=ClientFactory(gender="Woman" if i % 3 else "Man"),
            program=shelter,
            start_date=start + datetime.timedelta(days=2 * i),
        )
    EnrollmentFactory(client=ClientFactory(gender="Two-Spirit"), program=respite, start_date=today)

    page.goto(f"/reports/org-summary/?date_from={start.isoformat()}&date_to={today.isoformat()}")
    months = page.locator('table[data-table="month"] tbody tr')
    expect(months).to_have_count(3)
    chart = page.get_by_test_id("monthly-chart")
    expect(chart.locator("g[data-series]")).to_have_count(3)
    expect(chart.locator('g[data-series="clients_served"] circle')).to_have_count(3)
    expect(page.locator('table[data-table="gender"]')).to_contain_text("%")
    expect(page.locator('table[data-table="program"]')).to_contain_text("Quiet Respite")
    page.get_by_test_id("monthly-chart").scroll_into_view_if_needed()
    screenshot(page, "org-summary-monthly-trend")
    assert serious_accessibility_violations(page) == []

    page.check('input[name="hide_small"]')
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("suppression-note")).to_be_visible()
    respite_row = page.locator('table[data-table="program"] tr', has_text="Quiet Respite")
    expect(respite_row).to_contain_text("x")
    screenshot(page, "org-summary-counts-hidden")
    assert serious_accessibility_violations(page) == []
