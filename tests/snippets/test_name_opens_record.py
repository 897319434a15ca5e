"""Issue 15: a client's name in any list opens the person's record, not the edit form;
editing is a button on the record."""

import re

import pytest
from django.urls import reverse

from staff.roles import RoleName
from tests.factories import ClientFactory, EnrollmentFactory, RestrictionFactory

pytestmark = pytest.mark.django_db


def name_link(html: str, name: str) -> str:
    # The name may sit in the span the row's checkbox is described by.
    match = re.search(
        r'<a[^>]*href="([^"]+)"[^>]*>\s*(?:<span[^>]*>)?'
        + re.escape(name)
        + r"(?:</span>)?\s*</a>",
        html,
    )
    assert match, name
    return match.group(1)


@pytest.mark.parametrize(
    "model_name, factory",
    [
        ("client", None),
        ("servicerestriction", RestrictionFactory),
        ("clientprogramenrollment", EnrollmentFactory),
    ],
)
def test_clients_name_opens_the_record_not_the_edit_form(client, login, model_name, factory):
    person = ClientFactory(first_name="Amelia", last_name="Adeyemi")
    if factory:
        factory(client=person)
    login(RoleName.COORDINATOR)
    html = client.get(reverse(f"wagtailsnippets_snippets_{model_name}:list")).content.decode()
    record_url = reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk])
    assert name_link(html, "Amelia Adeyemi") == record_url


def test_record_has_an_edit_button_for_those_who_may_edit(client, login):
    person = ClientFactory()
    login(RoleName.COORDINATOR)
    record = client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk]))
    assert reverse("wagtailsnippets_snippets_client:edit", args=[person.pk]) in (
        record.content.decode()
    )
