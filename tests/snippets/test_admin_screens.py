"""What staff see and do on the registry's admin screens, beyond the permission matrix."""

import datetime

import pytest
from django.urls import reverse

from snippets.models import DemographicQuestion, Department, Program, ServiceRestriction
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    DepartmentFactory,
    EnrollmentFactory,
    ProgramFactory,
    RestrictionFactory,
)

pytestmark = pytest.mark.django_db


def test_sidebar_lists_registry_screens_in_order(client, login):
    login(RoleName.COORDINATOR)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar is serialised as JSON, with "&" escaped.
    labels = ["Clients", "Programs \\u0026 Services", "Departments", "Enrollments", "Restrictions"]
    positions = [html.find(f'"label": "{label}"') for label in labels]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_client_search_finds_by_partial_name_and_source_id(client, login):
    login(RoleName.STAFF)
    wanted = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    other = ClientFactory(first_name="Oleksandr", last_name="Kovalenko")
    ClientSourceIdFactory(client=other, source="EMH", uid_external="E-4411")
    url = reverse("wagtailsnippets_snippets_client:list")

    by_name = client.get(url, {"q": "kanagar"}).content.decode()
    assert str(wanted.pk) in by_name and str(other.pk) not in by_name

    by_source_id = client.get(url, {"q": "E-4411"}).content.decode()
    assert str(other.pk) in by_source_id and str(wanted.pk) not in by_source_id


def test_enrollment_list_filters_by_active_on_a_date(client, login):
    login(RoleName.ANALYST)
    program = ProgramFactory()
    ended = EnrollmentFactory(program=program, start_date="2026-01-01", end_date="2026-02-01")
    current = EnrollmentFactory(program=program, start_date="2026-01-15")
    html = client.get(
        reverse("wagtailsnippets_snippets_clientprogramenrollment:list"),
        {"active_on": "2026-02-01"},
    ).content.decode()
    # The end date is the day the client left: on that day they no longer occupy a place.
    assert str(current.pk) in html and str(ended.pk) not in html


def test_duplicate_department_name_gets_a_clear_message(client, login):
    login(RoleName.COORDINATOR)
    DepartmentFactory(name="Shelter Services")
    response = client.post(
        reverse("wagtailsnippets_snippets_department:add"), {"name": "SHELTER services"}
    )
    assert response.status_code == 200
    assert "A department with this name already exists" in response.content.decode()
    assert Department.objects.count() == 1


def test_program_restriction_without_a_program_gets_a_clear_message(client, login):
    login(RoleName.COORDINATOR)
    person = ClientFactory()
    response = client.post(
        reverse("wagtailsnippets_snippets_servicerestriction:add"),
        {
            "client": str(person.pk),
            "scope": "program",
            "program": "",
            "start_date": "2026-01-01",
            "reason": "Threatened staff",
        },
    )
    assert response.status_code == 200
    assert "Choose the program this restriction is for." in response.content.decode()
    assert not ServiceRestriction.objects.exists()


def test_enrollment_ending_before_it_starts_gets_a_clear_message(client, login):
    login(RoleName.COORDINATOR)
    response = client.post(
        reverse("wagtailsnippets_snippets_clientprogramenrollment:add"),
        {
            "client": str(ClientFactory().pk),
            "program": str(ProgramFactory().pk),
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()


def test_deleting_a_department_with_programs_is_refused_in_the_admin(client, login):
    login(RoleName.ADMINISTRATOR)
    program = ProgramFactory()
    url = reverse("wagtailsnippets_snippets_department:delete", args=[program.department_id])
    page = client.get(url).content.decode()
    assert "prevent it from being deleted" in page
    client.post(url)
    assert Department.objects.filter(pk=program.department_id).exists()


def test_restrictions_offer_no_delete_even_to_administrators(client, login):
    login(RoleName.ADMINISTRATOR)
    restriction = RestrictionFactory()
    edit = client.get(
        reverse("wagtailsnippets_snippets_servicerestriction:edit", args=[restriction.pk])
    ).content.decode()
    delete_url = reverse(
        "wagtailsnippets_snippets_servicerestriction:delete", args=[restriction.pk]
    )
    assert delete_url not in edit
    client.post(delete_url)
    assert ServiceRestriction.objects.filter(pk=restriction.pk).exists()


def test_client_records_cannot_be_copied(client, login):
    login(RoleName.ADMINISTRATOR)
    person = ClientFactory()
    edit = client.get(reverse("wagtailsnippets_snippets_client:edit", args=[person.pk]))
    assert "/copy/" not in edit.content.decode()


def test_client_form_shows_and_saves_the_agencys_extra_demographics(client, login):
    login(RoleName.COORDINATOR)
    DemographicQuestion.objects.create(
        key="indigenous_identity",
        label="Indigenous identity",
        choices="First Nations\nMétis\nInuit\nNone\nPrefers not to say",
    )
    add_url = reverse("wagtailsnippets_snippets_client:add")
    assert "Indigenous identity" in client.get(add_url).content.decode()
    response = client.post(
        add_url,
        {
            "first_name": "Migizi",
            "last_name": "Commanda",
            "dob": "1988-07-01",
            "gender": "Two-Spirit",
            "languages": "Ojibwe; English",
            "sexual_orientation": "",
            "immigration_status": "citizen",
            "sharing_consent": "shared",
            "extra_demographics__indigenous_identity": "First Nations",
            "source_ids-TOTAL_FORMS": "1",
            "source_ids-INITIAL_FORMS": "0",
            "source_ids-MIN_NUM_FORMS": "0",
            "source_ids-MAX_NUM_FORMS": "1000",
            "source_ids-0-source": "SMIS",
            "source_ids-0-uid_external": "S-777",
            "source_ids-0-ORDER": "1",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    from snippets.models import Client

    person = Client.objects.get(last_name="Commanda")
    assert person.live
    assert person.languages == ["Ojibwe", "English"]
    assert person.extra_demographics == {"indigenous_identity": "First Nations"}
    assert [str(s) for s in person.source_ids.all()] == ["SMIS: S-777"]


def test_program_form_assigns_several_staff_and_managers(client, login, django_user_model):
    coordinator = login(RoleName.COORDINATOR)
    from tests.factories import StaffFactory

    second = StaffFactory()
    department = DepartmentFactory()
    response = client.post(
        reverse("wagtailsnippets_snippets_program:add"),
        {
            "name": "Youth Drop-in",
            "department": str(department.pk),
            "location": "20 Gladstone Ave",
            "capacity_current": "30",
            "capacity_effective_date": "2026-01-01",
            "staff_assignments-TOTAL_FORMS": "2",
            "staff_assignments-INITIAL_FORMS": "0",
            "staff_assignments-MIN_NUM_FORMS": "0",
            "staff_assignments-MAX_NUM_FORMS": "1000",
            "capacity_history-TOTAL_FORMS": "1",
            "capacity_history-INITIAL_FORMS": "0",
            "capacity_history-MIN_NUM_FORMS": "0",
            "capacity_history-MAX_NUM_FORMS": "1000",
            "capacity_history-0-capacity": "30",
            "capacity_history-0-effective_from": "2026-01-01",
            "capacity_history-0-effective_to": "",
            "capacity_history-0-ORDER": "1",
            "staff_assignments-0-staff": str(coordinator.pk),
            "staff_assignments-0-is_manager": "on",
            "staff_assignments-0-ORDER": "1",
            "staff_assignments-1-staff": str(second.pk),
            "staff_assignments-1-is_manager": "on",
            "staff_assignments-1-ORDER": "2",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get(name="Youth Drop-in")
    assert program.staff_assignments.filter(is_manager=True).count() == 2
    # The capacity history is edited as a list on the same form.
    assert list(program.capacity_history.values_list("capacity", "effective_from")) == [
        (30, datetime.date(2026, 1, 1))
    ]


def test_extra_demographic_answer_outside_the_list_is_refused(client, login):
    login(RoleName.COORDINATOR)
    DemographicQuestion.objects.create(key="veteran", label="Veteran", choices="Yes\nNo")
    response = client.post(
        reverse("wagtailsnippets_snippets_client:add"),
        {
            "first_name": "Sam",
            "last_name": "Tremblay",
            "dob": "1970-03-03",
            "immigration_status": "",
            "extra_demographics__veteran": "Maybe",
            "source_ids-TOTAL_FORMS": "0",
            "source_ids-INITIAL_FORMS": "0",
            "source_ids-MIN_NUM_FORMS": "0",
            "source_ids-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "is not an answer to “Veteran”" in response.content.decode()
