"""Issue 13 in Chromium: a shelter's Staff member finds a person served only by another
program, sees the limited card, breaks the glass with a reason and reads the record; an
Administrator finds that exception under Access exceptions and on the home page."""

import datetime

from django.utils import timezone

from access.models import AccessException
from snippets.models import ClientRecordAccess, ProgramStaff
from staff.roles import RoleName
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.factories import (
    ClientFactory,
    EnrollmentFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

TODAY = timezone.localdate()


def served_elsewhere():
    """A person enrolled only in a drop-in, restricted from it since last week, and a
    client of the shelter with the same surname."""
    shelter = ProgramFactory(name="Harbour Light Shelter")
    drop_in = ProgramFactory(name="Queen West Drop-in")
    person = ClientFactory(
        first_name="Bartholomew",
        last_name="Quennell",
        dob=datetime.date(1971, 3, 9),
        immigration_status="no_status",
        gender="Man",
    )
    EnrollmentFactory(client=person, program=drop_in, start_date=TODAY - datetime.timedelta(60))
    RestrictionFactory(
        client=person,
        scope="program",
        program=drop_in,
        start_date=TODAY - datetime.timedelta(7),
        end_date=TODAY + datetime.timedelta(23),
    )
    own = ClientFactory(first_name="Rosalind", last_name="Quennell")
    EnrollmentFactory(client=own, program=shelter, start_date=TODAY - datetime.timedelta(10))
    return shelter, person


def test_shelter_staff_breaks_the_glass_with_a_reason_and_reads_the_record(page, sign_in):
    staff = sign_in(RoleName.STAFF)
    shelter, person = served_elsewhere()
    ProgramStaff.objects.create(program=shelter, staff=staff)

    page.goto("/admin/snippets/snippets/client/?q=Quennell")
    screenshot(page, "ntk-1-search")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 2
    limited = rows.filter(has_text="Bartholomew Quennell")
    assert "9 Mar 1971" in limited.inner_text()
    assert "Queen West Drop-in" in limited.inner_text()  # restricted today, and where
    assert "Outside your programs" in limited.inner_text()
    assert "Man" not in limited.inner_text().split()  # nothing else of the person
    assert limited.get_by_role("button", name="More options").count() == 0

    limited.get_by_role("link", name="Bartholomew Quennell").click()
    page.wait_for_url(f"**/admin/access/client/{person.pk}/")
    screenshot(page, "ntk-2-limited-card")
    card = page.locator("main")
    assert "Bartholomew Quennell" in card.inner_text()
    assert "Queen West Drop-in" in card.inner_text()
    assert "No status" not in card.inner_text()
    assert serious_accessibility_violations(page) == []

    # The record's own address leads back to the card.
    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    page.wait_for_url(f"**/admin/access/client/{person.pk}/")

    page.get_by_role("button", name="Open the record").click()  # no reason given
    page.locator(".error-message").first.wait_for()  # the form, back with its errors
    screenshot(page, "ntk-3-reason-missing")
    assert page.locator(".error-message").count() == 2  # a reason and an explanation
    assert not AccessException.objects.exists()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Why do you need this record?").select_option("client_present")
    page.get_by_label("Explain in a few words").fill("At the front desk asking for a bed tonight")
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"**/client/inspect/{person.pk}/")
    screenshot(page, "ntk-4-record")
    assert page.get_by_text("Access granted for 8 hours").is_visible()
    assert "Quennell" in page.locator("main").inner_text()

    granted = AccessException.objects.get()
    assert (granted.staff, granted.client_id, granted.reason) == (
        staff,
        person.pk,
        "client_present",
    )
    assert ClientRecordAccess.objects.filter(
        staff=staff, client=person, view=ClientRecordAccess.View.EXCEPTION
    ).exists()


def test_administrator_finds_the_exception_by_staff_client_and_date(page, sign_in):
    admin = sign_in(RoleName.ADMINISTRATOR)
    shelter, person = served_elsewhere()
    worker = StaffFactory(roles=[RoleName.STAFF], first_name="Imogen", last_name="Fairweather")
    other = StaffFactory(roles=[RoleName.STAFF], first_name="Tobias", last_name="Lindqvist")
    AccessException.objects.create(
        staff=worker,
        client=person,
        reason="client_present",
        explanation="At the front desk asking for a bed tonight",
        expires_at=timezone.now() + datetime.timedelta(hours=8),
    )
    AccessException.objects.create(
        staff=other,
        client=ClientFactory(),
        reason="referral",
        explanation="Referral from the hospital",
        expires_at=timezone.now() + datetime.timedelta(hours=8),
    )
    assert admin

    page.goto("/admin/")
    screenshot(page, "ntk-5-home")
    panel = page.locator("section", has_text="Access exceptions").last
    assert "Imogen Fairweather" in panel.inner_text()
    panel.get_by_role("link", name="Review access exceptions").click()
    page.wait_for_url("**/admin/access_exceptions/**")
    screenshot(page, "ntk-6-exceptions")
    assert page.locator("table.listing tbody tr").count() == 2

    # The filters as the list's filter form submits them: staff member, client (by name),
    # date granted.
    page.goto(
        f"/admin/access_exceptions/?staff={worker.pk}&client=Quennell+Bartholomew"
        f"&granted_at_from={TODAY.isoformat()}&granted_at_to={TODAY.isoformat()}"
    )
    page.get_by_text("There is 1 match").wait_for()
    screenshot(page, "ntk-7-exceptions-filtered")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 1
    assert "At the front desk asking for a bed tonight" in rows.inner_text()
    assert "Imogen Fairweather" in rows.inner_text()
    filters = page.locator("main").inner_text().split()
    assert filters[filters.index("Client:") :][:3] == ["Client:", "Quennell", "Bartholomew"]
