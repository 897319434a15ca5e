"""Issue 15: each role's home shows its day's work; Wagtail's page panels are gone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import AccessException, ExceptionReason
from ingest.models import IngestRun, RunStatus
from snippets.models import ClientRecordAccess, ProgramStaff
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    EnrollmentFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def home(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", list(RoleName))
def test_every_role_gets_a_client_search_and_no_page_summary(client, login, role):
    login(role)
    html = home(client)
    assert "Find a client" in html
    assert 'action="/admin/snippets/snippets/client/"' in html
    assert "Search all pages" not in html and "Editor guide" not in html
    assert "Your most recent edits" not in html


def test_recently_opened_clients_are_listed_newest_first(client, login):
    staff = login(RoleName.STAFF)
    # Clients the worker created: in their scope (need to know: tests/access/).
    older = ClientFactory(first_name="Olu", last_name="Older", created_by=staff)
    newer = ClientFactory(first_name="Nia", last_name="Newer", created_by=staff)
    client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[older.pk]))
    client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[newer.pk]))
    assert ClientRecordAccess.objects.filter(staff=staff).count() == 2
    html = home(client)
    assert html.index("Nia Newer") < html.index("Olu Older")


def test_coordinator_sees_restrictions_of_this_week_and_fewest_places(client, login):
    today = timezone.localdate()
    RestrictionFactory(
        client=ClientFactory(first_name="Wanda", last_name="Weekly"), start_date=today
    )
    RestrictionFactory(
        client=ClientFactory(first_name="Lena", last_name="Lastyear"),
        start_date=today - datetime.timedelta(days=400),
    )
    full = ProgramFactory(name="Harbour Shelter", capacity_current=1)
    EnrollmentFactory(program=full, start_date=today - datetime.timedelta(days=3))
    ProgramFactory(name="Roomy Place", capacity_current=500)
    login(RoleName.COORDINATOR)
    html = home(client)
    assert "Changes waiting for your approval" in html
    assert "Possible matches waiting" in html
    assert "Wanda Weekly" in html and "Lena Lastyear" not in html
    assert html.index("Harbour Shelter") < html.index("Roomy Place")


def test_staff_see_their_programs_with_todays_occupancy(client, login):
    staff = login(RoleName.STAFF)
    mine = ProgramFactory(name="Ridge Drop-in", capacity_current=30)
    ProgramStaff.objects.create(program=mine, staff=staff)
    EnrollmentFactory(program=mine, start_date=timezone.localdate())
    ProgramFactory(name="Someone Else's")
    html = home(client)
    assert "My programs today" in html and "Ridge Drop-in" in html
    assert "Someone Else" not in html


def test_analyst_sees_this_months_figures_not_coordinator_panels(client, login):
    login(RoleName.ANALYST)
    html = home(client)
    assert "This month" in html and "Places vacant today" in html
    assert "Changes waiting for your approval" not in html


def test_administrator_sees_failed_and_missing_imports_in_red(client, login):
    now = timezone.now()
    failed = IngestRun.objects.create(
        source="SMIS", file_name="smis.csv", file_sha256="a" * 64, status=RunStatus.FAILED
    )
    old = IngestRun.objects.create(
        source="EMH", file_name="emh.csv", file_sha256="b" * 64, status=RunStatus.SUCCEEDED
    )
    IngestRun.objects.filter(pk=old.pk).update(started_at=now - datetime.timedelta(days=3))
    assert failed.pk
    login(RoleName.ADMINISTRATOR)
    html = home(client)
    assert "Last import of each source" in html
    assert html.count('class="registry-alarm"') >= 2
    assert "No import last night" in html
    assert "Backups, sign-in lockouts and access exceptions" in html
    assert "No sign-in is locked out." in html
    assert "No record was opened as an exception in the last 7 days." in html


def test_administrator_sees_this_weeks_access_exceptions_without_the_clients_name(client, login):
    reader = StaffFactory(roles=[RoleName.STAFF], first_name="Imani", last_name="Okafor")
    opened = ClientFactory(first_name="Zebulon", last_name="Quennell")
    now = timezone.now()
    AccessException.objects.create(
        staff=reader,
        client=opened,
        reason=ExceptionReason.REFERRAL,
        explanation="Referred by 211",
        expires_at=now + datetime.timedelta(hours=8),
    )
    login(RoleName.ADMINISTRATOR)
    html = home(client)
    assert "1 record was opened outside its reader's programs in the last 7 days." in html
    assert "Imani Okafor: Referral or transfer to my program" in html
    assert reverse("access_exceptions:index") in html
    assert "Quennell" not in html and "Zebulon" not in html


def test_sidebar_help_opens_the_registrys_own_help(client, login):
    login(RoleName.MANAGER)
    html = home(client)
    assert '"url": "/admin/help/"' in html
    page = client.get(reverse("dashboard:help")).content.decode()
    assert "Find a person" in page and "What each role may do" in page
    topic = client.get(reverse("dashboard:help_topic", args=["05-what-each-role-may-do"]))
    assert "<table>" in topic.content.decode()
    assert client.get("/admin/help/no-such-topic/").status_code == 404
