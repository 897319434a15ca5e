"""What people do in the registry, in a real browser."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from snippets.models import ServiceRestriction
from staff.roles import RoleName
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.factories import ClientFactory, EnrollmentFactory, IntakeFactory, ProgramFactory

REGISTRY_MENU = ["Clients", "Programs & Services", "Departments", "Enrollments", "Restrictions"]


def sidebar_labels(page):
    expect(page.locator("#wagtail-sidebar")).to_contain_text("Clients")
    return page.locator("#wagtail-sidebar").inner_text()


@pytest.mark.parametrize("role", list(RoleName))
def test_each_role_signs_in_and_sees_only_what_it_may_use(page, sign_in, role):
    sign_in(role)
    labels = sidebar_labels(page)
    for item in REGISTRY_MENU:
        assert item in labels
    # Only Administrators manage staff and settings; Coordinators and Administrators decide
    # approvals and read the audit log; everyone but Staff reads the reports.
    assert ("Settings" in labels) == (role == RoleName.ADMINISTRATOR)
    deciders = role in (RoleName.ADMINISTRATOR, RoleName.COORDINATOR)
    assert ("Approvals" in labels) == deciders
    assert ("Audit log" in labels) == deciders
    assert ("Reports" in labels) == (role != RoleName.STAFF)
    if deciders:
        order = [
            labels.index(item) for item in [*REGISTRY_MENU, "Approvals", "Reports", "Audit log"]
        ]
        assert order == sorted(order)
    screenshot(page, f"dashboard-{role.lower()}")
    # Read-only roles get no "Add" on the client list.
    page.goto("/admin/snippets/snippets/client/")
    can_add = role in (
        RoleName.ADMINISTRATOR,
        RoleName.COORDINATOR,
        RoleName.MANAGER,
        RoleName.LEADER,
    )
    assert (page.get_by_role("link", name="Add client").count() > 0) == can_add


def test_coordinator_finds_a_misspelt_client_opens_every_tab_and_adds_a_restriction(page, sign_in):
    sign_in(RoleName.COORDINATOR)
    person = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    ClientFactory(first_name="Oleksandr", last_name="Kovalenko")
    program = ProgramFactory(name="Women's Shelter")
    EnrollmentFactory(client=person, program=program, start_date=datetime.date(2025, 5, 1))
    IntakeFactory(client=person, program=program, intake_date=datetime.date(2025, 5, 1))

    page.goto("/admin/snippets/snippets/client/")
    page.get_by_placeholder("Search…").fill("Kanagaratnm Thenmozi")  # both names misspelt
    page.keyboard.press("Enter")
    # The name opens the person's record, not the edit form (issue 15).
    page.get_by_role("link", name="Thenmozhi Kanagaratnam").first.click()
    page.wait_for_url(re.compile(r"/inspect/"))
    screenshot(page, "client-record-from-search")

    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    for tab in ("Demographics", "Intakes", "Discharges", "Enrollments", "Restrictions"):
        page.get_by_role("tab", name=tab).click()
        expect(page.locator(f"#tab-{tab.lower()}")).to_be_visible()
    expect(page.locator("#tab-restrictions")).to_contain_text("No restrictions.")
    screenshot(page, "client-record")

    page.get_by_role("link", name="Add restriction").click()
    page.wait_for_url(re.compile(r"servicerestriction/add/\?client="))
    # The client is already chosen; pick the scope, dates and reason.
    expect(page.locator("#w-editor-form")).to_contain_text("Thenmozhi Kanagaratnam")
    page.select_option('select[name="scope"]', "program")
    page.fill('input[name="start_date"]', datetime.date.today().isoformat())
    page.fill('textarea[name="reason"]', "Threatened staff")
    # A program restriction without a program is stopped in the browser already.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#restriction-program-error")).to_contain_text("Choose the program")
    assert not ServiceRestriction.objects.exists()

    page.select_option('select[name="scope"]', "org")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"servicerestriction/$"))
    restriction = ServiceRestriction.objects.get()
    assert restriction.live and restriction.client == person

    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    banner = page.get_by_test_id("restriction-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("the whole agency")
    screenshot(page, "client-record-restricted")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/snippets/snippets/client/",
        "/admin/snippets/snippets/program/",
        "/admin/snippets/snippets/servicerestriction/",
    ],
)
def test_main_pages_have_no_serious_accessibility_violations(page, sign_in, path):
    sign_in(RoleName.COORDINATOR)
    ClientFactory()
    ProgramFactory()
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert serious_accessibility_violations(page) == []


def test_client_record_has_no_serious_accessibility_violations(page, sign_in):
    sign_in(RoleName.COORDINATOR)
    person = ClientFactory()
    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    assert serious_accessibility_violations(page) == []


def test_coordinator_lists_the_clients_ever_enrolled_in_a_program_chosen_by_name(page, sign_in):
    # The "Ever enrolled in" filter opens the programs' chooser (searchable, paged) instead
    # of a drop-down of every program (2,000 in a city).
    sign_in(RoleName.COORDINATOR)
    shelter = ProgramFactory(name="Women's Shelter")
    ProgramFactory(name="Youth Drop-in")
    enrolled = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    EnrollmentFactory(client=enrolled, program=shelter, start_date=datetime.date(2025, 5, 1))
    ClientFactory(first_name="Oleksandr", last_name="Kovalenko")

    page.goto("/admin/snippets/snippets/client/")
    expect(page.locator("main")).to_contain_text("Oleksandr Kovalenko")
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Ever enrolled in").click()
    page.get_by_role("button", name="Choose program or service").click()
    modal = page.locator(".modal")
    modal.get_by_role("textbox").fill("shelter")
    modal.get_by_role("link", name="Women's Shelter").click()

    expect(page.locator("main")).not_to_contain_text("Oleksandr Kovalenko")
    expect(page.locator("main")).to_contain_text("Thenmozhi Kanagaratnam")
    expect(page.locator("#id_program-chooser")).to_contain_text("Women's Shelter")
    assert "program=" in page.url
    screenshot(page, "clients-ever-enrolled-in")
