"""The report pages' English / Français switch is remembered, and figures and dates are
written the way each language writes them."""

import pytest
from wagtail.users.models import UserProfile

from reports.services import report_pages_ensure
from staff.roles import RoleName
from tests.factories import ProgramFactory

from .conftest import ENGLISH, FRENCH

NARROW_NO_BREAK_SPACE = "\u202f"


@pytest.fixture
def analyst(db, login):
    report_pages_ensure()
    return login(RoleName.ANALYST)


def switch(client, language, back_to):
    response = client.post("/language/", {"language": language, "next": back_to})
    assert response.status_code == 302
    assert response["Location"] == back_to
    return response


def test_the_language_switch_is_remembered(analyst, client):
    url = "/reports/org-summary/"
    page = client.get(url).content.decode()
    assert "Distinct clients served" in page  # no preference yet: the default, English
    assert 'value="fr-ca"' in page and ">Français<" in page and ">English<" in page

    switch(client, FRENCH, url)
    assert "Clients distincts servis" in client.get(url).content.decode()
    assert "Suivi des places vacantes" in client.get("/reports/").content.decode()
    # It is the person's own preference: the admin speaks French too ...
    assert UserProfile.get_for_user(analyst).preferred_language == FRENCH
    assert "Tableau de bord" in client.get("/admin/").content.decode()
    # ... and it holds on the next sign-in, without the language cookie.
    client.logout()
    client.cookies.clear()
    client.force_login(analyst)
    assert "Clients distincts servis" in client.get(url).content.decode()

    switch(client, ENGLISH, url)
    assert "Distinct clients served" in client.get(url).content.decode()
    assert UserProfile.get_for_user(analyst).preferred_language == ENGLISH


def test_the_switch_refuses_a_language_the_registry_lacks_and_foreign_addresses(analyst, client):
    response = client.post("/language/", {"language": "de", "next": "https://evil.test/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.test")
    assert UserProfile.get_for_user(analyst).preferred_language == ""
    assert "Distinct clients served" in client.get("/reports/org-summary/").content.decode()


def test_figures_and_dates_follow_the_language(analyst, client):
    ProgramFactory(name="Harbour Shelter", capacity_current=1500)
    url = "/reports/vacancy-tracker/?as_of=2026-12-03"

    english = client.get(url).content.decode()
    assert "As of 3 Dec 2026." in english
    assert "data-capacity>1,500" in english

    switch(client, FRENCH, url)
    french = client.get(url).content.decode()
    assert "En date du 3 décembre 2026." in french
    assert f"data-capacity>1{NARROW_NO_BREAK_SPACE}500" in french

    summary = client.get("/reports/org-summary/?date_from=2026-01-01&date_to=2026-12-03")
    assert "Du 1 janvier 2026 au 3 décembre 2026, les deux jours compris." in (
        summary.content.decode()
    )
