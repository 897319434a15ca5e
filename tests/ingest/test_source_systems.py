"""Source systems are a list the agency keeps (issue 12 item 13): the import refuses a
system it does not hold, an Administrator adds one in the admin, the client form offers the
list, and the database refuses an id from an unknown system."""

import re

import pytest
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ingest.models import IngestRun
from snippets.models import Client, ClientSourceId, SourceSystem
from staff.roles import RoleName
from tests.admin_forms import snippet_url
from tests.factories import ClientFactory, ClientSourceIdFactory, StaffFactory

pytestmark = pytest.mark.django_db

ROW = {"uid_external": "H-1", "first_name": "Amina", "last_name": "Warsame", "dob": "1988-04-12"}


def test_a_mistyped_source_is_refused_with_the_known_ones_and_nothing_is_written(
    daily_file, ingest
):
    with pytest.raises(CommandError) as refused:
        ingest(daily_file([ROW]), source="SMIIS")

    assert str(refused.value) == (
        "SMIIS is not a known source system; the known ones are EMH, FFAI, SMIS "
        "(an Administrator adds one under Settings > Source systems)."
    )
    assert not SourceSystem.objects.filter(code="SMIIS").exists()
    assert not IngestRun.objects.exists() and not Client.objects.exists()


def test_a_system_an_administrator_adds_in_the_admin_takes_imports(client, daily_file, ingest):
    client.force_login(StaffFactory(roles=[RoleName.ADMINISTRATOR]))
    listing = client.get(reverse("source_systems:index"))
    assert listing.status_code == 200 and "SMIS" in listing.content.decode()

    added = client.post(
        reverse("source_systems:add"), {"code": "HMIS", "name": "County HMIS", "active": "on"}
    )

    assert added.status_code == 302, added.content[:1500]
    ingest(daily_file([ROW]), source="HMIS")
    assert ClientSourceId.objects.get().source == "HMIS"


def test_an_inactive_system_takes_no_imports(daily_file, ingest):
    SourceSystem.objects.filter(code="EMH").update(active=False)
    with pytest.raises(CommandError, match="EMH is not a known source system; .* FFAI, SMIS "):
        ingest(daily_file([ROW]), source="EMH")


def test_the_client_forms_source_is_a_list_of_the_active_systems(client):
    SourceSystem.objects.filter(code="FFAI").update(active=False)
    record = ClientFactory()
    ClientSourceIdFactory(client=record, source="EMH", uid_external="E-1")
    client.force_login(StaffFactory(roles=[RoleName.COORDINATOR]))

    page = client.get(snippet_url(Client, "edit", record.pk)).content.decode()

    select = re.search(r'<select name="source_ids-0-source".*?</select>', page, re.S)
    assert select, "the source is a drop-down"
    options = re.findall(r'<option value="([^"]*)"', select.group(0))
    assert options == ["", "EMH", "SMIS"]
    assert re.search(r'<option value="EMH"[^>]*selected', select.group(0))


def test_the_database_refuses_an_id_from_an_unknown_system():
    record = ClientFactory()
    refused = pytest.raises(IntegrityError, match="SMIIS is not one of the agency's source systems")
    with refused, transaction.atomic():
        ClientSourceId.objects.create(client=record, source="SMIIS", uid_external="S-1")


def test_a_system_that_clients_ids_name_cannot_be_deleted():
    ClientSourceIdFactory(source="SMIS")
    with pytest.raises(IntegrityError, match="make it inactive instead"), transaction.atomic():
        SourceSystem.objects.filter(code="SMIS").delete()
