""" "Possible matches": the queue, an item's page, and the decisions on it, over HTTP."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from identity.models import MatchStatus, PossibleMatch
from snippets.models import Client, ClientProgramEnrollment, ClientSourceId, Discharge, Intake
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    EnrollmentFactory,
    IngestRunFactory,
    MatchCandidateFactory,
    PairFactory,
    PossibleMatchFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
    row_values,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("possible_matches:index")
NOT_ALLOWED = [RoleName.MANAGER, RoleName.LEADER, RoleName.STAFF, RoleName.ANALYST]


def detail_url(item):
    return reverse("possible_matches:detail", args=[item.pk])


def flagged_row(program_name="Women's Shelter", **cells):
    """A row of an SMIS import that may be Amina Testperson, born 1990-05-17."""
    ProgramFactory(name=program_name)
    person = ClientFactory(first_name="Amina", last_name="Testperson")
    cells = {
        "program": program_name,
        "enrollment_start": "2026-03-02",
        "intake_date": "2026-03-02",
        **cells,
    }
    item = PossibleMatchFactory(row_values=row_values(**cells))
    MatchCandidateFactory(possible_match=item, client=person)
    return item, person


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard
    ("Sorry, you do not have permission to access this area")."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_sidebar_shows_possible_matches_to_coordinators_only(client, login):
    login(RoleName.COORDINATOR)
    assert "Possible matches" in client.get("/admin/").content.decode()
    client.force_login(StaffFactory(roles=[RoleName.MANAGER]))
    assert "Possible matches" not in client.get("/admin/").content.decode()


def test_queue_lists_waiting_items_and_filters_them(client, login):
    login(RoleName.COORDINATOR)
    waiting, _ = flagged_row()
    not_sure = PossibleMatchFactory(
        status=MatchStatus.NOT_SURE, row_values=row_values(first_name="Notsure")
    )
    PossibleMatchFactory(status=MatchStatus.LINKED, row_values=row_values(first_name="Decided"))
    emh = PossibleMatchFactory(
        run=IngestRunFactory(source="EMH"), row_values=row_values(first_name="Fromemh")
    )
    pair = PairFactory(client=ClientFactory(first_name="Pairperson"), top_score=8.0)
    old = PossibleMatchFactory(row_values=row_values(first_name="Oldrow"))
    PossibleMatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )

    html = client.get(INDEX).content.decode()
    for shown in (waiting, not_sure, emh, pair, old):
        assert detail_url(shown) in html
    assert "Decided" not in html

    by_source = client.get(INDEX, {"source": "EMH"}).content.decode()
    assert detail_url(emh) in by_source and detail_url(waiting) not in by_source
    by_run = client.get(INDEX, {"run": waiting.run_id}).content.decode()
    assert detail_url(waiting) in by_run and detail_url(emh) not in by_run
    by_age = client.get(INDEX, {"older_than": "7"}).content.decode()
    assert detail_url(old) in by_age and detail_url(waiting) not in by_age
    by_kind = client.get(INDEX, {"kind": "existing_client"}).content.decode()
    assert detail_url(pair) in by_kind and detail_url(waiting) not in by_kind
    low = client.get(INDEX, {"score_band": "low"}).content.decode()
    assert detail_url(pair) in low and detail_url(waiting) not in low


def test_queue_is_paginated(client, login):
    login(RoleName.COORDINATOR)
    for _ in range(51):
        PossibleMatchFactory()
    first = client.get(INDEX)
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(INDEX, {"p": 2}).context["page"].object_list) == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queue_and_item_pages_read_a_constant_number_of_queries(client, login):
    login(RoleName.COORDINATOR)
    item, _ = flagged_row()
    # A person's first page builds their sidebar (cached after): count from the second.
    client.get(INDEX)
    few_list, few_item = _queries(client, INDEX), _queries(client, detail_url(item))
    for _ in range(20):
        other = PossibleMatchFactory()
        MatchCandidateFactory(possible_match=other)
    program = ProgramFactory()
    for rank in range(2, 6):
        candidate = MatchCandidateFactory(possible_match=item, rank=rank)
        EnrollmentFactory(client=candidate.client, program=program)
        ClientSourceIdFactory(client=candidate.client)
        RestrictionFactory(client=candidate.client)
    assert _queries(client, INDEX) == few_list
    assert _queries(client, detail_url(item)) == few_item


def test_item_page_shows_row_beside_candidates_with_differences_and_evidence(client, login):
    login(RoleName.COORDINATOR)
    item, person = flagged_row()
    ClientSourceIdFactory(client=person, source="EMH", uid_external="E-77")
    EnrollmentFactory(
        client=person, program=ProgramFactory(name="Drop-in"), start_date=datetime.date(2025, 1, 6)
    )
    RestrictionFactory(client=person, reason="Threatened staff")
    response = client.get(detail_url(item))
    html = response.content.decode()
    assert "Aminah" in html and "Amina" in html
    assert "<mark data-differs>Amina</mark>" in html  # the first names differ
    assert "<mark data-differs>Testperson</mark>" not in html
    assert "EMH: E-77" in html and "SMIS: S-104233" in html
    assert "Drop-in: 2025-01-06" in html
    assert "Restricted today" in html
    assert "Last name: the same (rare), +7.9" in html
    assert "First name: a small typo apart, +3.1" in html
    assert "Enrollment in Women&#x27;s Shelter from 2026-03-02" in html
    assert f"Same person as {person}" in html and "A new person" in html


def test_same_person_links_the_row_and_applies_its_services(client, login):
    coordinator = login(RoleName.COORDINATOR)
    item, person = flagged_row(discharge_date="2026-03-20", discharge_reason="Housed")
    response = client.post(
        reverse("possible_matches:same_person", args=[item.pk]),
        {"client": person.pk, "note": "Same mother's name on the intake form"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailsnippets_snippets_client:inspect", args=[person.pk]
    )
    assert f"Linked to {person}" in messages_of(response)
    enrollment = ClientProgramEnrollment.objects.get(client=person)
    assert enrollment.live and enrollment.start_date == datetime.date(2026, 3, 2)
    assert Intake.objects.get(client=person).source_system == "SMIS"
    assert Discharge.objects.get(client=person).reason == "Housed"
    assert ClientSourceId.objects.get(client=person).uid_external == "S-104233"
    item.refresh_from_db()
    assert item.status == MatchStatus.LINKED
    assert item.decided_by == coordinator and item.decided_client == person
    assert item.decision_note == "Same mother's name on the intake form"
    assert item.decided_at is not None
    # Audited as the Coordinator: the decision and the enrollment it recorded.
    audited = AuditLog.objects.filter(changed_by=coordinator)
    assert audited.filter(entity="possiblematch", entity_id=item.pk).exists()
    assert audited.filter(entity="clientprogramenrollment", entity_id=enrollment.pk).exists()
    # The record shows the new enrollment.
    assert "Women&#x27;s Shelter" in response.content.decode()


def test_same_person_does_not_add_a_conflicting_source_id(client, login):
    login(RoleName.COORDINATOR)
    item, person = flagged_row()
    ClientSourceIdFactory(client=person, source="SMIS", uid_external="S-000001")
    response = client.post(
        reverse("possible_matches:same_person", args=[item.pk]),
        {"client": person.pk, "note": "Checked by phone"},
        follow=True,
    )
    assert "already has another SMIS id" in messages_of(response)
    assert list(person.source_ids.values_list("uid_external", flat=True)) == ["S-000001"]
    assert ClientProgramEnrollment.objects.filter(client=person).exists()


def test_a_new_person_creates_the_client_and_applies_the_services(client, login):
    login(RoleName.COORDINATOR)
    item, person = flagged_row(languages="Tamil;English", immigration_status="Permanent resident")
    response = client.post(
        reverse("possible_matches:new_person", args=[item.pk]),
        {"note": "Different middle name and mother"},
        follow=True,
    )
    created = Client.objects.exclude(pk=person.pk).get()
    assert created.live and created.first_name == "Aminah"
    assert created.dob == datetime.date(1990, 5, 17)
    assert created.languages == ["Tamil", "English"]
    assert created.immigration_status == "permanent_resident"
    assert created.source_ids.get().uid_external == "S-104233"
    assert ClientProgramEnrollment.objects.filter(client=created).exists()
    assert not ClientProgramEnrollment.objects.filter(client=person).exists()
    item.refresh_from_db()
    assert item.status == MatchStatus.NEW_PERSON and item.decided_client == created
    assert "Created a new client record" in messages_of(response)


def test_not_sure_keeps_the_item_waiting(client, login):
    coordinator = login(RoleName.COORDINATOR)
    item, person = flagged_row()
    client.post(reverse("possible_matches:not_sure", args=[item.pk]), {"note": "Ask the shelter"})
    item.refresh_from_db()
    assert item.status == MatchStatus.NOT_SURE and item.decided_by == coordinator
    assert detail_url(item) in client.get(INDEX).content.decode()
    assert not ClientProgramEnrollment.objects.exists()
    # A later decision is still possible.
    client.post(
        reverse("possible_matches:same_person", args=[item.pk]),
        {"client": person.pk, "note": "Shelter confirmed"},
    )
    item.refresh_from_db()
    assert item.status == MatchStatus.LINKED


def test_a_second_decision_is_refused_with_a_clear_message(client, login):
    login(RoleName.COORDINATOR)
    item, person = flagged_row()
    url = reverse("possible_matches:same_person", args=[item.pk])
    client.post(url, {"client": person.pk, "note": "Same person"})
    response = client.post(
        reverse("possible_matches:new_person", args=[item.pk]), {"note": "New"}, follow=True
    )
    assert "already decided by" in messages_of(response)
    assert Client.objects.count() == 1
    assert ClientProgramEnrollment.objects.count() == 1


def test_linking_needs_a_reason_and_a_candidate(client, login):
    login(RoleName.COORDINATOR)
    item, person = flagged_row()
    url = reverse("possible_matches:same_person", args=[item.pk])
    response = client.post(url, {"client": person.pk, "note": " "}, follow=True)
    assert "Say why" in messages_of(response)
    stranger = ClientFactory()
    response = client.post(url, {"client": stranger.pk, "note": "x"}, follow=True)
    assert "not one of this row's candidates" in messages_of(response)
    item.refresh_from_db()
    assert item.status == MatchStatus.OPEN and not ClientProgramEnrollment.objects.exists()


def test_a_row_whose_program_is_gone_is_refused_and_nothing_is_written(client, login):
    login(RoleName.COORDINATOR)
    item, person = flagged_row()
    item.row_values = {**item.row_values, "program": "Closed program"}
    item.save()
    response = client.post(
        reverse("possible_matches:same_person", args=[item.pk]),
        {"client": person.pk, "note": "Same person"},
        follow=True,
    )
    assert "“Closed program” is not a live program" in messages_of(response)
    assert not person.source_ids.exists()
    item.refresh_from_db()
    assert item.status == MatchStatus.OPEN


def test_different_people_closes_a_pair_of_records(client, login):
    login(RoleName.COORDINATOR)
    pair = PairFactory()
    MatchCandidateFactory(possible_match=pair)
    client.post(reverse("possible_matches:different_people", args=[pair.pk]), {"note": "Twins"})
    pair.refresh_from_db()
    assert pair.status == MatchStatus.DIFFERENT_PEOPLE
    assert detail_url(pair) not in client.get(INDEX).content.decode()


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_other_roles_cannot_see_or_decide(client, login, role):
    item, person = flagged_row()
    login(role)
    assert refused(client.get(INDEX))
    assert refused(client.get(detail_url(item)))
    for name, data in [
        ("same_person", {"client": person.pk, "note": "x"}),
        ("new_person", {"note": "x"}),
        ("not_sure", {"note": "x"}),
    ]:
        assert refused(client.post(reverse(f"possible_matches:{name}", args=[item.pk]), data))
    item.refresh_from_db()
    assert item.status == MatchStatus.OPEN
    assert not ClientProgramEnrollment.objects.exists()


def test_administrators_decide_too(client, login):
    login(RoleName.ADMINISTRATOR)
    item, person = flagged_row()
    assert client.get(detail_url(item)).status_code == 200
    client.post(
        reverse("possible_matches:same_person", args=[item.pk]),
        {"client": person.pk, "note": "Same person"},
    )
    item.refresh_from_db()
    assert item.status == MatchStatus.LINKED


def test_decisions_are_post_only(client, login):
    login(RoleName.COORDINATOR)
    item, _ = flagged_row()
    assert client.get(reverse("possible_matches:new_person", args=[item.pk])).status_code == 405
