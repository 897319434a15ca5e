"""Drafts stay their author's, a pending change survives a Coordinator's direct edit, the
audit log names requester and approver, and an abandoned "Add restriction" form leaves
nothing behind: in a real browser, as each role would (issue 12, items 1 to 3)."""

import datetime
import re

from playwright.sync_api import expect

from approvals.models import ChangeStatus, PendingChange
from audit.models import AuditLog
from snippets.models import Client, ServiceRestriction
from staff.roles import RoleName
from tests.browser.conftest import PASSWORD, screenshot
from tests.factories import ClientFactory, StaffFactory


def log_in_as(page, staff):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def messages(page):
    return page.locator(".messages")


def test_a_managers_draft_and_submission_as_the_coordinators_see_them(page, sign_in):
    manager = sign_in(RoleName.MANAGER, first_name="Marta", last_name="Reyes")
    person = ClientFactory(  # one of the Manager's clients (need to know: tests/access/)
        first_name="Ayaan",
        last_name="Warsame",
        gender="Man",
        sexual_orientation="",
        created_by=manager,
    )
    edit_url = f"/admin/snippets/snippets/client/edit/{person.pk}/"

    # The Manager's default button keeps a private draft, and says so.
    page.goto(edit_url)
    page.fill('input[name="gender"]', "Non-binary")
    page.get_by_role("button", name="Save draft").click()
    expect(messages(page)).to_contain_text("saved as your draft; not yet sent")
    page.wait_for_timeout(500)
    screenshot(page, "drafts-manager-saved-draft")

    # A Coordinator opening the client sees the live record, not the Manager's draft.
    coordinator = StaffFactory(
        roles=[RoleName.COORDINATOR], password=PASSWORD, first_name="Cora", last_name="Lind"
    )
    log_in_as(page, coordinator)
    page.goto(edit_url)
    expect(page.locator('input[name="gender"]')).to_have_value("Man")

    # The Manager sends it: their form still holds their draft.
    log_in_as(page, manager)
    page.goto(edit_url)
    expect(page.locator('input[name="gender"]')).to_have_value("Non-binary")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Submit to")).click()
    expect(messages(page)).to_contain_text("sent to a Coordinator for approval")
    assert Client.objects.get(pk=person.pk).gender == "Man"

    # The Coordinator's form starts from the live record and says whose change waits.
    log_in_as(page, coordinator)
    page.goto(edit_url)
    expect(page.locator('input[name="gender"]')).to_have_value("Man")
    notice = messages(page)
    expect(notice).to_contain_text("A change by Marta Reyes")
    expect(notice.get_by_role("link", name="See the change in Approvals")).to_be_visible()
    page.wait_for_timeout(500)  # the message bar slides in
    screenshot(page, "drafts-coordinator-edit-with-pending-change")
    # A direct edit of another field, published: the Manager's change stays pending.
    page.fill('input[name="sexual_orientation"]', "Asexual")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(messages(page)).to_contain_text("published")
    live = Client.objects.get(pk=person.pk)
    assert (live.gender, live.sexual_orientation) == ("Man", "Asexual")
    change = PendingChange.objects.get(entity_id=person.pk)
    assert change.status == ChangeStatus.PENDING

    # A second Coordinator follows the record page's link to Approvals and approves.
    second = StaffFactory(
        roles=[RoleName.COORDINATOR], password=PASSWORD, first_name="Dev", last_name="Anand"
    )
    log_in_as(page, second)
    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    expect(messages(page)).to_contain_text("A change by Marta Reyes")
    screenshot(page, "drafts-record-page-with-pending-change")
    messages(page).get_by_role("link", name="See the change in Approvals").click()
    expect(page.locator("main")).to_contain_text("Non-binary")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    live = Client.objects.get(pk=person.pk)
    assert (live.gender, live.sexual_orientation) == ("Non-binary", "Asexual")

    # The record's history names who asked and who approved.
    page.goto(f"/admin/audit/?record={person.pk}")
    log = page.locator("table[data-audit-log]")
    expect(log).to_contain_text("Requested by Marta Reyes")
    expect(log).to_contain_text("Approved by Dev Anand")
    screenshot(page, "drafts-record-history-requested-and-approved")
    approved = AuditLog.objects.get(entity_id=person.pk, requested_by__isnull=False)
    assert (approved.changed_by, approved.requested_by) == (second, manager)


def test_an_abandoned_add_restriction_form_leaves_no_row(page, sign_in):
    manager = sign_in(RoleName.MANAGER)
    person = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam", created_by=manager)

    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    page.get_by_role("tab", name="Restrictions").click()
    page.get_by_role("link", name="Add restriction").click()
    page.wait_for_url(re.compile(r"servicerestriction/add/\?client="))
    # A person reads the form before typing. Wagtail's unsaved-changes watcher takes its
    # baseline 2 s after the page loads; typing sooner (as a hurried test would) hides
    # the edits from it, and so from autosave.
    page.wait_for_timeout(2500)
    page.select_option('select[name="scope"]', "org")
    page.fill('input[name="start_date"]', datetime.date.today().isoformat())
    page.locator('textarea[name="reason"]').press_sequentially("Threatened sta", delay=60)
    page.keyboard.press("Tab")
    # Far longer than Wagtail's 500 ms autosave interval.
    page.wait_for_timeout(3000)
    screenshot(page, "drafts-half-filled-add-restriction")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?"
    page.goto("/admin/snippets/snippets/servicerestriction/")

    assert not ServiceRestriction.objects.exists()
    page.wait_for_load_state()
    assert page.locator("table.listing tbody tr").count() == 0
    screenshot(page, "drafts-restrictions-list-after-abandoned-form")
