"""Issue 15 in Chromium: a Coordinator's and a Staff member's home, on a desktop and on a
phone (390 px), with screenshots; axe-core finds no serious or critical violation."""

import pytest
from django.utils import timezone

from snippets.models import ProgramStaff
from staff.roles import RoleName
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.factories import ClientFactory, EnrollmentFactory, ProgramFactory, RestrictionFactory


@pytest.mark.parametrize("role", [RoleName.COORDINATOR, RoleName.STAFF])
def test_home_shows_the_days_work_and_finds_a_client(page, sign_in, role):
    staff = sign_in(role)
    program = ProgramFactory(name="Harbour Shelter", capacity_current=2)
    ProgramStaff.objects.create(program=program, staff=staff)
    person = ClientFactory(first_name="Amelia", last_name="Adeyemi")
    EnrollmentFactory(client=person, program=program, start_date=timezone.localdate())
    RestrictionFactory(client=ClientFactory(), start_date=timezone.localdate())

    page.goto("/admin/")
    assert page.get_by_role("heading", name="Find a client").is_visible()
    if role == RoleName.COORDINATOR:
        assert page.get_by_role("heading", name="Changes waiting for your approval").is_visible()
        assert page.get_by_role(
            "heading", name="Programs with the fewest places today"
        ).is_visible()
    else:
        assert page.get_by_role("heading", name="My programs today").is_visible()
    assert serious_accessibility_violations(page) == []
    screenshot(page, f"home-{role.lower()}")

    page.fill("#home-client-search", "adeyemi amelia")
    page.click("text=Search clients")
    page.get_by_role("link", name="Amelia Adeyemi").first.click()
    page.wait_for_url(f"**/client/inspect/{person.pk}/")
    page.goto("/admin/")
    assert page.get_by_role("link", name="Amelia Adeyemi").is_visible()  # opened recently

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/snippets/snippets/client/")
    screenshot(page, f"clients-phone-{role.lower()}")
    page.goto("/admin/")
    screenshot(page, f"home-phone-{role.lower()}")
