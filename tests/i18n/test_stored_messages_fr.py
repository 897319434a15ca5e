"""Issue 15: what the import writes at night (a rejected row's detail, a failed run's
reason, a review item's evidence) is stored in English and shown in the reader's language:
the Imports screen, the rejects file a person downloads, Possible matches. Numbers and the
rows' cells stay as entered."""

import csv
import html
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ingest import messages
from ingest.models import IngestRun, RunStatus
from staff.roles import RoleName
from tests.factories import ClientFactory, MatchCandidateFactory, PossibleMatchFactory
from tests.ingest.conftest import HEADER, csv_text

from .conftest import ENGLISH, FRENCH
from .test_french_screens import page_text as _page_text

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(_page_text(response))


ROWS = [
    {"first_name": "Amina", "last_name": "Warsame", "dob": "1988-02-30"},
    {"first_name": "Li", "last_name": " ", "dob": "2001-02-03"},
    {"first_name": "Tomasz", "last_name": "Kowalczyk", "dob": "1979-11-02", "gender": "=1+2"},
    {"first_name": "Tomasz", "last_name": "Kowalczyk", "dob": "1979-11-02", "gender": "=1+2"},
]


@pytest.fixture
def night_run(tmp_path):
    """The nightly import as cron runs it (English, the commands' language): a file with a
    date that does not exist, an empty last name and a repeated row."""
    path = tmp_path / "smis-2026-12-03.csv"
    path.write_text(csv_text(ROWS), encoding="utf-8")
    call_command("ingest_daily", "--src", str(path), "--source=SMIS", stdout=io.StringIO())
    return IngestRun.objects.get()


def downloaded_rows(client, run) -> list[list[str]]:
    response = client.get(reverse("ingest:rejects", args=[run.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private, no-store")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # a spreadsheet then reads the accents
    return list(csv.reader(io.StringIO(body[1:])))


def test_a_french_coordinator_downloads_the_rejects_in_french(night_run, french_speaker, client):
    french_speaker(RoleName.COORDINATOR)
    header, *rows = downloaded_rows(client, night_run)
    assert (
        header == ["rejet_ligne", "rejet_motif", "rejet_détail", "ids_clients_candidats"] + HEADER
    )
    assert rows[0][:3] == [
        "2",
        "Date invalide",
        "dob n'est pas une date qui existe (1988-02-30).",
    ]
    assert rows[1][:3] == [
        "3",
        "Cellule obligatoire vide",
        "La cellule obligatoire last_name est vide.",
    ]
    assert rows[2][:3] == [
        "5",
        "Ligne en double",
        "La même ligne figure plus haut dans le fichier.",
    ]
    # The cells as entered, unchanged (even one a spreadsheet would read as a formula), so
    # the corrected file imports again.
    assert rows[0][4:8] == ["", "Amina", "Warsame", "1988-02-30"]
    assert rows[2][8] == "=1+2"


def test_an_english_reader_gets_the_same_file_in_english(night_run, login, client):
    login(RoleName.ADMINISTRATOR)
    header, *rows = downloaded_rows(client, night_run)
    assert header[:4] == ["reject_row", "reject_reason", "reject_message", "candidate_client_ids"]
    assert rows[0][:3] == ["2", "Bad date", "dob is not a real date (1988-02-30)."]
    # The file on the server stays as the import wrote it: codes and English, for the shell.
    with open(night_run.rejects_path, encoding="utf-8", newline="") as handle:
        on_disk = list(csv.reader(handle))
    assert on_disk[1][:3] == ["2", "bad_date", "dob is not a real date (1988-02-30)."]


def test_the_imports_screen_shows_a_failed_run_in_the_readers_language(
    tmp_path, french_speaker, client
):
    empty = tmp_path / "emh.csv"
    empty.write_text("first_name,last_name\nAmina,Warsame\n", encoding="utf-8")
    with pytest.raises(Exception, match="lacks the required column"):
        call_command("ingest_daily", "--src", str(empty), "--source=SMIS")
    run = IngestRun.objects.get(status=RunStatus.FAILED)
    assert run.error.startswith("The header lacks the required column(s) dob")
    # A run stored before this change (the same English words) reads in French too, and
    # one no template knows (a database error's own words) is shown as stored.
    IngestRun.objects.create(
        source="FFAI", file_name="ffai.csv", status=RunStatus.FAILED, error="psycopg: boom"
    )
    french_speaker(RoleName.COORDINATOR)
    text = page_text(client.get(reverse("ingest:runs")))
    assert (
        "Il manque à l'en-tête la ou les colonnes obligatoires dob; il contient : "
        "first_name, last_name." in text
    )
    assert "The header lacks" not in text
    assert "psycopg: boom" in text


def test_the_imports_screen_gives_counts_and_reasons_in_french(night_run, french_speaker, client):
    french_speaker(RoleName.COORDINATOR)
    text = page_text(client.get(reverse("ingest:runs")))
    assert "Date invalide : 1" in text and "Ligne en double : 1" in text
    assert "clients : ajoutés 1, mis à jour 0, inchangés 0" in text
    for english in ("inserted", "unchanged", "rows for review", "Bad date"):
        assert english not in text, english


def test_every_stored_sentence_has_a_french_template_with_its_values():
    with translation.override(FRENCH):
        cases = {
            messages.text(messages.CELL_TOO_LONG, name="gender", length=12345, limit=10000): (
                "gender compte 12\u202f345 caractères; aucune cellule ne peut dépasser 10\u202f000."
            ),
            # The template with the most fixed words wins over "%(name)s is longer than …".
            messages.text(messages.LANGUAGE_TOO_LONG, limit=100): (
                "Une langue dépasse 100 caractères."
            ),
            messages.SOURCE_ID_OTHER_PERSON: (
                "Le client qui a cet identifiant dans cette source a d'autres nom, prénom et "
                "date de naissance; une personne doit décider."
            ),
        }
        for stored, french in cases.items():
            assert messages.in_reader_language(stored) == french
        untranslated = [t for t in messages.TEMPLATES if translation.gettext(t) == t]
    assert untranslated == ["rare"] or untranslated == [], untranslated
    with translation.override(ENGLISH):
        stored = messages.text(messages.CELL_TOO_LONG, name="gender", length=12345, limit=10000)
        assert messages.in_reader_language(stored) == stored


def test_review_evidence_reads_in_french(french_speaker, client):
    """A review item's evidence is stored as codes (field, level, note, weight) by the
    linkage SQL and put in words for the reader: nothing of it stays English."""
    french_speaker(RoleName.COORDINATOR)
    person = ClientFactory(first_name="Amina", last_name="Testperson")
    item = PossibleMatchFactory(
        row_values={"first_name": "Aminah", "last_name": "Testperson", "dob": "1990-05-17"}
    )
    MatchCandidateFactory(
        possible_match=item,
        client=person,
        evidence=[
            {"field": "last_name", "level": "exact", "weight": 7.9, "note": "rare"},
            {
                "field": "first_name",
                "level": "typo",
                "weight": 3.1,
                "note": "common, first and last swapped",
            },
            {"field": "dob", "level": "different", "weight": -4.25},
        ],
    )
    text = page_text(client.get(reverse("possible_matches:detail", args=[item.pk])))
    assert "Nom de famille : identiques (rare), +7,9" in text
    assert (
        "Prénom : à une petite faute de frappe près (courant, prénom et nom inversés), +3,1" in text
    )
    assert "−4,2" in text or "−4,3" in text
    for english in ("the same", "typo apart", "first and last swapped", "common", "Last name"):
        assert english not in text, english
