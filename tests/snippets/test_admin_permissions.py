"""The permission matrix, through the real admin views: every role × record type × action.

Administrator: everything (but never deleting a restriction). Coordinator: view, add,
change, publish. Manager, Leader: view, add, change — their edits never go live by
themselves. Analyst, Staff: view only. Each cell checks the response and the database.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from snippets.models import (
    Client,
    ClientProgramEnrollment,
    Department,
    Discharge,
    Intake,
    Program,
    ServiceRestriction,
)
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
    RestrictionFactory,
)

pytestmark = pytest.mark.django_db


def theirs(record, staff):
    """Put the record's client in ``staff``'s scope (as the client's creator), so that each
    cell tests the role's permission; the need-to-know rule is tested in tests/access/."""
    person = record if isinstance(record, Client) else getattr(record, "client", None)
    if person is not None:
        Client.objects.filter(pk=person.pk).update(created_by=staff)


EMPTY_INLINE = {
    "TOTAL_FORMS": "0",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


def inline(prefix: str) -> dict[str, str]:
    return {f"{prefix}-{key}": value for key, value in EMPTY_INLINE.items()}


@dataclass
class RecordType:
    model: Any
    factory: Any
    field: str  # the field each write changes, to tell whether the write reached the row
    new_value: Any

    @property
    def url_name(self):
        return f"wagtailsnippets_snippets_{self.model._meta.model_name}"

    def form_data(self, related) -> dict[str, str]:
        """POST data for the add/edit form, with ``field`` set to ``new_value``."""
        client, program = related["client"], related["program"]
        data = {
            Department: lambda: {"name": "x", "owner": ""},
            Program: lambda: {
                "name": "x",
                "department": str(related["department"].pk),
                "location": "1 Yonge St",
                "capacity_current": "10",
                "capacity_effective_date": "",
                **inline("staff_assignments"),
                **inline("capacity_history"),
            },
            Client: lambda: {
                "first_name": "x",
                "last_name": "Example",
                "dob": "1980-01-02",
                "gender": "Woman",
                "languages": "English, Tamil",
                "sexual_orientation": "",
                "immigration_status": "permanent_resident",
                "sharing_consent": "not_asked",
                **inline("source_ids"),
            },
            ClientProgramEnrollment: lambda: {
                "client": str(client.pk),
                "program": str(program.pk),
                "start_date": "2026-01-05",
                "end_date": "",
            },
            Intake: lambda: {
                "client": str(client.pk),
                "program": str(program.pk),
                "intake_date": "2026-01-05",
                "source_system": "x",
            },
            Discharge: lambda: {
                "client": str(client.pk),
                "program": str(program.pk),
                "discharge_date": "2026-03-01",
                "reason": "x",
            },
            ServiceRestriction: lambda: {
                "client": str(client.pk),
                "scope": "org",
                "program": "",
                "start_date": "2026-01-01",
                "end_date": "",
                "reason": "x",
            },
        }[self.model]()
        value = self.new_value
        data[self.field] = value.isoformat() if isinstance(value, datetime.date) else value
        return data


RECORD_TYPES = {
    "department": RecordType(Department, DepartmentFactory, "name", "Harm Reduction"),
    "program": RecordType(Program, ProgramFactory, "name", "Night Outreach"),
    "client": RecordType(Client, ClientFactory, "first_name", "Nkechi"),
    "enrollment": RecordType(
        ClientProgramEnrollment, EnrollmentFactory, "end_date", datetime.date(2026, 6, 30)
    ),
    "intake": RecordType(Intake, IntakeFactory, "source_system", "EMH"),
    "discharge": RecordType(Discharge, DischargeFactory, "reason", "Moved to housing co-op"),
    "restriction": RecordType(ServiceRestriction, RestrictionFactory, "reason", "Assault on staff"),
}

ALLOWED = {
    RoleName.ADMINISTRATOR: {"list", "view", "add", "edit", "publish", "delete"},
    RoleName.COORDINATOR: {"list", "view", "add", "edit", "publish"},
    RoleName.MANAGER: {"list", "view", "add", "edit"},
    RoleName.LEADER: {"list", "view", "add", "edit"},
    RoleName.STAFF: {"list", "view"},
    RoleName.ANALYST: {"list", "view"},
}


def allowed(role, record_type, action):
    if record_type == "restriction" and action == "delete":
        return False  # kept at least 10 years, whoever asks
    return action in ALLOWED[role]


@pytest.fixture
def related():
    department = DepartmentFactory()
    return {
        "department": department,
        "program": ProgramFactory(department=department),
        "client": ClientFactory(),
    }


def assert_refused(response):
    """Wagtail answers a forbidden admin action with a redirect home and a message (or 403)."""
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


ROLES = list(RoleName)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_list(client, login, role, name):
    staff = login(role)
    record_type = RECORD_TYPES[name]
    record = record_type.factory()
    theirs(record, staff)
    response = client.get(reverse(f"{record_type.url_name}:list"))
    assert response.status_code == 200
    assert str(record.pk) in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_view(client, login, role, name):
    staff = login(role)
    record_type = RECORD_TYPES[name]
    record = record_type.factory()
    theirs(record, staff)
    response = client.get(reverse(f"{record_type.url_name}:inspect", args=[record.pk]))
    assert response.status_code == 200
    assert str(getattr(record, record_type.field) or "") in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_add(client, login, related, role, name):
    login(role)
    record_type = RECORD_TYPES[name]
    model = record_type.model
    before = model.objects.count()
    response = client.post(reverse(f"{record_type.url_name}:add"), record_type.form_data(related))
    if allowed(role, name, "add"):
        assert response.status_code == 302, response.context["form"].errors
        created = model.objects.get(**{record_type.field: record_type.new_value})
        # Saved as a draft: a new record is not live data until someone publishes it.
        assert not created.live
    else:
        assert_refused(response)
        assert model.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_edit_saves_a_draft_and_leaves_live_data(client, login, related, role, name):
    staff = login(role)
    record_type = RECORD_TYPES[name]
    record = record_type.factory(**_related_kwargs(record_type, related))
    theirs(record, staff)
    original = getattr(record, record_type.field)
    response = client.post(
        reverse(f"{record_type.url_name}:edit", args=[record.pk]), record_type.form_data(related)
    )
    record.refresh_from_db()
    assert getattr(record, record_type.field) == original
    if allowed(role, name, "edit"):
        assert response.status_code == 302, response.context["form"].errors
        draft = record.latest_revision.as_object()
        assert getattr(draft, record_type.field) == record_type.new_value
        assert record.has_unpublished_changes
    else:
        assert_refused(response)
        assert record.latest_revision is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_publish(client, login, related, role, name):
    staff = login(role)
    record_type = RECORD_TYPES[name]
    record = record_type.factory(**_related_kwargs(record_type, related))
    theirs(record, staff)
    original = getattr(record, record_type.field)
    response = client.post(
        reverse(f"{record_type.url_name}:edit", args=[record.pk]),
        {**record_type.form_data(related), "action-publish": "action-publish"},
    )
    record.refresh_from_db()
    if allowed(role, name, "publish"):
        assert response.status_code == 302, response.context["form"].errors
        assert getattr(record, record_type.field) == record_type.new_value
        assert not record.has_unpublished_changes
    elif allowed(role, name, "edit"):
        # Without publish permission the same button press only stores a draft.
        assert getattr(record, record_type.field) == original
        assert record.has_unpublished_changes
    else:
        assert_refused(response)
        assert getattr(record, record_type.field) == original


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_delete(client, login, related, role, name):
    staff = login(role)
    record_type = RECORD_TYPES[name]
    record = record_type.factory(**_related_kwargs(record_type, related))
    theirs(record, staff)
    response = client.post(reverse(f"{record_type.url_name}:delete", args=[record.pk]))
    exists = record_type.model.objects.filter(pk=record.pk).exists()
    if allowed(role, name, "delete"):
        assert response.status_code == 302
        assert not exists
    else:
        assert_refused(response)
        assert exists


def _related_kwargs(record_type, related):
    """Edits keep the record's client and program, so only ``field`` differs."""
    if record_type.model in (ClientProgramEnrollment, Intake, Discharge, ServiceRestriction):
        kwargs = {"client": related["client"]}
        if record_type.model is not ServiceRestriction:
            kwargs["program"] = related["program"]
        return kwargs
    if record_type.model is Program:
        return {"department": related["department"], "location": "1 Yonge St"}
    return {}
