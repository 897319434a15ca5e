"""A Coordinator keeps a program's capacity history in the admin, in a browser: ends the
current period, adds the next one, and is told plainly when two periods overlap or one
ends before it starts (issue 16). The Vacancy Tracker then reads each day's capacity."""

import datetime
import re

from playwright.sync_api import expect

from snippets.models import Program
from staff.roles import RoleName
from tests.browser.conftest import screenshot
from tests.factories import ClientFactory, EnrollmentFactory, ProgramFactory

D = datetime.date


def close_date_picker(page):
    # Wagtail's date picker stays open over the footer until another field takes focus.
    # It opens a moment after its field does: on a fast machine a click elsewhere straight
    # after filling the date lands before it has opened, and it opens after all.
    page.wait_for_timeout(500)
    page.locator('input[name="location"]').click()
    for picker in page.locator(".xdsoft_datetimepicker").all():
        expect(picker).to_be_hidden()


def publish(page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()


def test_coordinator_edits_the_capacity_history_as_a_list(page, sign_in):
    sign_in(RoleName.COORDINATOR)
    program = ProgramFactory(name="Harbour Shelter", capacity_history=[(40, D(2026, 1, 1), None)])
    EnrollmentFactory(client=ClientFactory(), program=program, start_date=D(2026, 2, 1))
    edit_url = f"/admin/snippets/snippets/program/edit/{program.pk}/"

    page.goto(edit_url)
    expect(page.get_by_role("heading", name="Capacity history")).to_be_visible()
    # End the current period on 31 March, and add 60 places from 1 April.
    page.fill('input[name="capacity_history-0-effective_to"]', "2026-03-31")
    page.get_by_role("button", name="Add capacity period").click()
    page.fill('input[name="capacity_history-1-capacity"]', "60")
    page.fill('input[name="capacity_history-1-effective_from"]', "2026-04-01")
    close_date_picker(page)
    screenshot(page, "capacity-history-two-periods")
    publish(page)
    page.wait_for_url(re.compile(r"/program/$"))
    assert list(
        Program.objects.get(pk=program.pk)
        .capacity_history.order_by("effective_from")
        .values_list("capacity", "effective_from", "effective_to")
    ) == [(40, D(2026, 1, 1), D(2026, 3, 31)), (60, D(2026, 4, 1), None)]

    # The tracker reads the capacity of the day asked for.
    page.goto("/reports/vacancy-tracker/?as_of=2026-03-15")
    row = page.locator('tr[data-program="Harbour Shelter"]')
    expect(row.locator("[data-capacity]")).to_have_text("40 (from 2026-01-01 to 2026-03-31)")
    page.goto("/reports/vacancy-tracker/?as_of=2026-04-15")
    expect(row.locator("[data-capacity]")).to_have_text("60 (from 2026-04-01)")

    # A second period that starts before the first ends: refused, with the reason beside it.
    page.goto(edit_url)
    page.fill('input[name="capacity_history-1-effective_from"]', "2026-03-15")
    close_date_picker(page)
    publish(page)
    expect(page.get_by_text("Capacity periods of one program cannot overlap").first).to_be_visible()
    screenshot(page, "capacity-history-overlap-refused")
    # A period ending before it starts: refused too.
    page.fill('input[name="capacity_history-1-effective_from"]', "2026-04-01")
    page.fill('input[name="capacity_history-1-effective_to"]', "2026-03-01")
    close_date_picker(page)
    publish(page)
    expect(page.get_by_text("A capacity period cannot end before it starts.").first).to_be_visible()
    screenshot(page, "capacity-history-inverted-refused")
    # Nothing stored changed.
    assert (
        Program.objects.get(pk=program.pk)
        .capacity_history.filter(effective_from=D(2026, 4, 1), effective_to=None)
        .exists()
    )
