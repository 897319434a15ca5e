"""Issue 12 item 5: a full name finds a person's records in every list searched by
person, with the client list's rule (either word order, typos), and in the Audit log."""

import pytest
from django.urls import reverse

from audit.context import acting_as
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    RestrictionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

# What front-desk staff type: the name as said, in the other order, and misspelt.
TYPED = ["Amelia Adeyemi", "adeyemi amelia", "Amelia Adeyemy"]
LISTS = {
    "servicerestriction": RestrictionFactory,
    "clientprogramenrollment": EnrollmentFactory,
    "intake": IntakeFactory,
    "discharge": DischargeFactory,
}


@pytest.mark.parametrize("model_name", LISTS)
def test_full_name_finds_the_persons_records_in_each_list(client, login, model_name):
    worker = login(RoleName.STAFF)
    # Clients the worker created, so both are in their scope (need to know: tests/access/).
    amelia = ClientFactory(first_name="Amelia", last_name="Adeyemi", created_by=worker)
    other = ClientFactory(first_name="Amir", last_name="Haddad", created_by=worker)
    wanted = LISTS[model_name](client=amelia)
    unwanted = LISTS[model_name](client=other)
    url = reverse(f"wagtailsnippets_snippets_{model_name}:list")
    for typed in TYPED:
        response = client.get(url, {"q": typed})
        assert response.status_code == 200
        html = response.content.decode()
        assert str(wanted.pk) in html, typed
        assert str(unwanted.pk) not in html, typed


def test_program_name_still_finds_records(client, login):
    worker = login(RoleName.STAFF)
    enrollment = EnrollmentFactory(program__name="Harbour Shelter", client__created_by=worker)
    elsewhere = EnrollmentFactory(program__name="Ridge Drop-in", client__created_by=worker)
    html = client.get(
        reverse("wagtailsnippets_snippets_clientprogramenrollment:list"), {"q": "harbour"}
    ).content.decode()
    assert str(enrollment.pk) in html and str(elsewhere.pk) not in html


def test_audit_log_search_finds_a_client_by_name(client, login):
    editor = StaffFactory(first_name="Ines", last_name="Okafor")
    with acting_as(editor):
        amelia = ClientFactory(first_name="Amelia", last_name="Adeyemi")
        other = ClientFactory(first_name="Amir", last_name="Haddad")
    login(RoleName.COORDINATOR)
    for typed in ["Adeyemi Amelia", "Amelia Adeyemy"]:
        html = client.get(reverse("audit:index"), {"q": typed}).content.decode()
        assert str(amelia.pk) in html, typed
        assert str(other.pk) not in html, typed
