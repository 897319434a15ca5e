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
