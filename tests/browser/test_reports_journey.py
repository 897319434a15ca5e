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
    # The bar: one third within the capacity, two thirds beyond it.
    bar = row.locator("svg[data-bar]")
    expect(bar).to_have_attribute("data-capacity-at", "33.3")
    screenshot(page, "vacancy-tracker-over-capacity")
    assert serious_accessibility_violations(page) == []

    row.get_by_test_id("drill-down").click()
    page.wait_for_url("**/clientprogramenrollment/**")
    listing = page.locator("main")
    for name in ("Ines", "Jonah", "Kemal"):
        expect(listing).to_contain_text(f"{name} Journey")
    expect(listing.get_by_text("Kemal Journey")).to_have_count(2)
    expect(listing).not_to_contain_text("Lidia Journey")
