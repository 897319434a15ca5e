"""Which client each row lands on: never the wrong person, as few duplicates as possible."""

import datetime

import pytest

from snippets.models import Client, ClientSourceId, Intake
from tests.factories import ClientFactory, ClientSourceIdFactory

pytestmark = pytest.mark.django_db

DOB = datetime.date(1988, 4, 12)


def row(**fields):
    base = {"first_name": "Amina", "last_name": "Warsame", "dob": "1988-04-12"}
    return {**base, **fields}


def test_known_source_id_links_to_that_client_even_with_another_name(daily_file, ingest, shelter):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    ClientSourceIdFactory(client=client, source="SMIS", uid_external="S-1")
    path = daily_file(
        [
            row(
                uid_external="S-1",
                last_name="Warsame-Ali",
                program="Eva's Place",
                intake_date="2026-11-20",
            )
        ]
    )
    out, _, rejects = ingest(path)

    assert rejects == []
    assert Client.objects.count() == 1
    client.refresh_from_db()
    assert client.last_name == "Warsame-Ali"  # SMIS corrected the name
    assert Intake.objects.get().client == client
    assert "1 by source id" in out


def test_same_name_and_birthday_links_ignoring_case_accents_and_spaces(daily_file, ingest):
    client = ClientFactory(first_name="José María", last_name="Núñez", dob=DOB)
    path = daily_file(
        [row(uid_external="S-9", first_name="  JOSE   maria ", last_name="NUNEZ", gender="Man")]
    )
    _, _, rejects = ingest(path)

    assert rejects == []
    assert Client.objects.count() == 1
    client.refresh_from_db()
    # The registry's spelling stays: the export's capitals are not a correction.
    assert (client.first_name, client.last_name) == ("José María", "Núñez")
    assert client.gender == "Man"
    assert ClientSourceId.objects.get(client=client, source="SMIS").uid_external == "S-9"


def test_a_different_source_may_use_the_same_id(daily_file, ingest):
    other = ClientFactory(first_name="Someone", last_name="Else", dob=DOB)
    ClientSourceIdFactory(client=other, source="EMH", uid_external="S-1")
    ingest(daily_file([row(uid_external="S-1")]))

    assert Client.objects.count() == 2
    new = Client.objects.exclude(pk=other.pk).get()
    assert new.source_ids.get().source == "SMIS"


def test_several_clients_with_that_name_and_birthday_is_for_a_person_to_decide(daily_file, ingest):
    twins = [ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB) for _ in range(2)]
    _, _, rejects = ingest(daily_file([row(uid_external="S-1")]))

    assert [r["reject_reason"] for r in rejects] == ["ambiguous"]
    assert set(rejects[0]["candidate_client_ids"].split(";")) == {str(c.pk) for c in twins}
    assert Client.objects.count() == 2
    assert not ClientSourceId.objects.exists()


def test_a_client_with_another_id_from_this_source_is_not_linked(daily_file, ingest):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    ClientSourceIdFactory(client=client, source="SMIS", uid_external="S-OLD")
    _, _, rejects = ingest(daily_file([row(uid_external="S-NEW"), row(gender="Woman")]))

    assert [r["reject_reason"] for r in rejects] == ["ambiguous", "ambiguous"]
    assert rejects[0]["candidate_client_ids"] == str(client.pk)
    assert Client.objects.count() == 1
    assert list(client.source_ids.values_list("uid_external", flat=True)) == ["S-OLD"]


def test_draft_only_clients_are_not_matched_by_name(daily_file, ingest):
    ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB, live=False)
    _, _, rejects = ingest(daily_file([row()]))
    assert rejects == []
    assert Client.objects.live().count() == 1


@pytest.mark.parametrize(
    ("first", "last", "dob", "what"),
    [
        ("Amina", "Warsme", "1988-04-12", "a typo in the last name"),
        ("Amnia", "Warsame", "1988-04-12", "a typo in the first name"),
        ("Warsame", "Amina", "1988-04-12", "first and last swapped"),
        ("Amina", "Warsame", "1988-12-04", "day and month swapped"),
        ("Amina", "Warsame", "1988-04-21", "digits of the day transposed"),
        ("Amina Hodan", "Warsame", "1988-04-12", "a middle name added"),
    ],
)
def test_a_likely_match_is_never_linked_and_names_the_candidate(
    daily_file, ingest, first, last, dob, what
):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    _, _, rejects = ingest(daily_file([row(first_name=first, last_name=last, dob=dob)]))

    assert [r["reject_reason"] for r in rejects] == ["possible_match"], what
    assert rejects[0]["candidate_client_ids"] == str(client.pk)
    assert rejects[0]["first_name"] == first  # the original cells, to fix and re-import
    assert Client.objects.count() == 1


def test_someone_unlike_anyone_becomes_a_new_live_client(daily_file, ingest):
    ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    ingest(daily_file([row(first_name="Tomasz", last_name="Kowalczyk", uid_external="S-2")]))

    new = Client.objects.get(last_name="Kowalczyk")
    assert new.live and not new.has_unpublished_changes
    assert new.source_ids.get().uid_external == "S-2"


def test_rows_of_one_new_person_make_one_client(daily_file, ingest, shelter):
    path = daily_file(
        [
            row(uid_external="S-5", program="Eva's Place", intake_date="2026-11-01"),
            row(uid_external="S-5", program="Eva's Place", enrollment_start="2026-11-01"),
            row(program="Eva's Place", discharge_date="2026-11-20"),  # no id: same person
        ]
    )
    _, _, rejects = ingest(path)

    assert rejects == []
    client = Client.objects.get()
    assert client.intakes.count() == client.enrollments.count() == client.discharges.count() == 1


def test_two_new_ids_with_one_name_and_birthday_are_for_a_person_to_decide(daily_file, ingest):
    _, _, rejects = ingest(daily_file([row(uid_external="S-5"), row(uid_external="S-6")]))
    assert [r["reject_reason"] for r in rejects] == ["ambiguous", "ambiguous"]
    assert not Client.objects.exists()
