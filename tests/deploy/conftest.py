import os
import uuid

import pytest
from django.db import connections

from tests.databases import database_create, database_drop

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "registry.settings.production",
    "DJANGO_SECRET_KEY": "h7-test-" + "k3y-" * 15,
    "DJANGO_ALLOWED_HOSTS": "registry.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://registry.example.org",
    "WAGTAILADMIN_BASE_URL": "https://registry.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
}


@pytest.fixture(scope="session")
def deployed_database(django_db_setup, django_db_blocker):
    """A migrated registry database of its own (a copy of the test database) for the
    container's start-up steps to run against; dropped at the end."""
    name = f"h7_deploy_{os.getpid()}"
    with django_db_blocker.unblock():
        template = connections["default"].settings_dict["NAME"]
        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs it unused
        database_drop(name)
        database_create(name, template=template)
    yield name
    database_drop(name)


@pytest.fixture
def scratch_database():
    """The name for a scratch database; dropped afterwards."""
    name = f"h7_scratch_{uuid.uuid4().hex[:10]}"
    yield name
    database_drop(name)
