"""Issue 13: a search row and the limited card show whether a restriction is in force today
and where, but never a confidential program's restriction to someone who does not staff it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from snippets.models import ProgramStaff
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    EnrollmentFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "wagtailsnippets_snippets_client:list"


@pytest.fixture
def shelter_staff():
    staff = StaffFactory(roles=[RoleName.STAFF])
    ProgramStaff.objects.create(program=ProgramFactory(name="Harbour Light Shelter"), staff=staff)
    return staff


def row_of(html, name):
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_a_search_row_names_where_the_client_is_restricted_today(client, shelter_staff):
    drop_in = ProgramFactory(name="Queen West Drop-in")
    person = ClientFactory(first_name="Bartholomew", last_name="Quennell")
    EnrollmentFactory(client=person, program=drop_in, start_date=TODAY)
    RestrictionFactory(client=person, scope="program", program=drop_in, start_date=TODAY)
    RestrictionFactory(
        client=person,
        start_date=TODAY - datetime.timedelta(90),
        end_date=TODAY - datetime.timedelta(1),
    )  # over yesterday: not shown
    client.force_login(shelter_staff)

    row = row_of(client.get(reverse(LIST), {"q": "Quennell"}).content.decode(), "Bartholomew")

    assert "Outside your programs" in row
    assert "Queen West Drop-in" in row
    assert "Whole agency" not in row
    assert "More options" not in row  # no row menu


def test_a_confidential_programs_restriction_stays_hidden_outside_it(client, shelter_staff):
    haven = ProgramFactory(name="Safe Haven", confidential=True)
    person = ClientFactory(first_name="Bartholomew", last_name="Quennell")
    EnrollmentFactory(client=person, program=haven, start_date=TODAY)
    RestrictionFactory(client=person, scope="program", program=haven, start_date=TODAY)
    client.force_login(shelter_staff)

    row = row_of(client.get(reverse(LIST), {"q": "Quennell"}).content.decode(), "Bartholomew")
    card = client.get(reverse("access:client_limited", args=[person.pk])).content.decode()

    assert "Safe Haven" not in row and "Safe Haven" not in card
    assert "No restriction in force today" in card

    haven_staff = StaffFactory(roles=[RoleName.STAFF])
    ProgramStaff.objects.create(program=haven, staff=haven_staff)
    client.force_login(haven_staff)
    assert "Safe Haven" in row_of(
        client.get(reverse(LIST), {"q": "Quennell"}).content.decode(), "Bartholomew"
    )
