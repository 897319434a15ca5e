"""Which client each row lands on: never the wrong person, as few duplicates as possible."""

import datetime

import pytest

from identity.linkage.fields import evidence_text
from identity.models import AutomaticLink, PossibleMatch
from snippets.models import Client, ClientSourceId, Intake
from tests.factories import ClientFactory, ClientSourceIdFactory
from tests.ingest.conftest import HEADER

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


def _items():
    return list(PossibleMatch.objects.order_by("row_number"))


def _candidate_ids(item):
    return [c.client_id for c in item.candidates.order_by("rank")]


# Issue 11: rows for a person are review items ("Possible matches"), not rejects.
def test_several_clients_with_that_name_and_birthday_is_for_a_person_to_decide(daily_file, ingest):
    twins = [ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB) for _ in range(2)]
    _, _, rejects = ingest(daily_file([row(uid_external="S-1")]))

    assert rejects == []
    [item] = _items()
    assert set(_candidate_ids(item)) == {c.pk for c in twins}
    assert item.row_values["uid_external"] == "S-1"
    assert Client.objects.count() == 2
    assert not ClientSourceId.objects.exists()


def test_a_client_with_another_id_from_this_source_is_not_linked(daily_file, ingest):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    ClientSourceIdFactory(client=client, source="SMIS", uid_external="S-OLD")
    _, _, rejects = ingest(daily_file([row(uid_external="S-NEW")]))

    assert rejects == []
    [item] = _items()
    assert _candidate_ids(item) == [client.pk]
    assert Client.objects.count() == 1
    assert list(client.source_ids.values_list("uid_external", flat=True)) == ["S-OLD"]


def test_a_row_without_an_id_may_link_to_a_client_with_one(daily_file, ingest):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    ClientSourceIdFactory(client=client, source="SMIS", uid_external="S-OLD")
    ingest(daily_file([row(gender="Woman")]))

    client.refresh_from_db()
    assert client.gender == "Woman"
    assert not _items()


def test_draft_only_clients_are_not_matched_by_name(daily_file, ingest):
    ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB, live=False)
    _, _, rejects = ingest(daily_file([row()]))
    assert rejects == []
    assert Client.objects.live().count() == 1


@pytest.mark.parametrize(
    ("first", "last", "dob", "what", "evidence"),
    [
        ("Amina", "Warsme", "1988-04-12", "a typo in the last name", "last name: typo"),
        ("Amnia", "Warsame", "1988-04-12", "a typo in the first name", "first name: typo"),
        ("Warsame", "Amina", "1988-04-12", "first and last swapped", "first and last swapped"),
        (
            "Amina",
            "Warsame",
            "1988-12-04",
            "day and month swapped",
            "date of birth: day and month swapped",
        ),
        (
            "Amina",
            "Warsame",
            "1988-04-21",
            "digits of the day transposed",
            "date of birth: one digit wrong or two swapped",
        ),
        ("Amina Hodan", "Warsame", "1988-04-12", "a middle name added", "first name: typo"),
    ],
)
def test_a_likely_match_is_linked_or_reviewed_with_its_evidence_never_a_duplicate(
    daily_file, ingest, first, last, dob, what, evidence
):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB)
    _, _, rejects = ingest(daily_file([row(first_name=first, last_name=last, dob=dob)]))

    assert rejects == [], what
    assert Client.objects.count() == 1, what
    links = list(AutomaticLink.objects.filter(client=client))
    items = _items()
    assert len(links) + len(items) == 1, what
    found = links[0].evidence if links else items[0].candidates.get(rank=1).evidence
    assert evidence in evidence_text(found), (what, evidence_text(found))


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
    assert rejects == []
    assert [i.row_values["uid_external"] for i in _items()] == ["S-5", "S-6"]
    assert not Client.objects.exists()


# What an automatic link must rest on (identity.linkage.rules): evidence that a
# near-namesake or a twin cannot produce.
def test_a_near_namesake_born_the_same_day_goes_to_review_not_linked(daily_file, ingest):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB, gender="")
    # Same surname and birthday, first name one letter different: a typo of Amina, or
    # Amnia, another person. Names and a birthday cannot tell; a person decides.
    _, _, rejects = ingest(daily_file([row(first_name="Amnia", gender="Woman")]))

    assert rejects == []
    assert not AutomaticLink.objects.exists()
    [item] = _items()
    assert _candidate_ids(item)[0] == client.pk
    assert "first name: typo" in evidence_text(item.candidates.get(rank=1).evidence)
    client.refresh_from_db()
    assert client.gender == ""  # nothing of the row was filed under Amina
    assert Client.objects.count() == 1


CONTACT_HEADER = [*HEADER, "middle_name", "postal_code", "street_address", "phone"]
HOME = {"postal_code": "M5V 2T6", "street_address": "12 Queen St W"}


@pytest.mark.parametrize(
    ("first", "middle", "phone", "what"),
    [
        ("Hodan", "", "4165550199", "a twin with another first name"),
        ("Amira", "", "4165550199", "a twin whose first name is one letter from the client's"),
        ("Amira", "", "4165550101", "such a twin sharing the household phone"),
        ("Amina", "Faduma", "4165550199", "a twin given the same first name, another middle"),
    ],
)
def test_a_twin_at_the_same_address_is_never_linked(daily_file, ingest, first, middle, phone, what):
    client = ClientFactory(
        first_name="Amina",
        middle_name="Sagal",
        last_name="Warsame",
        dob=DOB,
        gender="",
        phone="4165550101",
        **HOME,
    )
    path = daily_file(
        [row(first_name=first, middle_name=middle, phone=phone, gender="Woman", **HOME)],
        header=CONTACT_HEADER,
    )
    _, _, rejects = ingest(path)

    assert rejects == [], what
    assert not AutomaticLink.objects.exists(), what
    client.refresh_from_db()
    assert client.gender == "", what  # the twin's row changed nothing of the client


# A first name one keystroke off that is no given name (identity.linkage.rules, rule 3):
# a slip, not a sibling. Amnia and Amian are in neither the census list nor the registry.
@pytest.mark.parametrize(
    ("first", "fields", "what"),
    [
        ("Amnia", {"phone": "4165550101", **HOME}, "letters swapped, same address and phone"),
        ("Amian", HOME, "letters swapped, same address, no phone in the row"),
        (
            "Amnia",
            {"postal_code": "M5V 2T6", "street_address": "12 Quen St W"},
            "same postal code, the street typed with a slip too",
        ),
        (
            "Amnia",
            {"postal_code": "M5V 2T6", "street_address": ""},
            "same postal code, the street left empty",
        ),
    ],
)
def test_a_first_name_slip_that_is_no_given_name_links_at_the_same_address(
    daily_file, ingest, first, fields, what
):
    client = ClientFactory(
        first_name="Amina", last_name="Warsame", dob=DOB, gender="", phone="4165550101", **HOME
    )
    _, _, rejects = ingest(
        daily_file([row(first_name=first, gender="Woman", **fields)], header=CONTACT_HEADER)
    )

    assert rejects == [], what
    assert not _items(), what
    link = AutomaticLink.objects.get()
    assert link.client == client, what
    assert "first name: typo" in evidence_text(link.evidence), what
    client.refresh_from_db()
    assert client.gender == "Woman", what
    assert Client.objects.count() == 1, what


@pytest.mark.parametrize(
    ("row_fields", "what"),
    [
        # Ayaan is not in the census list, but a client of the registry is called so: a
        # real name, so perhaps Ayan's sibling.
        ({"first_name": "Ayaan", **HOME}, "a name the registry knows, same address"),
        ({"first_name": "Ayann", "phone": "4165550199", **HOME}, "a slip, but another phone"),
        ({"first_name": "Ayann", "middle_name": "Sagal", **HOME}, "a slip, another middle name"),
        (
            {"first_name": "Ayann", "postal_code": "M4C 1B5", "street_address": "9 Jane St"},
            "a slip, another address",
        ),
        ({"first_name": "Ayann"}, "a slip, names and birthday only"),
        ({"first_name": "Ayan Hodan", **HOME}, "a second given name added, same address"),
    ],
)
def test_a_first_name_one_letter_off_links_only_when_it_is_no_name_and_the_household_agrees(
    daily_file, ingest, row_fields, what
):
    client = ClientFactory(
        first_name="Ayan",
        middle_name="Faduma",
        last_name="Warsame",
        dob=DOB,
        gender="",
        phone="4165550101",
        **HOME,
    )
    ClientFactory(first_name="Ayaan", last_name="Tremblay", dob=datetime.date(1990, 6, 1))
    header = CONTACT_HEADER if set(row_fields) - {"first_name"} else HEADER
    _, _, rejects = ingest(daily_file([row(gender="Woman", **row_fields)], header=header))

    assert rejects == [], what
    assert not AutomaticLink.objects.exists(), what
    [item] = _items()
    assert _candidate_ids(item)[0] == client.pk, what
    client.refresh_from_db()
    assert client.gender == "", what  # nothing of the row was filed under Ayan


@pytest.mark.parametrize(
    ("fields", "what"),
    [
        ({"last_name": "Warsme", **HOME}, "last name typo, same street and postal code"),
        ({"dob": "1988-12-04", "phone": "4165550101"}, "day and month swapped, same phone"),
    ],
)
def test_one_near_field_backed_by_phone_or_address_links_automatically(
    daily_file, ingest, fields, what
):
    client = ClientFactory(
        first_name="Amina", last_name="Warsame", dob=DOB, gender="", phone="4165550101", **HOME
    )
    _, _, rejects = ingest(daily_file([row(gender="Woman", **fields)], header=CONTACT_HEADER))

    assert rejects == [], what
    assert not _items(), what
    assert AutomaticLink.objects.get().client == client, what
    client.refresh_from_db()
    assert client.gender == "Woman", what


# The family (identity.linkage.rules): twins, nicknames, swapped names and dates.
def test_a_twin_with_the_same_surname_and_birthday_is_never_linked(daily_file, ingest):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB, gender="")
    _, _, rejects = ingest(daily_file([row(first_name="Hodan", gender="Woman")]))

    assert rejects == []
    assert not AutomaticLink.objects.exists()
    client.refresh_from_db()
    assert client.gender == ""  # nothing of the twin's row was filed under Amina
    # Either a new person or a question, never the client's record.
    assert Client.objects.filter(first_name="Hodan").exists() or _items()


@pytest.mark.parametrize("nickname", ["Bob", "Rob", "Bobby"])
def test_a_usual_short_form_of_the_first_name_finds_the_client(daily_file, ingest, nickname):
    client = ClientFactory(first_name="Robert", last_name="Tremblay", dob=DOB, gender="")
    ClientFactory(first_name="Robert", last_name="Gagnon", dob=datetime.date(1971, 3, 9))
    _, _, rejects = ingest(
        daily_file([row(first_name=nickname, last_name="Tremblay", gender="Man")])
    )

    assert rejects == []
    assert Client.objects.count() == 2  # no duplicate
    links = list(AutomaticLink.objects.all())
    if links:
        assert links[0].client == client
        assert "first name: nickname" in evidence_text(links[0].evidence)
    else:
        [item] = _items()
        assert _candidate_ids(item)[0] == client.pk


def test_a_short_form_does_not_link_a_twin_with_another_first_name(daily_file, ingest):
    # Katherine's twin Elizabeth: "Liz" is Elizabeth's short form, not Katherine's.
    kate = ClientFactory(first_name="Katherine", last_name="Côté", dob=DOB, gender="")
    liz = ClientFactory(first_name="Elizabeth", last_name="Côté", dob=DOB, gender="")
    ingest(daily_file([row(first_name="Liz", last_name="Cote", gender="Woman")]))

    kate.refresh_from_db()
    assert kate.gender == ""
    for link in AutomaticLink.objects.all():
        assert link.client == liz
    for item in _items():
        assert _candidate_ids(item)[0] == liz.pk


@pytest.mark.parametrize(
    ("fields", "evidence"),
    [
        ({"first_name": "Warsame", "last_name": "Amina"}, "first and last swapped"),
        ({"dob": "1988-12-04"}, "date of birth: day and month swapped"),
    ],
)
def test_swapped_names_or_day_and_month_find_the_client(daily_file, ingest, fields, evidence):
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB, gender="")
    ClientFactory(first_name="Hodan", last_name="Warsame", dob=datetime.date(1990, 2, 1))
    _, _, rejects = ingest(daily_file([row(gender="Woman", **fields)]))

    assert rejects == []
    assert Client.objects.count() == 2  # no duplicate
    links = list(AutomaticLink.objects.all())
    found = links[0] if links else _items()[0].candidates.get(rank=1)
    assert found.client == client
    assert evidence in evidence_text(found.evidence)


@pytest.mark.parametrize(
    ("fields", "what"),
    [
        ({"last_name": "Warsme", "dob": "1988-04-13"}, "a surname typo and a birthday digit"),
        ({"first_name": "Amnia", "dob": "1988-05-12"}, "a first-name typo and a month digit"),
        ({"last_name": "Warsame", "first_name": "Amian", "dob": "1989-04-12"}, "and a year digit"),
    ],
)
def test_a_name_typo_and_a_wrong_birthday_digit_together_are_found_not_duplicated(
    daily_file, ingest, fields, what
):
    # Neither the birthday (nor it with day and month swapped) nor both name keys agree:
    # only the block on one name's key and a birthday a digit off finds the client.
    client = ClientFactory(first_name="Amina", last_name="Warsame", dob=DOB, gender="")
    _, _, rejects = ingest(daily_file([row(gender="Woman", **fields)]))

    assert rejects == [], what
    assert Client.objects.count() == 1, what  # no duplicate record of Amina
    links = list(AutomaticLink.objects.all())
    found = links[0] if links else _items()[0].candidates.get(rank=1)
    assert found.client == client, what
