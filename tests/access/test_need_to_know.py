"""Need to know (issue 13): who reads which client's full record, over real HTTP.

Each role x a client in scope / out of scope / in a confidential program / with consent
"own programs only", on the read paths built so far: the client list, a search, the
record, the edit form, the change history, the services lists, and the limited card with
"break the glass". Each test checks what the response shows and what the access log holds.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import AccessException
from snippets.models import ClientRecordAccess, DepartmentStaff, ProgramStaff, SharingConsent
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "wagtailsnippets_snippets_client:list"
INSPECT = "wagtailsnippets_snippets_client:inspect"
EDIT = "wagtailsnippets_snippets_client:edit"
HISTORY = "wagtailsnippets_snippets_client:history"
ENROLLMENTS = "wagtailsnippets_snippets_clientprogramenrollment:list"


@pytest.fixture
def shelter():
    return ProgramFactory(name="Seaton House Shelter")


@pytest.fixture
def drop_in():
    return ProgramFactory(name="Queen West Drop-in")


@pytest.fixture
def own_client(shelter):
    client = ClientFactory(
        first_name="Thandiwe", last_name="Okonkwo", immigration_status="refugee_claimant"
    )
    EnrollmentFactory(client=client, program=shelter, start_date=TODAY - datetime.timedelta(30))
    return client


@pytest.fixture
def other_client(drop_in):
    client = ClientFactory(
        first_name="Bartholomew", last_name="Quennell", immigration_status="no_status"
    )
    EnrollmentFactory(client=client, program=drop_in, start_date=TODAY - datetime.timedelta(30))
    return client


def assigned(role, program):
    staff = StaffFactory(roles=[role])
    ProgramStaff.objects.create(program=program, staff=staff)
    return staff


def body(response):
    return response.content.decode()


@pytest.mark.parametrize("role", [RoleName.MANAGER, RoleName.LEADER, RoleName.STAFF])
def test_program_staff_read_their_programs_clients_and_only_limited_cards_of_others(
    client, role, shelter, own_client, other_client
):
    client.force_login(assigned(role, shelter))

    listing = body(client.get(reverse(LIST)))
    assert "Okonkwo" in listing
    assert "Quennell" not in listing  # not listed without a search

    assert client.get(reverse(INSPECT, args=[own_client.pk])).status_code == 200
    for url in (INSPECT, EDIT, HISTORY):
        response = client.get(reverse(url, args=[other_client.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("access:client_limited", args=[other_client.pk])
    assert not ClientRecordAccess.objects.filter(client=other_client).exists()


def test_a_search_finds_anyone_but_shows_only_name_dob_and_restriction_outside_scope(
    client, shelter, own_client, other_client
):
    client.force_login(assigned(RoleName.STAFF, shelter))
    RestrictionFactory(client=other_client, scope="org", start_date=TODAY)

    found = body(client.get(reverse(LIST), {"q": "Bartholomew Quennell"}))
    assert "Quennell" in found
    assert "No status" not in found  # no demographics of a client outside scope
    assert reverse("access:client_limited", args=[other_client.pk]) in found
    assert reverse(INSPECT, args=[other_client.pk]) not in found

    card = body(client.get(reverse("access:client_limited", args=[other_client.pk])))
    assert "Bartholomew Quennell" in card
    assert other_client.dob.isoformat() in card
    assert "Restricted today" in card and "the whole agency" in card
    assert "Queen West Drop-in" not in card  # nothing of their services


def test_breaking_the_glass_needs_a_reason_grants_hours_and_is_logged(
    client, settings, shelter, other_client
):
    settings.REGISTRY_ACCESS_EXCEPTION_HOURS = 8
    staff = assigned(RoleName.STAFF, shelter)
    client.force_login(staff)
    card = reverse("access:client_limited", args=[other_client.pk])

    refused = client.post(card, {"reason": "client_present", "explanation": "  "})
    assert refused.status_code == 200
    assert "This field is required" in body(refused)
    assert not AccessException.objects.exists()

    granted = client.post(
        card, {"reason": "client_present", "explanation": "At the front desk asking for a bed"}
    )
    assert granted["Location"] == reverse(INSPECT, args=[other_client.pk])
    exception = AccessException.objects.get()
    assert exception.staff == staff and exception.client_id == other_client.pk
    hours = (exception.expires_at - exception.granted_at).total_seconds() / 3600
    assert round(hours) == 8
    assert ClientRecordAccess.objects.filter(
        client=other_client, staff=staff, view=ClientRecordAccess.View.EXCEPTION
    ).exists()

    record = client.get(reverse(INSPECT, args=[other_client.pk]))
    assert record.status_code == 200 and "Quennell" in body(record)


def test_an_expired_exception_no_longer_opens_the_record(client, shelter, other_client):
    from django.db import connection

    staff = assigned(RoleName.STAFF, shelter)
    with connection.cursor() as cursor:  # granted yesterday, for 8 hours
        cursor.execute(
            "INSERT INTO access_accessexception (staff_id, client_id, reason, explanation,"
            " granted_at, expires_at) VALUES (%s, %s, 'other', 'Yesterday''s shift',"
            " now() - interval '26 hours', now() - interval '18 hours')",
            [staff.pk, other_client.pk],
        )
    client.force_login(staff)
    response = client.get(reverse(INSPECT, args=[other_client.pk]))
    assert response.status_code == 302


def test_access_exceptions_are_append_only(shelter, other_client):
    from django.db import IntegrityError, transaction

    staff = assigned(RoleName.STAFF, shelter)
    exception = AccessException.objects.create(
        staff=staff,
        client=other_client,
        reason="safety",
        explanation="Wellness check",
        expires_at=timezone.now() + datetime.timedelta(hours=8),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessException.objects.filter(pk=exception.pk).update(explanation="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessException.objects.filter(pk=exception.pk).delete()


@pytest.mark.parametrize("role", [RoleName.ADMINISTRATOR, RoleName.COORDINATOR])
def test_agency_wide_roles_read_every_client(client, role, own_client, other_client):
    client.force_login(StaffFactory(roles=[role]))
    listing = body(client.get(reverse(LIST)))
    assert "Okonkwo" in listing and "Quennell" in listing
    record = body(client.get(reverse(INSPECT, args=[other_client.pk])))
    assert "No status" in record


def test_analysts_read_every_record_but_not_sensitive_fields_by_default(
    client, own_client, other_client
):
    client.force_login(StaffFactory(roles=[RoleName.ANALYST]))
    record = client.get(reverse(INSPECT, args=[other_client.pk]))
    assert record.status_code == 200
    assert "Quennell" in body(record)
    assert "No status" not in body(record)
    assert "Immigration status" not in body(record)
    listing = body(client.get(reverse(LIST)))
    assert "Quennell" in listing and "No status" not in listing


def test_sensitive_fields_follow_the_setting(client, settings, shelter, own_client):
    staff = assigned(RoleName.STAFF, shelter)
    client.force_login(staff)
    assert "Refugee claimant" in body(client.get(reverse(INSPECT, args=[own_client.pk])))

    settings.REGISTRY_SENSITIVE_FIELD_ROLES = {
        **settings.REGISTRY_SENSITIVE_FIELD_ROLES,
        "immigration_status": ["Administrator"],
    }
    staff._registry_scope = None
    record = body(client.get(reverse(INSPECT, args=[own_client.pk])))
    assert "Refugee claimant" not in record
    form = body(client.get(reverse(EDIT, args=[own_client.pk])))
    assert 'name="immigration_status"' not in form


def test_a_leader_assigned_to_a_department_sees_its_programs_clients(
    client, shelter, own_client, other_client
):
    leader = StaffFactory(roles=[RoleName.LEADER])
    DepartmentStaff.objects.create(department=shelter.department, staff=leader)
    client.force_login(leader)
    assert client.get(reverse(INSPECT, args=[own_client.pk])).status_code == 200
    assert client.get(reverse(INSPECT, args=[other_client.pk])).status_code == 302


def test_services_older_than_the_scope_window_no_longer_bring_a_client_in(
    client, settings, shelter
):
    settings.REGISTRY_SCOPE_MONTHS = 24
    former = ClientFactory(last_name="Formerguest")
    EnrollmentFactory(
        client=former,
        program=shelter,
        start_date=TODAY - datetime.timedelta(days=1200),
        end_date=TODAY - datetime.timedelta(days=800),
    )
    recent = ClientFactory(last_name="Recentguest")
    IntakeFactory(client=recent, program=shelter, intake_date=TODAY - datetime.timedelta(400))
    client.force_login(assigned(RoleName.STAFF, shelter))
    assert client.get(reverse(INSPECT, args=[former.pk])).status_code == 302
    assert client.get(reverse(INSPECT, args=[recent.pk])).status_code == 200


def test_confidential_enrollment_is_seen_only_by_its_staff_and_administrators(
    client, shelter, own_client
):
    refuge = ProgramFactory(name="Harbour Refuge", confidential=True)
    EnrollmentFactory(client=own_client, program=refuge, start_date=TODAY)

    client.force_login(assigned(RoleName.STAFF, shelter))
    assert "Harbour Refuge" not in body(client.get(reverse(INSPECT, args=[own_client.pk])))
    assert "Okonkwo" not in body(client.get(reverse(ENROLLMENTS), {"program": refuge.pk}))

    client.force_login(StaffFactory(roles=[RoleName.COORDINATOR]))
    assert "Harbour Refuge" not in body(client.get(reverse(INSPECT, args=[own_client.pk])))

    client.force_login(assigned(RoleName.STAFF, refuge))
    assert "Harbour Refuge" in body(client.get(reverse(INSPECT, args=[own_client.pk])))

    client.force_login(StaffFactory(roles=[RoleName.ADMINISTRATOR]))
    assert "Harbour Refuge" in body(client.get(reverse(INSPECT, args=[own_client.pk])))


def test_consent_own_programs_only_hides_other_programs_services(
    client, shelter, drop_in, own_client
):
    EnrollmentFactory(client=own_client, program=drop_in, start_date=TODAY)
    client.force_login(assigned(RoleName.STAFF, shelter))
    assert "Queen West Drop-in" in body(client.get(reverse(INSPECT, args=[own_client.pk])))

    own_client.sharing_consent = SharingConsent.OWN_PROGRAMS
    own_client.save()
    record = body(client.get(reverse(INSPECT, args=[own_client.pk])))
    assert "Seaton House Shelter" in record
    assert "Queen West Drop-in" not in record


def test_the_services_lists_show_only_clients_in_scope(client, shelter, own_client, other_client):
    client.force_login(assigned(RoleName.STAFF, shelter))
    listing = body(client.get(reverse(ENROLLMENTS)))
    assert "Okonkwo" in listing
    assert "Quennell" not in listing


def test_reading_the_change_history_is_written_to_the_access_log(client, own_client):
    coordinator = StaffFactory(roles=[RoleName.COORDINATOR])
    client.force_login(coordinator)
    assert client.get(reverse(HISTORY, args=[own_client.pk])).status_code == 200
    assert ClientRecordAccess.objects.filter(
        client=own_client, staff=coordinator, view=ClientRecordAccess.View.HISTORY
    ).exists()


def test_access_exceptions_are_listed_for_administrators_only(client, shelter, other_client):
    staff = assigned(RoleName.STAFF, shelter)
    AccessException.objects.create(
        staff=staff,
        client=other_client,
        reason="referral",
        explanation="Referred by 211",
        expires_at=timezone.now() + datetime.timedelta(hours=8),
    )
    url = reverse("access_exceptions:index")
    client.force_login(StaffFactory(roles=[RoleName.COORDINATOR]))
    assert client.get(url).status_code in (302, 403)
    client.force_login(StaffFactory(roles=[RoleName.ADMINISTRATOR]))
    listing = client.get(url, {"staff": staff.pk})
    assert listing.status_code == 200
    assert "Referred by 211" in body(listing)
    assert "Quennell" not in body(listing)  # names who looked, not whom by name


def test_a_client_created_by_a_staff_member_stays_in_their_scope(client, shelter):
    manager = assigned(RoleName.MANAGER, shelter)
    created = ClientFactory(last_name="Newcomer", created_by=manager)
    client.force_login(manager)
    assert client.get(reverse(INSPECT, args=[created.pk])).status_code == 200
