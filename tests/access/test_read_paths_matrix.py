"""The need-to-know matrix over HTTP (issue 13): each role × a client in scope / out of
scope / in a confidential program / with consent "own programs only" × every read path of
the admin: the client list, a search, the record, the edit form, the change history, the
revisions compare and usage views, the client and enrollment choosers and their data
endpoints, Approvals, the Audit log, exports, the Possible matches queue and merge screen,
the admin's generic search and a report's drill-down to a filtered list.

Each cell checks what the response shows (the client's name, and a marker value unique to
the client in a sensitive field, sexual orientation) and what the access log records.

One set of people and records serves the whole module (``world``: written once, rolled
back at the end); each test runs in its own savepoint on top of it.
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from approvals.models import PendingChange
from snippets.models import ClientRecordAccess, ProgramStaff, SharingConsent
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    EnrollmentFactory,
    MatchCandidateFactory,
    PairFactory,
    ProgramFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CLIENT_VIEWS = "wagtailsnippets_snippets_client"
CLIENT_CHOOSER = "wagtailsnippetchoosers_snippets_client"
ENROLLMENTS = "wagtailsnippets_snippets_clientprogramenrollment"
ENROLLMENT_CHOOSER = "wagtailsnippetchoosers_snippets_clientprogramenrollment"
ROLES = list(RoleName)
PROGRAM_SCOPED = {RoleName.MANAGER, RoleName.LEADER, RoleName.STAFF}
MAY_EDIT = {RoleName.ADMINISTRATOR, RoleName.COORDINATOR, RoleName.MANAGER, RoleName.LEADER}
DECIDERS = {RoleName.ADMINISTRATOR, RoleName.COORDINATOR}  # Approvals, audit, matches
KINDS = ("in_scope", "out_of_scope", "confidential", "own_programs_only")

REFUGE = "Harbourrefuge Confidential"  # appears only where confidential enrollment shows
DROP_IN = "Queenwestdropin Program"


@dataclass
class Person:
    kind: str
    client: object
    name: str  # unique surname
    marker: str  # unique sexual orientation value (a sensitive field)


@dataclass
class World:
    staff: dict  # role -> staff member (program-scoped roles assigned to the shelter)
    people: dict  # kind -> Person
    shelter: object
    drop_in: object
    refuge: object
    refuge_enrollment: object
    requester: object


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_world() -> World:
    shelter = ProgramFactory(name="Seatonhouse Shelter")
    drop_in = ProgramFactory(name=DROP_IN)
    refuge = ProgramFactory(name=REFUGE, confidential=True)
    staff = {role: StaffFactory(roles=[role]) for role in ROLES}
    for role in PROGRAM_SCOPED:
        ProgramStaff.objects.create(program=shelter, staff=staff[role])
    started = TODAY - datetime.timedelta(days=30)
    people = {}
    surnames = ("Inscopeperson", "Outscopeperson", "Refugeperson", "Ownonlyperson")
    markers = ("Alpha", "Bravo", "Charlie", "Delta")
    for kind, surname, code in zip(KINDS, surnames, markers, strict=True):
        marker = f"Orientmarker{code}"  # not the surname: a page may repeat a search term
        client = ClientFactory(
            first_name="Matrix", last_name=surname, sexual_orientation=marker, phone="416-555-0100"
        )
        people[kind] = Person(kind, client, surname, marker)
    EnrollmentFactory(client=people["in_scope"].client, program=shelter, start_date=started)
    EnrollmentFactory(client=people["out_of_scope"].client, program=drop_in, start_date=started)
    EnrollmentFactory(client=people["confidential"].client, program=shelter, start_date=started)
    refuge_enrollment = EnrollmentFactory(
        client=people["confidential"].client, program=refuge, start_date=started
    )
    own_only = people["own_programs_only"].client
    EnrollmentFactory(client=own_only, program=shelter, start_date=started)
    EnrollmentFactory(client=own_only, program=drop_in, start_date=started)
    own_only.sharing_consent = SharingConsent.OWN_PROGRAMS
    own_only.save()
    # Two revisions of each client, the second changing the sensitive field and the phone,
    # for the revisions compare view.
    for person in people.values():
        person.client.save_revision(user=staff[RoleName.ADMINISTRATOR])
        person.client.sexual_orientation = f"{person.marker}later"
        person.client.phone = "416-555-0199"
        person.client.save_revision(user=staff[RoleName.ADMINISTRATOR])
        person.client.refresh_from_db()
    requester = StaffFactory(roles=[RoleName.MANAGER])
    for program in (shelter, drop_in, refuge):
        ProgramStaff.objects.create(program=program, staff=requester)
    for person in people.values():
        PendingChange.objects.create(
            entity="client",
            entity_id=person.client.pk,
            kind="update",
            diff_json={"sexual_orientation": {"before": person.marker, "after": "Proposedvalue"}},
            requested_by=requester,
        )
    PendingChange.objects.create(
        entity="clientprogramenrollment",
        entity_id=refuge_enrollment.pk,
        kind="update",
        diff_json={"end_date": {"before": None, "after": "2031-01-31"}},
        requested_by=requester,
    )
    return World(staff, people, shelter, drop_in, refuge, refuge_enrollment, requester)


# What each role may see of each kind of client ------------------------------------------


def reads_record(role, kind) -> bool:
    """The full record: agency-wide roles always; program staff of the shelter for the
    clients it serves (all but the one served only by the drop-in)."""
    return role not in PROGRAM_SCOPED or kind != "out_of_scope"


def sees_sensitive(role, kind) -> bool:
    """REGISTRY_SENSITIVE_FIELD_ROLES' default: Administrator, Coordinator, program staff."""
    if role in (RoleName.ADMINISTRATOR, RoleName.COORDINATOR):
        return True
    return role in PROGRAM_SCOPED and reads_record(role, kind)


def sees_other_programs(role, kind) -> bool:
    """The drop-in enrollment of the client who chose "own programs only"."""
    return kind != "own_programs_only" or role not in PROGRAM_SCOPED


def body(response) -> str:
    return response.content.decode()


def logged(staff, client, view) -> bool:
    return ClientRecordAccess.objects.filter(staff=staff, client=client, view=view).exists()


def refused(response) -> bool:
    """Wagtail refuses with a redirect to the dashboard (and a message) or a 403."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def to_limited_card(response, client) -> bool:
    return response.status_code == 302 and response["Location"] == reverse(
        "access:client_limited", args=[client.pk]
    )


def check(failures, condition, message):
    if not condition:
        failures.append(message)


@pytest.fixture
def as_role(client, world):
    def _as(role):
        client.force_login(world.staff[role])
        return world.staff[role]

    return _as


# The paths ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_client_list_and_search(client, world, as_role, role):
    as_role(role)
    failures = []
    listing = body(client.get(reverse(f"{CLIENT_VIEWS}:list")))
    for kind, person in world.people.items():
        check(failures, (person.name in listing) == reads_record(role, kind), f"list {kind}")
        found = body(client.get(reverse(f"{CLIENT_VIEWS}:list"), {"q": f"Matrix {person.name}"}))
        check(failures, person.name in found, f"search finds {kind}")
        record_url = reverse(f"{CLIENT_VIEWS}:inspect", args=[person.client.pk])
        check(failures, (record_url in found) == reads_record(role, kind), f"search link {kind}")
    assert not failures, failures
    assert not ClientRecordAccess.objects.exists()  # lists and searches open no record


@pytest.mark.parametrize("role", ROLES)
def test_record_and_edit_form(client, world, as_role, role):
    staff = as_role(role)
    failures = []
    for kind, person in world.people.items():
        record = client.get(reverse(f"{CLIENT_VIEWS}:inspect", args=[person.client.pk]))
        if not reads_record(role, kind):
            check(failures, to_limited_card(record, person.client), f"record {kind} limited")
            check(failures, not logged(staff, person.client, "record"), f"record {kind} log")
        else:
            text = body(record)
            check(failures, record.status_code == 200 and person.name in text, f"record {kind}")
            check(failures, (person.marker in text) == sees_sensitive(role, kind), f"sens {kind}")
            check(failures, REFUGE not in text or role == RoleName.ADMINISTRATOR, f"conf {kind}")
            drop_in_shown = kind in ("out_of_scope", "own_programs_only")
            drop_in_shown = drop_in_shown and sees_other_programs(role, kind)
            check(failures, (DROP_IN in text) == drop_in_shown, f"consent {kind}")
            check(failures, logged(staff, person.client, "record"), f"record {kind} logged")

        edit = client.get(reverse(f"{CLIENT_VIEWS}:edit", args=[person.client.pk]))
        if not reads_record(role, kind):
            check(failures, to_limited_card(edit, person.client), f"edit {kind} limited")
        elif role in MAY_EDIT:
            text = body(edit)
            check(failures, edit.status_code == 200, f"edit {kind}")
            check(failures, (person.marker in text) == sees_sensitive(role, kind), f"form {kind}")
            check(failures, logged(staff, person.client, "edit"), f"edit {kind} logged")
        else:
            check(failures, refused(edit), f"edit {kind} refused")
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_history_revisions_compare_and_usage(client, world, as_role, role):
    staff = as_role(role)
    failures = []
    for kind, person in world.people.items():
        pk = person.client.pk
        urls = {
            "history": reverse(f"{CLIENT_VIEWS}:history", args=[pk]),
            "compare": reverse(
                f"{CLIENT_VIEWS}:revisions_compare", args=[pk, "earliest", "latest"]
            ),
            "usage": reverse(f"{CLIENT_VIEWS}:usage", args=[pk]),
        }
        for path, url in urls.items():
            before = ClientRecordAccess.objects.filter(staff=staff, client=person.client).count()
            response = client.get(url)
            after = ClientRecordAccess.objects.filter(staff=staff, client=person.client).count()
            if not reads_record(role, kind):
                check(failures, to_limited_card(response, person.client), f"{path} {kind}")
                check(failures, after == before, f"{path} {kind} not logged")
                continue
            if response.status_code != 200:
                # Wagtail asks "change" for these views: Staff and Analysts are refused.
                check(failures, refused(response) and role not in MAY_EDIT, f"{path} {kind}")
                continue
            text = body(response)
            check(failures, after == before + 1, f"{path} {kind} logged as history")
            check(failures, REFUGE not in text or role == RoleName.ADMINISTRATOR, f"{path} conf")
            if path == "compare":
                check(failures, "4165550199" in text, f"compare {kind} shows the diff")
                check(
                    failures,
                    (person.marker in text) == sees_sensitive(role, kind),
                    f"compare {kind} sensitive",
                )
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_client_chooser_and_its_data_endpoints(client, world, as_role, role):
    staff = as_role(role)
    failures = []
    opened = client.get(reverse(f"{CLIENT_CHOOSER}:choose"))
    assert opened.status_code == 200
    listed = json.loads(opened.content)["html"]
    for kind, person in world.people.items():
        check(failures, (person.name in listed) == reads_record(role, kind), f"chooser {kind}")
        found = client.get(reverse(f"{CLIENT_CHOOSER}:choose_results"), {"q": person.name})
        check(failures, person.name in body(found), f"chooser search {kind}")
        check(failures, person.marker not in body(found), f"chooser search {kind} sensitive")
        chosen = client.get(reverse(f"{CLIENT_CHOOSER}:chosen", args=[person.client.pk]))
        result = json.loads(chosen.content)["result"]
        check(failures, result["id"] == str(person.client.pk), f"chosen {kind}")
        limited = reverse("access:client_limited", args=[person.client.pk])
        check(
            failures,
            (result["edit_url"] == limited) == (not reads_record(role, kind)),
            f"chosen {kind} links to the limited card outside scope",
        )
        check(failures, logged(staff, person.client, "chooser"), f"chosen {kind} logged")
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_enrollment_chooser(client, world, as_role, role):
    as_role(role)
    listed = json.loads(client.get(reverse(f"{ENROLLMENT_CHOOSER}:choose")).content)["html"]
    failures = []
    for kind, person in world.people.items():
        check(failures, (person.name in listed) == reads_record(role, kind), f"enrollment {kind}")
    check(failures, (REFUGE in listed) == (role == RoleName.ADMINISTRATOR), "confidential")
    hidden = client.get(reverse(f"{ENROLLMENT_CHOOSER}:chosen", args=[world.refuge_enrollment.pk]))
    check(failures, (hidden.status_code == 404) == (role != RoleName.ADMINISTRATOR), "chosen")
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_approvals(client, world, as_role, role):
    as_role(role)
    queue = client.get(reverse("approvals:index"))
    changes = {
        kind: PendingChange.objects.get(entity_id=person.client.pk)
        for kind, person in world.people.items()
    }
    refuge_change = PendingChange.objects.get(entity_id=world.refuge_enrollment.pk)
    failures = []
    if role not in DECIDERS:
        check(failures, refused(queue), "queue refused")
        for kind, change in changes.items():
            detail = client.get(reverse("approvals:detail", args=[change.pk]))
            check(failures, refused(detail), f"detail {kind} refused (not their submission)")
    else:
        text = body(queue)
        for kind, person in world.people.items():
            check(failures, person.name in text, f"queue {kind}")
            detail = body(client.get(reverse("approvals:detail", args=[changes[kind].pk])))
            check(failures, person.marker in detail, f"detail {kind} sensitive")
        refuge_url = reverse("approvals:detail", args=[refuge_change.pk])
        shown = role == RoleName.ADMINISTRATOR
        check(failures, (refuge_url in text) == shown, "confidential change listed")
        check(failures, (client.get(refuge_url).status_code == 200) == shown, "conf detail")
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_audit_log(client, world, as_role, role):
    as_role(role)
    failures = []
    for kind, person in world.people.items():
        page = client.get(reverse("audit:index"), {"record": str(person.client.pk)})
        if role not in DECIDERS:
            check(failures, refused(page), f"audit {kind} refused")
            continue
        check(failures, person.marker in body(page), f"audit {kind} diff")
    if role in DECIDERS:
        page = body(client.get(reverse("audit:index"), {"record": str(world.refuge_enrollment.pk)}))
        shown = role == RoleName.ADMINISTRATOR
        check(failures, (str(world.refuge.pk) in page or REFUGE in page) == shown, "conf rows")
    assert not failures, failures


@pytest.mark.parametrize("role", ROLES)
def test_the_access_log_is_read_by_administrators_only(client, world, as_role, role):
    staff = as_role(role)
    person = world.people["in_scope"]
    ClientRecordAccess.objects.create(staff=staff, client=person.client, view="record")
    response = client.get(reverse("client_record_access:index"))
    if role == RoleName.ADMINISTRATOR:
        assert response.status_code == 200 and person.name in body(response)
    else:
        assert refused(response)


def exported(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("role", ROLES)
def test_exports_of_the_lists_carry_no_personal_data(client, world, as_role, role):
    """Wagtail answers ``?export=csv`` (and xlsx) on every list. The registry's lists
    declare no export columns, so the file holds one empty line per row of the (scoped)
    list: no name, no sensitive value, nothing of a confidential program."""
    as_role(role)
    for url_name in (f"{CLIENT_VIEWS}:list", f"{ENROLLMENTS}:list"):
        text = exported(client.get(reverse(url_name), {"export": "csv"}))
        for person in world.people.values():
            assert person.name not in text and person.marker not in text
        assert REFUGE not in text
    found = exported(client.get(reverse(f"{CLIENT_VIEWS}:list"), {"export": "csv", "q": "Matrix"}))
    assert not any(person.name in found for person in world.people.values())


@pytest.mark.parametrize("role", ROLES)
def test_possible_matches_and_merge_screens(client, world, as_role, role):
    as_role(role)
    subject, other = world.people["in_scope"].client, world.people["confidential"].client
    pair = PairFactory(client=subject)
    MatchCandidateFactory(possible_match=pair, client=other)
    detail = client.get(reverse("possible_matches:detail", args=[pair.pk]))
    merge = client.get(reverse("possible_matches:merge", args=[subject.pk, other.pk]))
    if role not in DECIDERS:
        assert refused(detail) and refused(merge)
        return
    for response in (detail, merge):
        text = body(response)
        assert response.status_code == 200
        assert "Refugeperson" in text and "Seatonhouse Shelter" in text
        assert (REFUGE in text) == (role == RoleName.ADMINISTRATOR)


@pytest.mark.parametrize("role", ROLES)
def test_generic_search_finds_no_client(client, world, as_role, role):
    as_role(role)
    for person in world.people.values():
        response = client.get(reverse("wagtailadmin_pages:search"), {"q": person.name})
        # The page repeats the surname typed; a result would show the client's full name
        # or link to the record.
        text = body(response)
        assert f"Matrix {person.name}" not in text and person.marker not in text
        assert str(person.client.pk) not in text


@pytest.mark.parametrize("role", ROLES)
def test_a_report_drill_down_lands_on_a_scoped_list(client, world, as_role, role):
    """A report links to the client list filtered by a program; the list stays scoped."""
    as_role(role)
    url = reverse(f"{CLIENT_VIEWS}:list")
    drop_in = body(client.get(url, {"program": world.drop_in.pk}))
    outside = world.people["out_of_scope"].name
    assert (outside in drop_in) == reads_record(role, "out_of_scope")
    # The client who chose "own programs only" is the shelter's too, but the filter does
    # not tell its staff that she was served by the drop-in.
    own_only = world.people["own_programs_only"].name
    assert (own_only in drop_in) == (role not in PROGRAM_SCOPED)
    # Nobody but Administrators (and the refuge's own staff) learns who the refuge serves.
    refuge = body(client.get(url, {"program": world.refuge.pk}))
    assert ("Refugeperson" in refuge) == (role == RoleName.ADMINISTRATOR)
    enrollments = body(
        client.get(
            reverse(f"{ENROLLMENTS}:list"),
            {"program": world.drop_in.pk},
        )
    )
    assert (outside in enrollments) == reads_record(role, "out_of_scope")
    assert (own_only in enrollments) == (role not in PROGRAM_SCOPED)


# Beyond the matrix: an agency's own grants, a confidential program's own staff ----------


@pytest.fixture
def orientation_for_administrators_only(settings):
    settings.REGISTRY_SENSITIVE_FIELD_ROLES = {
        **settings.REGISTRY_SENSITIVE_FIELD_ROLES,
        "sexual_orientation": ["Administrator"],
    }


NOT_SHOWN = "Not shown to your role"


def test_a_field_not_granted_to_coordinators_is_masked_on_every_diff(
    client, world, as_role, orientation_for_administrators_only
):
    as_role(RoleName.COORDINATOR)
    person = world.people["in_scope"]
    pk = person.client.pk
    change = PendingChange.objects.get(entity_id=pk)

    approval = body(client.get(reverse("approvals:detail", args=[change.pk])))
    assert "Sexual orientation" in approval and NOT_SHOWN in approval
    assert person.marker not in approval and "Proposedvalue" not in approval

    audit = body(client.get(reverse("audit:index"), {"record": str(pk)}))
    assert person.name in audit and NOT_SHOWN in audit
    assert person.marker not in audit
    # Nor does a search for the value tell whose record holds it.
    searched = body(client.get(reverse("audit:index"), {"q": person.marker}))
    assert person.name not in searched
    as_role(RoleName.ADMINISTRATOR)  # (who is granted the field finds it)
    assert person.name in body(client.get(reverse("audit:index"), {"q": person.marker}))
    as_role(RoleName.COORDINATOR)

    compare = body(
        client.get(reverse(f"{CLIENT_VIEWS}:revisions_compare", args=[pk, "earliest", "latest"]))
    )
    assert "4165550199" in compare and person.marker not in compare
    earliest = person.client.revisions.order_by("created_at", "pk").first()
    # (Reverting to another's unapproved revision leads to the edit form instead.)
    url = reverse(f"{CLIENT_VIEWS}:revisions_revert", args=[pk, earliest.pk])
    revert = client.get(url, follow=True)
    assert revert.status_code == 200
    assert person.marker not in body(revert) and 'name="sexual_orientation"' not in body(revert)

    pair = PairFactory(client=person.client)
    MatchCandidateFactory(possible_match=pair, client=world.people["confidential"].client)
    review = body(client.get(reverse("possible_matches:detail", args=[pair.pk])))
    assert person.marker not in review and "Sexual orientation" not in review
    other = world.people["confidential"].client
    merge = body(client.get(reverse("possible_matches:merge", args=[pk, other.pk])))
    assert person.marker not in merge and NOT_SHOWN in merge

    # Administrators keep the grant.
    as_role(RoleName.ADMINISTRATOR)
    assert person.marker in body(client.get(reverse("approvals:detail", args=[change.pk])))
    assert person.marker in body(client.get(reverse("audit:index"), {"record": str(pk)}))


def test_a_coordinator_cannot_decide_a_change_to_a_confidential_programs_record(
    client, world, as_role
):
    as_role(RoleName.COORDINATOR)
    change = PendingChange.objects.get(entity_id=world.refuge_enrollment.pk)
    response = client.post(reverse("approvals:approve", args=[change.pk]), {"comment": "ok"})
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == "pending"


def test_the_confidential_programs_own_staff_see_its_enrollments(client, world):
    refuge_staff = StaffFactory(roles=[RoleName.STAFF])
    ProgramStaff.objects.create(program=world.refuge, staff=refuge_staff)
    client.force_login(refuge_staff)
    person = world.people["confidential"]
    record = body(client.get(reverse(f"{CLIENT_VIEWS}:inspect", args=[person.client.pk])))
    assert REFUGE in record and person.marker in record
    listed = json.loads(client.get(reverse(f"{ENROLLMENT_CHOOSER}:choose")).content)["html"]
    assert REFUGE in listed
    assert "Inscopeperson" not in listed  # the shelter's clients are not theirs
    refuge = body(client.get(reverse(f"{CLIENT_VIEWS}:list"), {"program": world.refuge.pk}))
    assert person.name in refuge


def test_a_program_scoped_reader_granted_the_audit_log_sees_their_clients_rows_only(client, world):
    from django.contrib.auth.models import Group, Permission

    # Permissions come from roles only (staff/backends.py): the agency grants the role.
    Group.objects.get(name=RoleName.MANAGER).permissions.add(
        Permission.objects.get(codename="view_auditlog")
    )
    client.force_login(world.staff[RoleName.MANAGER])
    inside, outside = world.people["in_scope"], world.people["out_of_scope"]
    assert inside.name in body(
        client.get(reverse("audit:index"), {"record": str(inside.client.pk)})
    )
    assert outside.name not in body(
        client.get(reverse("audit:index"), {"record": str(outside.client.pk)})
    )
    everything = body(client.get(reverse("audit:index")))
    assert outside.name not in everything
    # The refuge itself is a program like any other; its enrollments are not shown.
    assert str(world.refuge_enrollment.pk) not in everything


@pytest.mark.parametrize("role", [RoleName.COORDINATOR, RoleName.ADMINISTRATOR])
def test_the_home_page_keeps_confidential_programs_confidential(client, world, as_role, role):
    """The Coordinator's home lists this week's restrictions and the oldest changes
    waiting; neither names a confidential program's record to a Coordinator."""
    from tests.factories import RestrictionFactory

    as_role(role)
    restriction = RestrictionFactory(
        client=world.people["confidential"].client,
        scope="program",
        program=world.refuge,
        start_date=TODAY,
    )
    home = body(client.get(reverse("wagtailadmin_home")))
    change = PendingChange.objects.get(entity_id=world.refuge_enrollment.pk)
    restriction_url = reverse(
        "wagtailsnippets_snippets_servicerestriction:inspect", args=[restriction.pk]
    )
    if role == RoleName.COORDINATOR:
        # (The programs' vacancies name the refuge as a program, not who is in it.)
        assert "Refugeperson" not in home and restriction_url not in home
        assert reverse("approvals:detail", args=[change.pk]) not in home
    else:  # (Administrators' home has panels of its own)
        assert client.get(reverse("approvals:detail", args=[change.pk])).status_code == 200
