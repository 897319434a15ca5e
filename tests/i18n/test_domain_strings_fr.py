"""Issue 15: the domain apps' labels, controlled lists and messages read in French for a
person whose admin language is French, from locale/fr/LC_MESSAGES/django.po.

The catalogue is compiled here (msgfmt) into a LOCALE_PATHS of the test's own, so these
tests do not depend on the project's compilemessages step having run.
"""

import datetime
import shutil
import subprocess
from html import unescape

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from ingest.contract import Reject, reject_label
from ingest.models import IngestRun, RunStatus
from snippets.models import Client, ImmigrationStatus, Program, ServiceRestriction
from staff.roles import RoleName
from tests.factories import ClientFactory, RestrictionFactory

PO_FILE = django_settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_catalogue(settings, tmp_path):
    """The French catalogue compiled as the French catalogue, ahead of every other."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run([msgfmt, "--check", "-o", str(target / "django.mo"), str(PO_FILE)], check=True)
    # Changing LOCALE_PATHS resets Django's translation caches (and again afterwards).
    settings.LOCALE_PATHS = [str(tmp_path)]


@pytest.fixture
def french_login(login):
    """Log in as ``role`` with French chosen as the admin language (Wagtail's profile)."""

    def _login(role):
        staff = login(role)
        profile = UserProfile.get_for_user(staff)
        profile.preferred_language = "fr"
        profile.save()
        return staff

    return _login


def test_record_types_fields_and_controlled_lists_have_french_labels(french_catalogue):
    with translation.override("fr"):
        assert str(Program._meta.verbose_name_plural) == "programmes et services"
        assert str(ServiceRestriction._meta.verbose_name) == "restriction de service"
        assert str(Client._meta.get_field("dob").verbose_name) == "date de naissance"
        assert str(ImmigrationStatus.REFUGEE_CLAIMANT.label) == "Demandeur d'asile"
        assert str(Client._meta.get_field("sharing_consent").choices[1][1]) == (
            "Partagé dans tout l'organisme"
        )
        assert reject_label(Reject.MISSING_REQUIRED) == "Cellule obligatoire vide"
    # The stored values never change, and English stays English.
    assert ImmigrationStatus.REFUGEE_CLAIMANT.value == "refugee_claimant"
    with translation.override("en"):
        assert str(ImmigrationStatus.REFUGEE_CLAIMANT.label) == "Refugee claimant"


def test_a_french_speaking_coordinator_reads_approvals_in_french(
    client, french_catalogue, french_login
):
    french_login(RoleName.COORDINATOR)
    html = unescape(client.get(reverse("approvals:index")).content.decode())
    assert "Approbations" in html
    assert "Tout statut" in html and "Type d'enregistrement" in html
    assert "Aucune modification ne correspond." in html
    assert "No changes match." not in html


def test_the_imports_screen_names_runs_and_reject_reasons_in_french(
    client, french_catalogue, french_login
):
    IngestRun.objects.create(
        source="SMIS",
        file_name="smis-2026-12-02.csv",
        file_sha256="a" * 64,
        status=RunStatus.FAILED,
        rows_read=10,
        rows_rejected=1,
        summary={"rejected_by_reason": {Reject.UNKNOWN_PROGRAM: 1}},
    )
    french_login(RoleName.ADMINISTRATOR)
    html = unescape(client.get(reverse("ingest:runs")).content.decode())
    assert "Échec (rien n'a été écrit)" in html
    assert "Programme inconnu : 1" in html  # French puts a space before the colon
    assert "Failed (nothing written)" not in html


def test_a_client_record_with_a_restriction_reads_in_french(client, french_catalogue, french_login):
    worker = french_login(RoleName.ADMINISTRATOR)
    person = ClientFactory(
        created_by=worker, immigration_status=ImmigrationStatus.GOVERNMENT_ASSISTED_REFUGEE
    )
    RestrictionFactory(
        client=person,
        start_date=timezone.localdate() - datetime.timedelta(days=3),
        reason="Threatened staff",
    )
    html = unescape(
        client.get(
            reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk])
        ).content.decode()
    )
    assert "Restriction en vigueur." in html
    assert "Visant tout l'organisme" in html.replace("<strong>", "").replace("</strong>", "")
    assert "Threatened staff" in html  # data stays as entered
    assert "Réfugié pris en charge par le gouvernement" in html
    assert "Ajouter une admission" in html and "Aucun départ." in html
    assert "Government-assisted refugee" not in html and "Add intake" not in html
