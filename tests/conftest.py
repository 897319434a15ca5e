import pytest

from staff.roles import RoleName
from staff.services import roles_ensure
from tests.factories import StaffFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the six roles, as after `setup_roles`."""
    with django_db_blocker.unblock():
        roles_ensure()


@pytest.fixture
def login(client):
    """Log the Django test client in as a new staff member holding ``role``; returns them."""

    def _login(role: str, **fields):
        staff = StaffFactory(roles=[role], **fields)
        client.force_login(staff)
        return staff

    return _login


@pytest.fixture
def coordinator(db):
    return StaffFactory(roles=[RoleName.COORDINATOR])


# A real S3 endpoint (moto server) for the backup, media and deployment tests (issue 7).
from tests.s3 import s3, s3_endpoint  # noqa: E402, F401


@pytest.fixture(scope="session")
def registry_template():
    """A registry database migrated by `manage.py migrate`, made once per session, for
    tests that need databases of their own (copies: CREATE DATABASE ... TEMPLATE). Not a
    copy of the test database, which browser tests may leave emptied. Yields its name."""
    import os

    from tests.databases import database_drop, migrated_database_create

    name = f"h7_template_{os.getpid()}"
    database_drop(name)
    migrated_database_create(name)
    yield name
    database_drop(name)
