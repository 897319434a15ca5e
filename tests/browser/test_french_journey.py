"""Issue 15 in Chromium: a Coordinator turns French on in Account › Preferences and walks the
main pages in French (no English product string it knows is on screen), then turns English
back on with the report pages' switch; axe-core finds no serious or critical violation on
any page, in either language. Screenshots: test-artifacts/screenshots/fr-*.png, en-*.png."""

import re

from playwright.sync_api import expect

from snippets.models import ProgramStaff
from staff.roles import RoleName
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.factories import ClientFactory, EnrollmentFactory, ProgramFactory
from tests.i18n.conftest import compile_translations

# The registry's own words (not Wagtail's) on these pages, in English: none may show in French.
ENGLISH_PRODUCT_STRINGS = [
    "Find a client",
    "Search clients",
    "Changes waiting for your approval",
    "Clients you opened recently",
    "Programs with the fewest places today",
    "Back to the registry admin",
    "Show report",
    "Download CSV",
    "Distinct clients served",
    "Agency total",
    "Occupied against capacity",
    "Counts only",
    "Log out",
]


def main_pages(client_pk) -> list[tuple[str, str, str]]:
    """(name, address, a heading that shows the page is in French)."""
    return [
        ("home", "/admin/", "Trouver un client"),
        ("clients", "/admin/snippets/snippets/client/", "Clients"),
        ("record", f"/admin/snippets/snippets/client/inspect/{client_pk}/", "Amelia Adeyemi"),
        ("approvals", "/admin/approvals/", ""),
        ("reports", "/reports/", "Rapports"),
        ("org-summary", "/reports/org-summary/", "Sommaire de l’organisme"),
        ("vacancy-tracker", "/reports/vacancy-tracker/", "Suivi des places vacantes"),
    ]


def test_a_coordinator_works_in_french_then_in_english(page, sign_in):
    compile_translations()
    staff = sign_in(RoleName.COORDINATOR)
    program = ProgramFactory(name="Harbour Shelter", capacity_current=1200)
    ProgramStaff.objects.create(program=program, staff=staff)
    person = ClientFactory(first_name="Amelia", last_name="Adeyemi")
    EnrollmentFactory(client=person, program=program)

    # Account › Preferences: the person's own language, as any staff member would set it.
    page.goto("/admin/account/")
    page.select_option('select[name="locale-preferred_language"]', "fr-ca")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")

    for name, address, heading in main_pages(person.pk):
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
        text = page.inner_text("body")
        if heading:
            assert heading in text, name
        english = [words for words in ENGLISH_PRODUCT_STRINGS if words in text]
        assert english == [], f"English on the French {name} page"
        assert serious_accessibility_violations(page) == [], f"{name} (fr)"
        screenshot(page, f"fr-{name}")

    # Figures grouped the French way on the report (1 200, a narrow no-break space).
    expect(page.locator('[data-program="Harbour Shelter"] [data-capacity]')).to_have_text(
        re.compile("^1\u202f200")
    )

    # The report pages' switch: English, remembered for the admin too.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-ca")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacancy Tracker")
    for name, address, _heading in main_pages(person.pk):
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("lang", "en-ca")
        assert serious_accessibility_violations(page) == [], f"{name} (en)"
        screenshot(page, f"en-{name}")
    page.goto("/admin/")
    assert "Find a client" in page.inner_text("body")
