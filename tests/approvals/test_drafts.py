"""Drafts stay their author's: a Manager's unsent change never reaches live data through
someone else's form, and every save says what happened (issue 12, item 1). Through the
admin's real edit, create, inspect and history views."""

import re

import pytest
from django.urls import reverse

from approvals.models import ChangeStatus, PendingChange
from snippets.models import Program
from staff.roles import RoleName
from tests.admin_forms import form_fields, post_create, post_edit, snippet_url
from tests.factories import DepartmentFactory, ProgramFactory, StaffFactory

pytestmark = pytest.mark.django_db


def as_role(client, role, **fields):
    staff = StaffFactory(roles=[role], **fields)
    client.force_login(staff)
    return staff


def shown_messages(client, response) -> str:
    """The messages shown on the page the save lands on, as one text without tags."""
    # A withdrawal from a locked form re-renders it (200) with its message.
    assert response.status_code in (200, 302), response.status_code
    page = client.get(response.url) if response.status_code == 302 else response
    texts = [str(m.message) for m in page.context["messages"]]
    assert texts, "the page says what happened"
    return re.sub(r"<[^>]+>", " ", " | ".join(texts))


def edit_form(client, record) -> dict:
    page = client.get(snippet_url(type(record), "edit", record.pk))
    assert page.status_code == 200
    return form_fields(page.content.decode())


def assert_agency_words(text: str):
    lowered = text.lower()
    assert "moderation" not in lowered and "snippet" not in lowered


def test_a_managers_draft_is_private_and_a_coordinators_publish_leaves_it_out(client):
    program = ProgramFactory(capacity_current=20, location="Old address")
    manager = as_role(client, RoleName.MANAGER)

    saved = post_edit(client, program, {"capacity_current": "99"})

    text = shown_messages(client, saved)
    assert "saved as your draft; not yet sent" in text
    assert_agency_words(text)
    assert not PendingChange.objects.exists()
    assert edit_form(client, program)["capacity_current"] == "99", "the author sees it"

    as_role(client, RoleName.COORDINATOR)
    assert edit_form(client, program)["capacity_current"] == "20", "others see the live record"
    published = post_edit(client, program, {"location": "New address"}, action="publish")

    text = shown_messages(client, published)
    assert "published" in text
    assert_agency_words(text)
    program.refresh_from_db()
    assert (program.capacity_current, program.location) == (20, "New address")

    client.force_login(manager)
    assert edit_form(client, program)["capacity_current"] == "20", (
        "a publish since the draft supersedes it: the author starts from the live record"
    )


def test_a_submission_says_so_and_the_record_names_who_is_waiting(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.LEADER, first_name="Lena", last_name="Okafor")

    sent = post_edit(client, program, {"capacity_current": "30"}, action="submit")

    text = shown_messages(client, sent)
    assert "sent to a Coordinator for approval" in text
    assert_agency_words(text)
    change = PendingChange.objects.get(entity_id=program.pk)
    detail_url = reverse("approvals:detail", args=[change.change_id])

    as_role(client, RoleName.COORDINATOR)
    for view in ("edit", "inspect"):
        page = client.get(snippet_url(Program, view, program.pk)).content.decode()
        assert "A change by Lena Okafor" in page, view
        assert f'href="{detail_url}"' in page, view
    assert edit_form(client, program)["capacity_current"] == "20"


def test_a_coordinators_direct_edit_keeps_the_pending_change_for_its_decision(client):
    program = ProgramFactory(capacity_current=20, location="Old address")
    as_role(client, RoleName.MANAGER)
    post_edit(client, program, {"capacity_current": "30"}, action="submit")
    change = PendingChange.objects.get(entity_id=program.pk)

    as_role(client, RoleName.COORDINATOR)
    post_edit(client, program, {"location": "New address"}, action="publish")
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING

    # Another Coordinator approves later: the submitted field merges over the direct edit.
    as_role(client, RoleName.COORDINATOR)
    client.post(reverse("approvals:approve", args=[change.change_id]))
    change.refresh_from_db()
    program.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert (program.capacity_current, program.location) == (30, "New address")


def test_a_direct_edit_of_the_submitted_field_makes_the_approval_refuse_it(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    post_edit(client, program, {"capacity_current": "30"}, action="submit")
    change = PendingChange.objects.get(entity_id=program.pk)
    as_role(client, RoleName.COORDINATOR)
    post_edit(client, program, {"capacity_current": "40"}, action="publish")

    as_role(client, RoleName.COORDINATOR)
    refused = client.post(reverse("approvals:approve", args=[change.change_id]), follow=True)

    assert b"Current capacity changed in the live record" in refused.content
    program.refresh_from_db()
    assert program.capacity_current == 40
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_a_managers_unsent_new_record_is_theirs_alone(client):
    department = DepartmentFactory()
    manager = as_role(client, RoleName.MANAGER, first_name="Marta", last_name="Reyes")
    created = post_create(
        client, Program, {"name": "Night Shelter", "department": str(department.pk)}
    )
    text = shown_messages(client, created)
    assert "created and saved as your draft; not yet sent" in text
    assert_agency_words(text)
    program = Program.objects.get(name="Night Shelter")
    url = snippet_url(Program, "edit", program.pk)

    as_role(client, RoleName.COORDINATOR)
    opened = client.get(url, follow=True)
    assert b"Marta Reyes&#x27;s draft, not yet sent" in opened.content or (
        b"Marta Reyes's draft, not yet sent" in opened.content
    )
    client.post(url, {"name": "Night Shelter", "action-publish": "publish"})
    program.refresh_from_db()
    assert not program.live, "nobody else's publish makes the draft live"

    client.force_login(manager)
    post_edit(client, program, {}, action="submit")
    change = PendingChange.objects.get(entity_id=program.pk)
    as_role(client, RoleName.COORDINATOR)
    opened = client.get(url)
    assert opened.status_code == 302
    assert opened.url == reverse("approvals:detail", args=[change.change_id])


def test_another_persons_unapproved_version_cannot_be_restored_for_publishing(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    post_edit(client, program, {"capacity_current": "99"})
    draft = program.revisions.order_by("-created_at").first()

    as_role(client, RoleName.COORDINATOR)
    revert_url = snippet_url(Program, "revisions_revert", program.pk, draft.pk)
    opened = client.get(revert_url, follow=True)
    assert b"never approved" in opened.content
    client.post(revert_url, {"capacity_current": "99", "action-publish": "publish"})

    program.refresh_from_db()
    assert program.capacity_current == 20


def test_withdrawing_a_submission_keeps_it_as_the_authors_draft(client):
    program = ProgramFactory(capacity_current=20)
    as_role(client, RoleName.MANAGER)
    post_edit(client, program, {"capacity_current": "30"}, action="submit")

    withdrawn = post_edit(client, program, {}, action="cancel-workflow")

    text = shown_messages(client, withdrawn)
    assert "withdrawn" in text
    assert_agency_words(text)
    assert edit_form(client, program)["capacity_current"] == "30"
    assert PendingChange.objects.get(entity_id=program.pk).status == ChangeStatus.CANCELLED
