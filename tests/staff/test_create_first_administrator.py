"""`create_first_administrator`: the container's way to the first sign-in."""

import pytest
from django.core.management import CommandError, call_command

from staff.models import Staff
from staff.roles import RoleName
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

FIRST_ADMIN = {
    "REGISTRY_ADMIN_EMAIL": "It.Lead@Agency.example",
    "REGISTRY_ADMIN_PASSWORD": "plum-harbour-lantern-42",
    "REGISTRY_ADMIN_FIRST_NAME": "Robin",
    "REGISTRY_ADMIN_LAST_NAME": "Okafor",
}


@pytest.fixture
def admin_env(monkeypatch):
    def _set(values):
        for name in FIRST_ADMIN:
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return _set


def test_creates_an_administrator_who_can_sign_in_to_the_admin(admin_env, client, capsys):
    admin_env(FIRST_ADMIN)

    call_command("create_first_administrator")

    staff = Staff.objects.get(email="it.lead@agency.example")
    assert staff.role_names == [RoleName.ADMINISTRATOR]
    assert "Created the first Administrator" in capsys.readouterr().out
    assert client.login(username="it.lead@agency.example", password="plum-harbour-lantern-42")
    assert client.get("/admin/").status_code == 200


def test_does_nothing_once_an_administrator_exists(admin_env, capsys):
    StaffFactory(roles=[RoleName.ADMINISTRATOR], email="existing@agency.example")
    admin_env(FIRST_ADMIN)

    call_command("create_first_administrator")

    assert not Staff.objects.filter(email="it.lead@agency.example").exists()
    assert "An Administrator already exists" in capsys.readouterr().out


def test_without_settings_it_explains_and_creates_nobody(admin_env, capsys):
    admin_env({})

    call_command("create_first_administrator")

    assert not Staff.objects.exists()
    assert "Set REGISTRY_ADMIN_EMAIL and REGISTRY_ADMIN_PASSWORD" in capsys.readouterr().err


def test_a_weak_or_missing_password_is_refused(admin_env):
    admin_env({**FIRST_ADMIN, "REGISTRY_ADMIN_PASSWORD": "password"})
    with pytest.raises(CommandError, match="REGISTRY_ADMIN_PASSWORD is too weak"):
        call_command("create_first_administrator")

    admin_env({**FIRST_ADMIN, "REGISTRY_ADMIN_PASSWORD": ""})
    with pytest.raises(CommandError, match="also set REGISTRY_ADMIN_PASSWORD"):
        call_command("create_first_administrator")

    assert not Staff.objects.exists()
