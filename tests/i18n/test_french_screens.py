"""A French-speaking staff member (Account › Preferences: Français) gets the registry's main
screens in French over HTTP: the admin follows Wagtail's per-user preference, and the
report pages follow the same preference."""

import datetime
import re

import pytest
from django.urls import reverse

from reports.services import report_pages_ensure
from staff.roles import RoleName
from tests.factories import ClientFactory, ProgramFactory

# Product strings (ours, not Wagtail's) that a French screen must not show, with the French
# words that replace them. Wagtail's own chrome comes translated with Wagtail.
ENGLISH_ON_HOME = ["Find a client", "Search clients", "Changes waiting for your approval"]
ENGLISH_ON_REPORTS = ["Back to the registry admin", "Show report", "Download CSV", "Log out"]
ENGLISH_IN_SIDEBAR = ['"Reports"', '"Help"']


def page_text(response) -> str:
    """What a reader sees: the page without its scripts, styles and tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_french(response, *, present, absent=()):
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr-ca"' in html
    text = page_text(response)
    for words in present:
        assert words in text, words
    for english in absent:
        assert english not in text, english


@pytest.fixture
def coordinator_fr(french_speaker):
    report_pages_ensure()  # what `make db` sets up: the sidebar's Reports needs the pages
    return french_speaker(RoleName.COORDINATOR)


def test_home_is_in_french(coordinator_fr, client):
    response = client.get("/admin/")
    assert_french(
        response,
        present=[
            "Registre des dossiers",
            "Trouver un client",
            "Rechercher des clients",
            "Modifications en attente de votre approbation",
            "Tableau de bord",
        ],
        absent=ENGLISH_ON_HOME,
    )
    # The sidebar (rendered from JSON) names the registry's items in French.
    html = response.content.decode()
    assert "Rapports" in html and "Aide" in html
    for english in ENGLISH_IN_SIDEBAR:
        assert english not in html, english


def test_client_list_and_record_are_in_french(coordinator_fr, client):
    person = ClientFactory(first_name="Amelia", last_name="Adeyemi", dob=datetime.date(1990, 5, 17))
    assert_french(
        client.get("/admin/snippets/snippets/client/"),
        present=["Filtrer par", "Amelia Adeyemi"],
        absent=["Filter by"],
    )
    record = client.get(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    # Dates on the record are written the French way; the name stays as entered.
    assert_french(record, present=["Modifier", "17 mai 1990", "Adeyemi"], absent=["May 17"])


def test_approvals_screen_is_in_french(coordinator_fr, client):
    response = client.get(reverse("approvals:index"))
    assert_french(response, present=["Aller à contenu principal", "Raccourcis clavier"])
    assert "Rapports" in response.content.decode()


def test_reports_are_in_french(coordinator_fr, client):
    ProgramFactory(name="Harbour Shelter", capacity_current=12)
    index = client.get("/reports/")
    assert_french(
        index,
        present=[
            "Rapports",
            "Sommaire de l’organisme",
            "Suivi des places vacantes",
            "Des nombres seulement",
        ],
        absent=["Counts only", "Org Summary", "Vacancy Tracker"],
    )
    summary = client.get("/reports/org-summary/?date_from=2026-01-01&date_to=2026-03-31")
    assert_french(
        summary,
        present=[
            "Clients distincts servis",
            "Admissions",
            "Congés",
            "Statut d’immigration",
            "Afficher le rapport",
            "Télécharger le CSV",
        ],
        absent=[*ENGLISH_ON_REPORTS, "Distinct clients served", "Immigration status"],
    )
    tracker = client.get("/reports/vacancy-tracker/?as_of=2026-03-15")
    assert_french(
        tracker,
        # The program's name is data: as entered.
        present=["Capacité", "Occupées", "Vacantes", "Total de l’organisme", "Harbour Shelter"],
        absent=[*ENGLISH_ON_REPORTS, "Agency total", "Occupied against capacity"],
    )


def test_csv_headers_are_in_french_and_numbers_stay_numbers(coordinator_fr, client):
    ProgramFactory(name="Harbour Shelter", capacity_current=1500)
    response = client.get("/reports/vacancy-tracker/export/csv/?as_of=2026-03-15")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Service,Programme,Capacité,Capacité en vigueur du,Capacité en vigueur au,Occupées,"
        "Inscriptions actives,Vacantes,Taux d’occupation (%)"
    )
    program_line = next(line for line in lines if "Harbour Shelter" in line)
    # A spreadsheet reads 1500, not "1 500".
    assert ",1500," in program_line


def test_help_is_read_in_french(coordinator_fr, client):
    response = client.get("/admin/help/")
    # The topics and the page come from docs/help/fr/, the same file names as in English.
    assert_french(
        response,
        present=["Trouver une personne", "Consigner une admission", "Lire un rapport"],
        absent=["Find a person", "Record an intake"],
    )
    page = client.get("/admin/help/05-what-each-role-may-do/")
    assert_french(page, present=["Ce que chaque rôle peut faire", "Coordonnateur"])
