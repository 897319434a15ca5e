"""The screens a caseworker works from: finding a person, their record, restrictions."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from snippets.models import ClientProgramEnrollment, ClientRecordAccess, ProgramStaff
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CLIENT_LIST = "wagtailsnippets_snippets_client:list"


def listed(client, url, **params):
    return client.get(reverse(url), params).content.decode()


@pytest.mark.parametrize(
    "typed",
    ["Thenmozhi Kanagaratnam", "kanagaratnam thenmozhi", "Thenmozi Kanagaratnam", "kanagar"],
)
def test_client_search_tolerates_typos_order_and_partial_names(client, login, typed):
    login(RoleName.STAFF)
    wanted = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    unrelated = ClientFactory(first_name="Oleksandr", last_name="Kovalenko")
    html = listed(client, CLIENT_LIST, q=typed)
    assert str(wanted.pk) in html
    assert str(unrelated.pk) not in html


def test_a_two_letter_surname_finds_that_family(client, login):
    login(RoleName.STAFF)
    li = ClientFactory(first_name="Wei", last_name="Li")
    olivia = ClientFactory(first_name="Olivia", last_name="Wilson")  # contains "li"
    html = listed(client, CLIENT_LIST, q="Li")
    assert str(li.pk) in html and str(olivia.pk) not in html


def test_client_search_by_date_of_birth_and_source_id(client, login):
    login(RoleName.STAFF)
    born = ClientFactory(dob=datetime.date(1961, 2, 28))
    other = ClientFactory(dob=datetime.date(1990, 1, 1))
    ClientSourceIdFactory(client=other, source="FFAI", uid_external="F-000912")
    by_dob = listed(client, CLIENT_LIST, q="1961-02-28")
    assert str(born.pk) in by_dob and str(other.pk) not in by_dob
    by_id = listed(client, CLIENT_LIST, q="F-000912")
    assert str(other.pk) in by_id and str(born.pk) not in by_id


def test_client_filters_program_enrolled_and_restricted_today(client, login):
    login(RoleName.COORDINATOR)
    program = ProgramFactory()
    enrolled = EnrollmentFactory(program=program, start_date=TODAY).client
    left = EnrollmentFactory(
        program=program, start_date=TODAY - datetime.timedelta(days=30), end_date=TODAY
    ).client
    restricted = RestrictionFactory(start_date=TODAY).client
    html = listed(client, CLIENT_LIST, enrolled_today="true")
    assert str(enrolled.pk) in html and str(left.pk) not in html
    html = listed(client, CLIENT_LIST, program=str(program.pk))
    assert str(enrolled.pk) in html and str(left.pk) in html and str(restricted.pk) not in html
    html = listed(client, CLIENT_LIST, restricted_today="true")
    assert str(restricted.pk) in html and str(enrolled.pk) not in html


def test_client_record_has_a_tab_per_kind_of_record_with_prefilled_add_buttons(client, login):
    login(RoleName.COORDINATOR)
    person = ClientFactory()
    program = ProgramFactory(name="Rent Bank")
    IntakeFactory(client=person, program=program, intake_date=datetime.date(2025, 3, 4))
    DischargeFactory(client=person, program=program, discharge_date=datetime.date(2025, 9, 1))
    EnrollmentFactory(client=person, program=program, start_date=datetime.date(2025, 3, 4))
    RestrictionFactory(
        client=person,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 6, 1),
        reason="Old incident",
    )
    draft = IntakeFactory(
        client=person, program=program, live=False, intake_date=datetime.date(2024, 1, 1)
    )
    html = client.get(
        reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk])
    ).content.decode()
    for tab in ("Demographics", "Intakes", "Discharges", "Enrollments", "Restrictions"):
        assert f'id="tab-label-{tab.lower()}"' in html
    assert "2025-03-04" in html and "2025-09-01" in html and "Old incident" in html
    assert "2024-01-01" not in html  # drafts are not registry data
    assert "English" in html and "[&#x27;English&#x27;]" not in html  # words, not a list
    assert str(draft.pk) not in html
    add_enrollment = reverse("wagtailsnippets_snippets_clientprogramenrollment:add")
    assert f"{add_enrollment}?client={person.pk}" in html
    # The add form opens with the client already chosen.
    form = client.get(add_enrollment, {"client": str(person.pk)})
    assert form.context["form"].initial.get("client") == person.pk or (
        form.context["form"].instance.client_id == person.pk
    )
    assert str(person) in form.content.decode()


def test_active_restriction_shows_as_a_banner_on_the_record_and_the_form(client, login):
    worker = login(RoleName.STAFF)
    person = ClientFactory(created_by=worker)  # in the worker's scope (tests/access/)
    RestrictionFactory(
        client=person, start_date=TODAY - datetime.timedelta(days=3), reason="Threatened staff"
    )
    ended = ClientFactory(created_by=worker)
    RestrictionFactory(
        client=ended, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 2, 1)
    )
    record = client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk]))
    assert 'data-testid="restriction-banner"' in record.content.decode()
    assert "the whole agency" in record.content.decode()
    calm = client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[ended.pk]))
    assert 'data-testid="restriction-banner"' not in calm.content.decode()


def test_enrollment_during_an_agency_wide_restriction_is_refused_naming_it(client, login):
    login(RoleName.COORDINATOR)
    person = ClientFactory(first_name="Jermaine", last_name="Clarke")
    RestrictionFactory(
        client=person,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
        reason="Weapon on premises",
    )
    program = ProgramFactory()
    response = client.post(
        reverse("wagtailsnippets_snippets_clientprogramenrollment:add"),
        {
            "client": str(person.pk),
            "program": str(program.pk),
            "start_date": "2026-02-10",
            "end_date": "",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Jermaine Clarke is restricted from the whole agency from 2026-01-01" in text
    assert "until 2026-03-31" in text and "Weapon on premises" in text
    assert not ClientProgramEnrollment.objects.filter(client=person).exists()


def test_program_restriction_blocks_that_program_only(client, login):
    login(RoleName.COORDINATOR)
    person = ClientFactory()
    shelter, drop_in = ProgramFactory(name="Men's Shelter"), ProgramFactory(name="Drop-in")
    RestrictionFactory(
        client=person, scope="program", program=shelter, start_date=datetime.date(2026, 1, 1)
    )
    url = reverse("wagtailsnippets_snippets_clientprogramenrollment:add")
    data = {"client": str(person.pk), "start_date": "2026-02-10", "end_date": ""}
    refused = client.post(url, {**data, "program": str(shelter.pk)})
    assert "restricted from Men&#x27;s Shelter" in refused.content.decode()
    accepted = client.post(url, {**data, "program": str(drop_in.pk)})
    assert accepted.status_code == 302
    # After the restriction ends (its end date is its last day), enrolling is fine again.
    assert ClientProgramEnrollment.objects.filter(client=person, program=drop_in).exists()


def test_opening_a_client_record_is_logged_and_administrators_can_search_the_log(client, login):
    worker = login(RoleName.STAFF)
    person = ClientFactory(first_name="Hodan", last_name="Warsame", created_by=worker)
    client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk]))
    access = ClientRecordAccess.objects.get()
    assert (access.staff, access.client, access.view) == (worker, person, "record")

    client.force_login(StaffFactory(roles=[RoleName.ADMINISTRATOR]))
    html = client.get(reverse("client_record_access:index"), {"q": "warsame"}).content.decode()
    assert "Hodan Warsame" in html and worker.get_full_name() in html


def test_access_log_is_refused_to_other_roles_and_cannot_be_altered(client, login):
    login(RoleName.COORDINATOR)
    response = client.get(reverse("client_record_access:index"))
    assert response.status_code == 302
    worker = StaffFactory()
    ClientRecordAccess.objects.create(staff=worker, client=ClientFactory(), view="record")
    with pytest.raises(IntegrityError, match="kept for at least 10 years"), transaction.atomic():
        ClientRecordAccess.objects.all().delete()
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE snippets_clientrecordaccess SET view = 'edit'")


def test_program_list_shows_occupancy_and_record_shows_staff_and_enrollments(client, login):
    login(RoleName.LEADER)
    program = ProgramFactory(capacity_current=2, name="Youth Shelter")
    manager, worker = StaffFactory(first_name="Marta"), StaffFactory(first_name="Kwame")
    ProgramStaff.objects.create(program=program, staff=manager, is_manager=True)
    ProgramStaff.objects.create(program=program, staff=worker, is_manager=False)
    for _ in range(3):
        EnrollmentFactory(program=program, start_date=TODAY)
    # A second enrollment of a client already counted, and a draft client: neither adds.
    EnrollmentFactory(program=program, start_date=TODAY, client=program.enrollments.first().client)
    EnrollmentFactory(program=program, start_date=TODAY, client=ClientFactory(live=False))
    EnrollmentFactory(
        program=program, start_date=TODAY - datetime.timedelta(days=9), end_date=TODAY
    )  # left today: not occupying a place
    listing = client.get(reverse("wagtailsnippets_snippets_program:list")).content.decode()
    assert "Enrolled today" in listing
    record = client.get(
        reverse("wagtailsnippets_snippets_program:inspect", args=[program.pk])
    ).content.decode()
    assert "-1 (over capacity)" in record
    assert "Marta" in record and "Manager" in record and "Kwame" in record
    assert "3 people" in record


def test_restriction_list_splits_active_and_expired(client, login):
    login(RoleName.COORDINATOR)
    active = RestrictionFactory(start_date=TODAY - datetime.timedelta(days=1))
    expired = RestrictionFactory(
        start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2015, 6, 1)
    )
    url = "wagtailsnippets_snippets_servicerestriction:list"
    html = listed(client, url, status="active")
    assert str(active.pk) in html and str(expired.pk) not in html
    html = listed(client, url, status="expired")
    assert str(expired.pk) in html and str(active.pk) not in html
    everything = listed(client, url)
    assert "Active" in everything and "Expired" in everything


@pytest.mark.parametrize("rows", [3, 30])
def test_client_pages_run_a_bounded_number_of_queries(
    client, login, django_assert_max_num_queries, rows
):
    login(RoleName.COORDINATOR)
    person = ClientFactory()
    program = ProgramFactory()
    for day in range(rows):
        EnrollmentFactory(
            client=person,
            program=program,
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=day),
        )
        IntakeFactory(client=person, program=program)
        ClientFactory()
    with django_assert_max_num_queries(45):
        client.get(reverse(CLIENT_LIST))
    with django_assert_max_num_queries(45):
        client.get(reverse(CLIENT_LIST), {"q": "amina"})
    with django_assert_max_num_queries(45):
        client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk]))
    with django_assert_max_num_queries(45):
        client.get(reverse("wagtailsnippets_snippets_program:inspect", args=[program.pk]))
    with django_assert_max_num_queries(45):
        client.get(reverse("wagtailsnippets_snippets_clientprogramenrollment:list"))


def test_program_record_shows_todays_capacity_from_its_history(client, login):
    login(RoleName.LEADER)
    program = ProgramFactory(
        name="Night Shelter",
        capacity_history=[
            (40, None, TODAY - datetime.timedelta(days=1)),
            (60, TODAY, None),
        ],
    )
    EnrollmentFactory(program=program, start_date=TODAY)

    record = client.get(
        reverse("wagtailsnippets_snippets_program:inspect", args=[program.pk])
    ).content.decode()

    assert f"60 (since {TODAY:%Y-%m-%d})" in record
    assert "59 vacant" in record
    assert "Capacity history" in record and "Since the start" in record
