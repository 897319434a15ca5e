"""The client's columns are declared once (snippets.models.CLIENT_FIELDS) and the import,
the demo loader and the admin form show exactly those."""

import pytest

from ingest.contract import CLIENT_COLUMNS
from snippets.models import (
    CLIENT_DEMOGRAPHIC_FIELDS,
    CLIENT_FIELDS,
    CLIENT_MATCHING_FIELDS,
    Client,
)
from snippets.models.base import ManyRowsRecord
from staff.roles import RoleName

# Columns that are not the client's own data: Wagtail's bookkeeping, timestamps, the id,
# the search key PostgreSQL computes, and the answers to the agency's own questions.
NOT_CLIENT_DATA = {
    "id",
    "created_at",
    "updated_at",
    "search_name",
    "extra_demographics",
    "merged_into",  # identity's bookkeeping: set by a merge, never imported or typed
    # Need to know (access/): the consent choice is asked at the desk, not imported; who
    # recorded it and who created the record are kept by the admin.
    "sharing_consent",
    "sharing_consent_recorded_by",
    "sharing_consent_recorded_at",
    "created_by",
}


def test_every_column_of_a_client_is_in_the_declaration():
    bookkeeping = {f.name for f in ManyRowsRecord._meta.get_fields() if f.concrete} | {
        f.name for f in Client._meta.concrete_fields if f.name.startswith(("latest_", "live"))
    }
    own = [
        f.name
        for f in Client._meta.concrete_fields
        if f.name not in NOT_CLIENT_DATA and f.name not in bookkeeping
    ]
    assert sorted(own) == sorted(CLIENT_FIELDS + CLIENT_MATCHING_FIELDS), (
        "A client column is missing from snippets.models.CLIENT_FIELDS (or it names one "
        "the model does not have): the import, demo loader and admin would leave it out."
    )


def test_the_import_file_takes_the_declared_columns():
    assert ("uid_external", *CLIENT_FIELDS, *CLIENT_MATCHING_FIELDS) == CLIENT_COLUMNS


@pytest.mark.django_db
def test_the_client_form_asks_every_demographic(login, client):
    login(RoleName.COORDINATOR)
    page = client.get("/admin/snippets/snippets/client/add/").content.decode()
    for name in CLIENT_DEMOGRAPHIC_FIELDS:
        assert f'name="{name}"' in page, name
