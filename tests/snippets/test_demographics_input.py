"""Issue 12 item 10: malformed "other demographics" get a clear message (no 500), and
answers to questions the agency never asked are refused; nothing is stored."""

import json

import pytest
from django.urls import reverse

from snippets.models import Client, DemographicQuestion
from staff.roles import RoleName
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_snippets_client:add"


def client_form(**extra):
    return {
        "first_name": "Nadia",
        "last_name": "Tremblay",
        "dob": "1970-03-03",
        "immigration_status": "",
        "sharing_consent": "not_asked",
        "source_ids-TOTAL_FORMS": "0",
        "source_ids-INITIAL_FORMS": "0",
        "source_ids-MIN_NUM_FORMS": "0",
        "source_ids-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
        **extra,
    }


@pytest.fixture
def veteran_question(db):
    return DemographicQuestion.objects.create(key="veteran", label="Veteran", choices="Yes\nNo")


@pytest.mark.parametrize(
    "orphans", ["{not json", "[1, 2]", '{"old_question": {"nested": 1}}', '"text"']
)
def test_unreadable_answers_get_a_message_not_a_server_error(
    client, login, veteran_question, orphans
):
    login(RoleName.COORDINATOR)
    response = client.post(
        reverse(ADD_URL),
        client_form(extra_demographics__veteran="Yes", extra_demographics__orphans=orphans),
    )
    assert response.status_code == 200
    assert "The other demographics could not be read" in response.content.decode()
    assert not Client.objects.filter(last_name="Tremblay").exists()


def test_answer_to_a_question_nobody_asked_is_refused(client, login, veteran_question):
    login(RoleName.COORDINATOR)
    response = client.post(
        reverse(ADD_URL),
        client_form(extra_demographics__veteran="No", extra_demographics__shoe_size="44"),
    )
    assert response.status_code == 200
    assert "No demographic question is called “shoe_size”" in response.content.decode()
    assert not Client.objects.filter(last_name="Tremblay").exists()


def test_made_up_key_smuggled_as_a_kept_answer_is_refused(client, login, veteran_question):
    login(RoleName.COORDINATOR)
    response = client.post(
        reverse(ADD_URL),
        client_form(extra_demographics__orphans=json.dumps({"salary": "high"})),
    )
    assert response.status_code == 200
    assert "No demographic question is called “salary”" in response.content.decode()
    assert not Client.objects.filter(last_name="Tremblay").exists()


def test_answers_to_questions_since_removed_are_kept_on_edit(client, login, veteran_question):
    person = ClientFactory(extra_demographics={"veteran": "Yes", "retired_question": "Blue"})
    login(RoleName.COORDINATOR)
    edit = client.get(reverse("wagtailsnippets_snippets_client:edit", args=[person.pk]))
    assert "Kept from questions no longer asked" in edit.content.decode()
    response = client.post(
        reverse("wagtailsnippets_snippets_client:edit", args=[person.pk]),
        client_form(
            first_name=person.first_name,
            last_name=person.last_name,
            dob="1990-05-17",
            extra_demographics__veteran="No",
            extra_demographics__orphans=json.dumps({"retired_question": "Blue"}),
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.extra_demographics == {"veteran": "No", "retired_question": "Blue"}
