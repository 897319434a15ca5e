import pytest
from django.conf import settings
from django.utils import translation

from staff.roles import RoleName
from staff.services import roles_ensure
from tests.factories import StaffFactory


def pytest_collection_modifyitems(items):
    """Every test that commits its data (transaction=True, transactional_db, live_server)
    restores the post-migrate snapshot of the test database when it starts.

    Such tests empty the database when they end. Unless every one of them uses serialized
    rollback, Django re-creates content types on that flush, and a later test that restores
    the snapshot (the browser tests: home page, site, permissions) collides with them.
    """
    committing = {"transactional_db", "live_server"}
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("transaction")) or committing & set(
            getattr(item, "fixturenames", ())
        ):
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            kwargs["serialized_rollback"] = True
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# The test database's contents right after migrate, as Django serialized them for tests
# that restore it (see tests/browser/conftest.py).
POST_MIGRATE_SNAPSHOT: dict[str, str | None] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the six roles, as after `setup_roles`."""
    from django.db import connection

    POST_MIGRATE_SNAPSHOT["default"] = getattr(connection, "_test_serialized_contents", None)
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


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A French request leaves French active on the thread, as Django leaves the last
    request's language between requests. A command or request of its own would start in the
    registry's default language, so each test does too."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
