"""A restriction that never went live restricts nobody, is never shown as in force, and may
be discarded by its author; one that was ever live is kept (issue 12, item 2). Through
the admin's list, record, create, delete views and the database itself."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.context import acting_as
from snippets.models import ClientProgramEnrollment, Program, ProgramStaff, ServiceRestriction
from staff.roles import RoleName
from tests.admin_forms import post_create, snippet_url
from tests.factories import ClientFactory, ProgramFactory, RestrictionFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST_URL = snippet_url(ServiceRestriction, "list")


def rows_text(html: str) -> str:
    """The rows of the page's listing table, as text."""
    start = html.index("<tbody", html.index('<table class="listing'))
    body = html[start : html.index("</tbody>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


SHELTER = "Harbour Light Shelter"


def our_client(**fields):
    """A client of the shelter every staff member here works in (need to know: a Manager
    reads only the records of their programs' clients; tests/access/)."""
    person = ClientFactory(**fields)
    program = Program.objects.filter(name=SHELTER).first() or ProgramFactory(name=SHELTER)
    ClientProgramEnrollment.objects.create(
        client=person, program=program, start_date=TODAY, live=True
    )
    return person


def as_role(client, role):
    staff = StaffFactory(roles=[role])
    program = Program.objects.filter(name=SHELTER).first() or ProgramFactory(name=SHELTER)
    ProgramStaff.objects.create(program=program, staff=staff)
    client.force_login(staff)
    return staff


def draft_restriction(client, person, reason="Draft reason, never sent"):
    """A Manager's "Add restriction" saved as a draft, through the real create form."""
    response = post_create(
        client,
        ServiceRestriction,
        {
            "client": str(person.pk),
            "scope": "org",
            "start_date": (TODAY - datetime.timedelta(days=3)).isoformat(),
            "reason": reason,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return ServiceRestriction.objects.get(reason=reason)


def test_registry_forms_do_not_autosave(client):
    # Wagtail 8 would post a half-filled "Add restriction" form every 500 ms, creating rows.
    as_role(client, RoleName.MANAGER)
    restriction = RestrictionFactory(client=our_client())
    for url in (
        snippet_url(ServiceRestriction, "add"),
        snippet_url(ServiceRestriction, "edit", restriction.pk),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "data-w-autosave-interval-value" not in page.content.decode(), url


def test_a_draft_restriction_is_never_in_force_anywhere(client):
    person = ClientFactory(first_name="Ayaan", last_name="Warsame")
    program = ProgramFactory()
    as_role(client, RoleName.MANAGER)
    draft = draft_restriction(client, person)
    assert not draft.live

    as_role(client, RoleName.COORDINATOR)
    listing = rows_text(client.get(LIST_URL).content.decode())
    assert "Draft, not in force" in listing and "Active" not in listing
    active = client.get(LIST_URL, {"status": "active"}).content.decode()
    assert "Ayaan Warsame" not in active
    for view in ("inspect", "edit"):
        record = client.get(snippet_url(type(person), view, person.pk))
        assert record.context["restrictions_in_force"] == [], view
        assert "Draft reason, never sent" not in record.content.decode(), view
    enrolled = post_create(
        client,
        ClientProgramEnrollment,
        {"client": str(person.pk), "program": str(program.pk), "start_date": TODAY.isoformat()},
        action="publish",
    )
    assert enrolled.status_code == 302, "a draft restriction refuses no enrollment"
    assert ClientProgramEnrollment.objects.live().filter(client=person).exists()


def test_a_live_restriction_is_listed_active(client):
    RestrictionFactory(client=ClientFactory(first_name="Ayaan", last_name="Warsame"))
    as_role(client, RoleName.COORDINATOR)
    active = rows_text(client.get(LIST_URL, {"status": "active"}).content.decode())
    assert "Ayaan Warsame" in active and "Active" in active


def test_the_author_may_discard_a_never_live_draft_and_nobody_else(client):
    person = our_client()
    author = as_role(client, RoleName.MANAGER)
    draft = draft_restriction(client, person)
    delete_url = snippet_url(ServiceRestriction, "delete", draft.pk)

    for role in (RoleName.MANAGER, RoleName.COORDINATOR, RoleName.ADMINISTRATOR):
        as_role(client, role)
        refused = client.post(delete_url, follow=True)
        assert b"Sorry, you do not have permission" in refused.content, role
    assert ServiceRestriction.objects.filter(pk=draft.pk).exists()

    client.force_login(author)
    edit_page = client.get(snippet_url(ServiceRestriction, "edit", draft.pk)).content.decode()
    assert delete_url in edit_page
    discarded = client.post(delete_url, follow=True)

    assert b"Draft service restriction discarded." in discarded.content
    assert not ServiceRestriction.objects.filter(pk=draft.pk).exists()


def test_a_submitted_draft_is_not_discarded_while_it_waits(client):
    as_role(client, RoleName.MANAGER)
    response = post_create(
        client,
        ServiceRestriction,
        {
            "client": str(our_client().pk),
            "scope": "org",
            "start_date": TODAY.isoformat(),
            "reason": "Sent for approval",
        },
        action="submit",
    )
    assert response.status_code == 302
    sent = ServiceRestriction.objects.get(reason="Sent for approval")
    refused = client.post(snippet_url(ServiceRestriction, "delete", sent.pk), follow=True)
    assert b"Sorry, you do not have permission" in refused.content
    assert ServiceRestriction.objects.filter(pk=sent.pk).exists()


def test_a_restriction_that_was_ever_live_is_kept_by_the_database():
    live = RestrictionFactory()
    unpublished = RestrictionFactory()
    with acting_as(None):  # an unpublish: live true -> false, kept in the audit log
        ServiceRestriction.objects.filter(pk=unpublished.pk).update(live=False)
    never_live = RestrictionFactory(live=False)

    for kept in (live, unpublished):
        with (
            pytest.raises(IntegrityError, match="kept for at least 10 years"),
            transaction.atomic(),
        ):
            ServiceRestriction.objects.filter(pk=kept.pk).delete()
    ServiceRestriction.objects.filter(pk=never_live.pk).delete()

    assert set(ServiceRestriction.objects.values_list("pk", flat=True)) == {
        live.pk,
        unpublished.pk,
    }


def test_administrators_still_cannot_delete_a_restriction_that_was_in_force(client):
    restriction = RestrictionFactory()
    as_role(client, RoleName.ADMINISTRATOR)
    response = client.post(snippet_url(ServiceRestriction, "delete", restriction.pk), follow=True)
    assert b"Sorry, you do not have permission" in response.content
    assert ServiceRestriction.objects.filter(pk=restriction.pk).exists()
    assert reverse("wagtailsnippets_snippets_servicerestriction:list") == LIST_URL
