"""Merging two records of one person, and undoing it, over HTTP."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditLog
from identity.models import ClientMerge, MatchCandidate, MatchStatus, PossibleMatch
from snippets.models import (
    Client,
    ClientProgramEnrollment,
    ClientRecordAccess,
    ClientSourceId,
    Discharge,
    Intake,
    ServiceRestriction,
)
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    MatchCandidateFactory,
    PairFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)
from tests.identity.test_review_queue import NOT_ALLOWED, messages_of, refused

pytestmark = pytest.mark.django_db

# Every table a merge touches, compared row by row before the merge and after an unmerge.
AFFECTED = [
    Client,
    ClientSourceId,
    ClientProgramEnrollment,
    Intake,
    Discharge,
    ServiceRestriction,
    ClientRecordAccess,
    PossibleMatch,
    MatchCandidate,
]


def record_url(client, view="inspect"):
    return reverse(f"wagtailsnippets_snippets_client:{view}", args=[client.pk])


def merge_url(first, second):
    return reverse("possible_matches:merge", args=[first.pk, second.pk])


def two_records_of_one_person():
    """Amina Testperson twice: the older record with SMIS and EMH ids and a program, the
    newer one (spelt Aminah, a different gender answer) with an FFAI id, its own services,
    an agency-wide restriction and a conflicting SMIS id."""
    program = ProgramFactory(name="Women's Shelter")
    older = ClientFactory(first_name="Amina", last_name="Testperson", gender="Woman")
    newer = ClientFactory(first_name="Aminah", last_name="Testperson", gender="Prefers not to say")
    ClientSourceIdFactory(client=older, source="SMIS", uid_external="S-1")
    ClientSourceIdFactory(client=older, source="EMH", uid_external="E-1")
    ClientSourceIdFactory(client=newer, source="FFAI", uid_external="F-1")
    ClientSourceIdFactory(client=newer, source="SMIS", uid_external="S-2")
    EnrollmentFactory(client=older, program=program, start_date=datetime.date(2025, 1, 6))
    EnrollmentFactory(client=newer, program=program, start_date=datetime.date(2026, 2, 1))
    IntakeFactory(client=newer, program=program)
    DischargeFactory(client=newer, program=program)
    RestrictionFactory(
        client=newer, start_date=datetime.date(2026, 1, 1), reason="Threatened staff"
    )
    return older, newer


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in AFFECTED}


def merge(client, older, newer, **extra):
    data = {"survivor": str(older.pk), "reason": "Same SIN on both intake forms", **extra}
    return client.post(merge_url(older, newer), data, follow=True)


def test_merge_moves_everything_to_the_survivor_and_the_other_leads_there(client, login):
    coordinator = login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    client.get(record_url(newer))  # an access to the record that will be merged away

    form = client.get(merge_url(older, newer))
    html = form.content.decode()
    assert "<mark data-differs>Amina</mark>" in html and "<mark data-differs>Aminah</mark>" in html
    assert 'name="keep_gender"' in html and 'name="keep_last_name"' not in html

    response = merge(client, older, newer, keep_first_name="first", keep_gender="second")
    assert response.redirect_chain[-1][0] == record_url(older)
    assert "Merged" in messages_of(response)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.first_name == "Amina" and older.gender == "Prefers not to say"
    assert not newer.live and newer.merged_into == older
    for model in (ClientProgramEnrollment, Intake, Discharge, ServiceRestriction):
        assert not model.objects.filter(client=newer).exists()
    assert ClientProgramEnrollment.objects.filter(client=older).count() == 2
    assert set(older.source_ids.values_list("source", "uid_external")) == {
        ("SMIS", "S-1"),
        ("EMH", "E-1"),
        ("FFAI", "F-1"),
    }
    # The conflicting SMIS id stays on the merged record, where search still finds it.
    assert newer.source_ids.get().uid_external == "S-2"

    # The newer record's restriction applies to the survivor at once: the red banner.
    page = response.content.decode()
    assert 'data-testid="restriction-banner"' in page and "Threatened staff" in page
    assert 'data-testid="merged-here"' in page and "Undo merge" in page

    # The merged record's pages lead to the survivor.
    assert client.get(record_url(newer)).url == record_url(older)
    assert client.get(record_url(newer, "edit")).url == record_url(older, "edit")

    # Its access history is the survivor's too (the access log is the Administrators').
    client.force_login(StaffFactory(roles=[RoleName.ADMINISTRATOR]))
    log = client.get(reverse("client_record_access:index"), {"client": str(older.pk)})
    assert newer.pk in {access.client_id for access in log.context["object_list"]}

    merge_row = ClientMerge.objects.get()
    assert merge_row.merged_by == coordinator and merge_row.reason
    assert AuditLog.objects.filter(
        entity="clientmerge", entity_id=merge_row.pk, changed_by=coordinator
    ).exists()
    assert AuditLog.objects.filter(
        entity="client", entity_id=newer.pk, action="update", changed_by=coordinator
    ).exists()


def test_unmerge_restores_every_row_exactly(client, login):
    login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    client.get(record_url(newer))
    pair = PairFactory(client=newer)
    MatchCandidateFactory(possible_match=pair, client=older)
    before = snapshot()

    merge(client, older, newer, keep_first_name="second", keep_gender="second")
    assert snapshot() != before
    merge_row = ClientMerge.objects.get()
    response = client.post(reverse("possible_matches:unmerge", args=[merge_row.pk]), follow=True)
    assert "Merge undone" in messages_of(response)

    after = snapshot()
    # Opening the record pages in between logged accesses: the log is append-only.
    after["ClientRecordAccess"] = after["ClientRecordAccess"][: len(before["ClientRecordAccess"])]
    assert after == before
    merge_row.refresh_from_db()
    assert merge_row.undone_at is not None
    # Undoing twice is refused.
    again = client.post(reverse("possible_matches:unmerge", args=[merge_row.pk]), follow=True)
    assert "already undone" in messages_of(again)


def test_merge_from_a_pair_in_the_queue_decides_the_pair(client, login):
    login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    pair = PairFactory(client=newer)
    MatchCandidateFactory(possible_match=pair, client=older)

    item = client.get(reverse("possible_matches:detail", args=[pair.pk])).content.decode()
    url = merge_url(newer, older) + f"?possible_match={pair.pk}"
    assert url.replace("&", "&amp;") in item

    # The newer record's page says who it may be.
    shown = client.get(record_url(newer)).content.decode()
    assert 'data-testid="maybe-same-person"' in shown and str(older) in shown
    assert str(newer) in client.get(record_url(older)).content.decode()

    client.post(
        merge_url(newer, older),
        {"survivor": str(older.pk), "reason": "Same person", "possible_match": str(pair.pk)},
    )
    pair.refresh_from_db()
    assert pair.status == MatchStatus.MERGED and pair.decided_client == older
    assert 'data-testid="maybe-same-person"' not in client.get(record_url(older)).content.decode()


def test_merge_with_another_record_from_the_clients_record(client, login):
    login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    assert (
        reverse("possible_matches:merge_choose", args=[older.pk])
        in client.get(record_url(older)).content.decode()
    )
    found = client.get(
        reverse("possible_matches:merge_choose", args=[older.pk]), {"q": "Aminah Testperson"}
    ).content.decode()
    assert merge_url(older, newer) in found
    assert merge_url(older, older) not in found


def test_refusals_itself_cycle_and_already_merged(client, login):
    login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    third = ClientFactory()

    itself = merge(client, older, older)
    assert "cannot be merged into itself" in messages_of(itself)

    merge(client, older, newer)
    # newer is merged into older: merging older into newer would be a cycle.
    cycle = client.post(
        merge_url(older, newer), {"survivor": str(newer.pk), "reason": "x"}, follow=True
    )
    assert "already merged into another record" in messages_of(cycle)
    again = merge(client, third, newer, survivor=str(third.pk))
    assert "already merged into another record" in messages_of(again)
    assert ClientMerge.objects.count() == 1
    newer.refresh_from_db()
    assert newer.merged_into == older


def test_merge_needs_a_reason(client, login):
    login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    response = client.post(merge_url(older, newer), {"survivor": str(older.pk), "reason": ""})
    assert response.status_code == 200
    assert not ClientMerge.objects.exists()


def test_unmerge_waits_for_a_later_merge_of_the_survivor(client, login):
    login(RoleName.COORDINATOR)
    older, newer = two_records_of_one_person()
    third = ClientFactory()
    merge(client, older, newer)
    merge(client, third, older, survivor=str(third.pk))
    first = ClientMerge.objects.get(merged=newer)
    response = client.post(reverse("possible_matches:unmerge", args=[first.pk]), follow=True)
    assert "undo that later merge first" in messages_of(response)
    # The chain leads to the last survivor.
    assert client.get(record_url(newer), follow=True).redirect_chain[-1][0] == record_url(third)


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_other_roles_cannot_merge_or_unmerge(client, login, role):
    older, newer = two_records_of_one_person()
    login(role)
    assert refused(client.get(merge_url(older, newer)))
    assert refused(client.post(merge_url(older, newer), {"survivor": str(older.pk), "reason": "x"}))
    assert not ClientMerge.objects.exists()
    assert "Merge with another record" not in client.get(record_url(older)).content.decode()


def test_unchosen_fields_keep_the_survivors_value_unless_it_is_empty(client, login):
    login(RoleName.COORDINATOR)
    blank = ClientFactory(first_name="Oleksander", last_name="Kovalenko", gender="")
    answered = ClientFactory(first_name="Oleksandr", last_name="Kovalenko", gender="Man")
    form = client.get(merge_url(answered, blank)).context["form"]
    assert form["keep_gender"].initial is None and form["keep_first_name"].initial is None
    # The blank record stays: it keeps its first name and takes the other's gender.
    client.post(merge_url(answered, blank), {"survivor": str(blank.pk), "reason": "Same card"})
    blank.refresh_from_db()
    assert blank.first_name == "Oleksander" and blank.gender == "Man"
