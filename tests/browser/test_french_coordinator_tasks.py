"""Issue 15, "a French-speaking coordinator can do every task of the README in French": in
Chromium, a Coordinator whose preference is French finds a person, opens the record and its
tabs, records an intake and an enrollment, adds a restriction, approves the change a
French-speaking Manager proposed, decides a possible match, reads the Imports screen and
downloads a rejects file, reads both reports and downloads their CSVs, and opens Help.

On every page: the page is in French, none of the English product strings below shows,
and axe-core finds no serious or critical violation. Screenshots:
test-artifacts/screenshots/fr-task-*.png."""

import csv
import datetime
import io
import re
import time

from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from identity.models import MatchStatus, PossibleMatch
from snippets.models import (
    Client,
    ClientProgramEnrollment,
    Intake,
    ProgramStaff,
    ServiceRestriction,
)
from staff.roles import RoleName
from tests.browser.conftest import PASSWORD, screenshot, serious_accessibility_violations
from tests.browser.test_french_journey import ENGLISH_PRODUCT_STRINGS
from tests.factories import (
    ClientFactory,
    EnrollmentFactory,
    MatchCandidateFactory,
    PossibleMatchFactory,
    ProgramFactory,
    StaffFactory,
    row_values,
)
from tests.i18n.conftest import FRENCH, compile_translations
from tests.ingest.conftest import csv_text

TODAY = datetime.date.today()
# The registry's and Wagtail's words on the screens of these tasks, in English; each was
# seen on a French screen at some point (issue 15), so none may show again.
ENGLISH_ON_TASK_PAGES = [
    *ENGLISH_PRODUCT_STRINGS,
    "Choose client",
    "Choose program",
    "Choose another",
    "Immigration status",
    "Demographics",
    "Add intake",
    "Add enrollment",
    "Add restriction",
    "Save draft",
    "More actions",
    "Publish",
    "Submit to",
    "Approve",
    "Same person as",
    "A new person",
    "Not sure yet",
    "Possible matches",
    "Rejects file",
    "Rejected, by reason",
    "rows matched",
    "inserted",
    "unchanged",
    "Bad date",
    "is not a real date",
    "Restricted today",
    "Whole agency",
    "the same (rare)",
    "Approvals",
    "Imports",
    "Help",
    "Updated",
    "Snippet",
    "snippet",
]


def in_french(page, name: str) -> str:
    """The page is in French, shows no English product string, passes axe-core; then a
    screenshot. Returns the page's text. The breadcrumbs are read even while collapsed."""
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    text = page.inner_text("body")
    # Wagtail's breadcrumbs, collapsed behind "…" and so not in the visible text.
    crumbs = " ".join(" ".join(page.locator(".w-breadcrumbs").all_text_contents()).split())
    seen = f"{text}\n{crumbs}"
    english = [words for words in ENGLISH_ON_TASK_PAGES if words in seen]
    assert english == [], f"English on the French {name} page"
    assert "Home" not in crumbs.split(), crumbs
    # A message fades in: axe-core measures its contrast once it is fully shown.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    assert serious_accessibility_violations(page) == [], name
    screenshot(page, f"fr-task-{name}")
    return text


def sign_in_as(page, staff):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def speaks_french(staff):
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = FRENCH
    profile.save()
    return staff


def choose(page, button_name: str, item: str):
    """Pick a record in a chooser modal, as one does with the mouse."""
    page.get_by_role("button", name=button_name).click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=item).first.click()
    expect(modal).to_be_hidden()


def publish(page):
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(lambda url: "/add/" not in url)  # the form is left once saved


def eventually(check, seconds=15):
    """The server's answer to a click lands a moment later: wait for what it writes."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the change never reached the database"
        time.sleep(0.2)


def downloaded_csv(page, trigger) -> list[list[str]]:
    with page.expect_download() as info:
        trigger.click()
    raw = open(info.value.path(), "rb").read()  # noqa: SIM115
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_a_french_speaking_coordinator_does_the_readmes_tasks(page, sign_in, tmp_path):
    compile_translations()
    coordinator = speaks_french(sign_in(RoleName.COORDINATOR))
    shelter = ProgramFactory(name="Harbour Shelter", capacity_current=12)
    manager = speaks_french(StaffFactory(roles=[RoleName.MANAGER], password=PASSWORD))
    ProgramStaff.objects.create(program=shelter, staff=manager)
    person = ClientFactory(
        first_name="Amelia", last_name="Adeyemi", gender="Woman", created_by=manager
    )
    EnrollmentFactory(client=person, program=shelter, start_date=TODAY - datetime.timedelta(30))
    # A row of last night's import that may be a client already (identity/).
    namesake = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    item = PossibleMatchFactory(
        row_values=row_values(first_name="Thenmozi", last_name="Kanagaratnam"), top_score=17.6
    )
    MatchCandidateFactory(
        possible_match=item,
        client=namesake,
        evidence=[
            {"field": "last_name", "level": "exact", "weight": 7.9, "note": "rare"},
            {"field": "first_name", "level": "typo", "weight": 3.1},
        ],
    )
    # Last night's import, as cron runs it (in English): one row has an impossible date.
    export = tmp_path / "smis-2026-12-03.csv"
    export.write_text(
        csv_text([{"first_name": "Li", "last_name": "Wei", "dob": "2001-02-30"}]),
        encoding="utf-8",
    )
    call_command("ingest_daily", "--src", str(export), "--source=SMIS", stdout=io.StringIO())

    # The Manager, in French too, proposes a change; it waits for a Coordinator.
    sign_in_as(page, manager)
    page.goto(f"/admin/snippets/snippets/client/edit/{person.pk}/")
    page.fill('input[name="gender"]', "Non-binary")
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name=re.compile("^Soumettre à")).click()
    page.wait_for_url(re.compile(r"/client/$"))
    in_french(page, "manager-submitted")
    assert Client.objects.get(pk=person.pk).gender == "Woman"

    # Home: the day's work, and the search box.
    sign_in_as(page, coordinator)
    home = in_french(page, "home")
    assert "Trouver un client" in home and "Modifications en attente" in home
    page.locator("#home-client-search").fill("Adeyemi Amelia")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/client/\?"))
    in_french(page, "search")
    page.get_by_role("link", name="Amelia Adeyemi").first.click()
    page.wait_for_url(re.compile(r"/inspect/"))

    # The record and its tabs.
    for tab, key in [
        ("Données démographiques", "demographics"),
        ("Admissions", "intakes"),
        ("Congés", "discharges"),
        ("Inscriptions", "enrollments"),
        ("Restrictions", "restrictions"),
    ]:
        page.get_by_role("tab", name=tab).click()
        expect(page.locator(f"#tab-{key}")).to_be_visible()
    in_french(page, "record")

    # Record an intake, then an enrollment, from the record: the client is already chosen.
    page.get_by_role("tab", name="Admissions").click()
    page.get_by_role("link", name="Ajouter une admission").click()
    page.wait_for_url(re.compile(r"intake/add/\?client="))
    choose(page, "Choisir : programme ou service", "Harbour Shelter")
    # Checked before a date is typed: the date picker that opens then is Wagtail's, with
    # unlabelled month buttons (axe-core: button-name), and closes once the field is left.
    in_french(page, "intake-form")
    page.fill('input[name="intake_date"]', TODAY.isoformat())
    publish(page)
    assert Intake.objects.live().filter(client=person, program=shelter).exists()

    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    page.get_by_role("tab", name="Inscriptions").click()
    page.get_by_role("link", name="Ajouter une inscription").click()
    page.wait_for_url(re.compile(r"clientprogramenrollment/add/\?client="))
    choose(page, "Choisir : programme ou service", "Harbour Shelter")
    page.fill('input[name="start_date"]', TODAY.isoformat())
    publish(page)
    assert ClientProgramEnrollment.objects.live().filter(client=person, start_date=TODAY).exists()

    # A restriction, shown as a banner on the record.
    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    page.get_by_role("tab", name="Restrictions").click()
    page.get_by_role("link", name="Ajouter une restriction").click()
    page.wait_for_url(re.compile(r"servicerestriction/add/\?client="))
    page.select_option('select[name="scope"]', "org")
    page.fill('textarea[name="reason"]', "Threatened staff")
    in_french(page, "restriction-form")
    page.fill('input[name="start_date"]', TODAY.isoformat())
    publish(page)
    assert ServiceRestriction.objects.live().filter(client=person).exists()
    page.goto(f"/admin/snippets/snippets/client/inspect/{person.pk}/")
    expect(page.get_by_test_id("restriction-banner")).to_contain_text("tout l")
    in_french(page, "record-restricted")

    # The Manager's change: approved from Approvals.
    page.locator("#wagtail-sidebar").get_by_role("link", name="Approbations").click()
    page.wait_for_url("**/admin/approvals/")
    in_french(page, "approvals")
    page.get_by_role("link", name="Amelia Adeyemi").first.click()
    page.wait_for_url(re.compile(r"/admin/approvals/.+"))
    expect(page.locator("main")).to_contain_text("Non-binary")
    in_french(page, "approval")
    page.get_by_role("button", name="Approuver").click()
    eventually(lambda: Client.objects.get(pk=person.pk).gender == "Non-binary")

    # A possible match: the same person, with the reason kept.
    page.locator("#wagtail-sidebar").get_by_role("link", name="Correspondances possibles").click()
    page.wait_for_url("**/admin/possible-matches/")
    in_french(page, "possible-matches")
    page.get_by_role("link", name=re.compile("Thenmozi")).first.click()
    page.wait_for_url(f"**/admin/possible-matches/{item.pk}/")
    match = in_french(page, "possible-match")
    assert "Nom de famille : identiques (rare), +7,9" in match
    page.locator('textarea[name="note"]').fill("Même date de naissance, même nom de famille.")
    page.get_by_role("button", name=re.compile("^Même personne que")).click()
    eventually(lambda: PossibleMatch.objects.get(pk=item.pk).status == MatchStatus.LINKED)
    assert PossibleMatch.objects.get(pk=item.pk).decided_client_id == namesake.pk

    # Imports: last night's run and its rejects file, in French.
    page.locator("#wagtail-sidebar").get_by_role("link", name="Importations").click()
    page.wait_for_url("**/admin/imports/")
    imports = in_french(page, "imports")
    assert "Date invalide : 1" in imports
    header, row = downloaded_csv(page, page.get_by_role("link", name="Télécharger").first)
    assert header[:3] == ["rejet_ligne", "rejet_motif", "rejet_détail"]
    assert row[1:3] == ["Date invalide", "dob n'est pas une date qui existe (2001-02-30)."]

    # The reports, and their CSVs with French headers.
    page.goto("/reports/org-summary/")
    page.get_by_role("button", name=re.compile("^Afficher")).click()
    page.wait_for_url(re.compile(r"/reports/org-summary/\?"))
    in_french(page, "org-summary")
    rows = downloaded_csv(page, page.get_by_test_id("csv-link"))
    assert rows[0] == ["Section", "Service", "Élément", "Mesure", "Valeur"], rows[0]
    page.goto("/reports/vacancy-tracker/")
    in_french(page, "vacancy-tracker")
    rows = downloaded_csv(page, page.get_by_test_id("csv-link"))
    assert rows[0][:3] == ["Service", "Programme", "Capacité"], rows[0]

    # Help: the registry's own pages, in French.
    page.goto("/admin/")
    page.locator("#wagtail-sidebar").get_by_role("link", name="Aide").click()
    page.wait_for_url("**/admin/help/")
    in_french(page, "help")
    page.get_by_role("link", name=re.compile("^Trouver une personne")).first.click()
    page.wait_for_url("**/admin/help/01-find-a-person/")
    in_french(page, "help-find-a-person")
