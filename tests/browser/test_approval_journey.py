"""A Manager's change waits for a Coordinator, who approves it in Approvals: in a browser."""

import re

from playwright.sync_api import expect

from snippets.models import Client
from staff.roles import RoleName
from tests.browser.conftest import PASSWORD, screenshot, serious_accessibility_violations
from tests.factories import ClientFactory, StaffFactory


def test_manager_edit_is_pending_until_a_coordinator_approves_it(page, sign_in):
    manager = sign_in(RoleName.MANAGER, first_name="Marta", last_name="Reyes")
    # One of the Manager's clients (need to know: tests/access/).
    person = ClientFactory(
        first_name="Ayaan", last_name="Warsame", gender="Man", created_by=manager
    )

    page.goto(f"/admin/snippets/snippets/client/edit/{person.pk}/")
    page.fill('input[name="gender"]', "Non-binary")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Submit to")).click()
    page.wait_for_load_state()

    # Live data is untouched; the Manager sees the change waiting.
    person.refresh_from_db()
    assert person.gender == "Man"
    page.goto("/admin/approvals/mine/")
    expect(page.locator("table.listing")).to_contain_text("Ayaan Warsame")
    expect(page.locator("table.listing")).to_contain_text("Pending")
    screenshot(page, "my-submissions")

    # A Coordinator approves it from Approvals.
    coordinator = StaffFactory(roles=[RoleName.COORDINATOR], password=PASSWORD)
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("#id_username", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Approvals").first.click()
    page.get_by_role("link", name="Ayaan Warsame").click()
    expect(page.locator("main")).to_contain_text("Non-binary")
    expect(page.locator("main")).to_contain_text("Marta Reyes")
    screenshot(page, "approval-detail")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()

    person = Client.objects.get(pk=person.pk)
    assert person.gender == "Non-binary"
    assert person.live and not person.has_unpublished_changes
    assert manager.pk != coordinator.pk
