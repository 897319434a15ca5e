"""The Clients list's filters: "Ever enrolled in" is the programs' chooser (no drop-down of
every program), and the drilldown, rendered once while no filter is set
(snippets/listing.py), is still each reader's own: their role's filters, their language,
the program they chose."""

import datetime

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from staff.roles import RoleName
from tests.factories import ClientFactory, EnrollmentFactory, ProgramFactory, StaffFactory

pytestmark = pytest.mark.django_db

CLIENTS = reverse("wagtailsnippets_snippets_client:list")
IMMIGRATION_FILTER = 'id="drilldown-id_immigration_status"'


def test_the_program_filter_is_a_chooser_not_a_list_of_every_program(client, login):
    login(RoleName.COORDINATOR)
    for name in ("Eastside Drop-in", "Westside Drop-in", "Northside Drop-in"):
        ProgramFactory(name=name)

    page = client.get(CLIENTS).content.decode()

    assert 'id="id_program-chooser"' in page
    assert "Choose program or service" in page
    assert (
        "<option" not in page.split('id="drilldown-id_program"')[1].split("w-drilldown__submenu")[0]
    )
    assert page.count("Drop-in") == 0


def test_each_role_sees_its_own_filters_whoever_opened_the_list_before(client):
    coordinator = StaffFactory(roles=[RoleName.COORDINATOR])
    staff = StaffFactory(roles=[RoleName.STAFF])

    client.force_login(coordinator)
    assert IMMIGRATION_FILTER in client.get(CLIENTS).content.decode()
    client.force_login(staff)
    assert IMMIGRATION_FILTER not in client.get(CLIENTS).content.decode()
    client.force_login(coordinator)
    assert IMMIGRATION_FILTER in client.get(CLIENTS).content.decode()


def test_the_filters_speak_the_readers_language_from_one_page_to_the_next(client, login):
    staff = login(RoleName.COORDINATOR)
    assert "Ever enrolled in" in client.get(CLIENTS).content.decode()

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "fr-ca"
    profile.save()
    french = client.get(CLIENTS).content.decode()

    assert "Déjà inscrit à" in french and "Ever enrolled in" not in french


def test_a_chosen_program_shows_by_name_and_lists_its_clients(client, login):
    login(RoleName.COORDINATOR)
    shelter = ProgramFactory(name="Women's Shelter")
    enrolled = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    EnrollmentFactory(client=enrolled, program=shelter, start_date=datetime.date(2025, 5, 1))
    ClientFactory(first_name="Oleksandr", last_name="Kovalenko")
    client.get(CLIENTS)  # the unfiltered drilldown, cached

    page = client.get(CLIENTS, {"program": shelter.pk}).content.decode()

    chooser = page.split('id="id_program-chooser"')[1].split("</script>")[0]
    assert "Women&#x27;s Shelter" in chooser
    assert f'value="{shelter.pk}"' in chooser
    assert "Thenmozhi Kanagaratnam" in page and "Oleksandr Kovalenko" not in page
    assert "Oleksandr Kovalenko" in client.get(CLIENTS).content.decode()


def test_the_programs_chooser_finds_a_program_by_part_of_its_name(client, login):
    login(RoleName.COORDINATOR)
    ProgramFactory(name="Women's Shelter")
    ProgramFactory(name="Youth Drop-in")

    found = client.get(
        reverse("wagtailsnippetchoosers_snippets_program:choose_results"), {"q": "shel"}
    ).content.decode()

    assert "Women&#x27;s Shelter" in found and "Youth Drop-in" not in found
