"""Issue 15: words Wagtail fixes in English at start-up, and labels Django makes from field
names, read in French for a French-speaking staff member (each was seen in English on a
French screen)."""

import html
import re

import pytest
from django.urls import reverse

from identity.models import MatchStatus
from reports.services import report_pages_ensure
from staff.roles import RoleName
from staff.services import roles_ensure
from tests.factories import ClientFactory, DepartmentFactory, PossibleMatchFactory

from .test_french_screens import page_text

pytestmark = pytest.mark.django_db


def french_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(page_text(response))


def test_registry_screens_in_french_have_no_english_chrome(french_speaker, client):
    report_pages_ensure()
    french_speaker(RoleName.ADMINISTRATOR)
    person = ClientFactory(gender="Woman")
    DepartmentFactory()

    clients = french_text(client, "/admin/snippets/snippets/client/")
    assert "Genre" in clients and "Statut d'immigration" in clients
    assert "Gender" not in clients and "Immigration status" not in clients

    form = client.get(f"/admin/snippets/snippets/intake/add/?client={person.pk}").content
    form = html.unescape(form.decode())
    # The breadcrumb and the chooser's buttons (Wagtail makes both at start-up).
    assert "Accueil" in form and ">Home<" not in form
    assert "Choisir : programme ou service" in form and "Choose program" not in form

    departments = french_text(client, "/admin/snippets/snippets/department/")
    assert "Mis à jour" in departments and "Updated" not in departments

    sources = client.get("/admin/source_systems/").content.decode()
    headers = " ".join(re.findall(r"<th\b.*?</th>", sources, flags=re.S))
    # As a word: the keyboard shortcuts' "Activer/désactiver" is French.
    assert "Actif" in headers and not re.search(r"\bActive\b", headers), headers


def test_role_names_are_french_in_the_groups_list(french_speaker, client):
    roles_ensure()
    french_speaker(RoleName.ADMINISTRATOR)
    groups = french_text(client, reverse("wagtailusers_groups:index"))
    assert "Coordonnateur" in groups and "Administrateur" in groups
    assert "Coordinator" not in groups


def test_audit_log_names_fields_that_have_no_label_of_their_own(french_speaker, client):
    french_speaker(RoleName.ADMINISTRATOR)
    item = PossibleMatchFactory()
    item.status = MatchStatus.NOT_SURE
    item.save()
    audit = french_text(client, reverse("audit:index"))
    assert "État" in audit and "Status" not in audit.split()
