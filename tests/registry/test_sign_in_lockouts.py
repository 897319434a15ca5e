"""The sign-in lockout counts one person's e-mail whatever its letter case, and an
Administrator can lift it (Settings › Sign-in lockouts), as the lockout page advises."""

import pytest
from django.urls import reverse

from staff.roles import RoleName
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
OFFICE = "10.0.0.9"


def sign_in(client, email, password):
    return client.post(
        "/admin/login/", {"username": email, "password": password}, REMOTE_ADDR=OFFICE
    )


def test_wrong_passwords_in_several_letter_cases_lock_the_one_account(client):
    StaffFactory(roles=[RoleName.ANALYST], email="analyst@agency.example")
    spellings = ["analyst@agency.example", "ANALYST@agency.example", " Analyst@Agency.Example "]

    answers = [sign_in(client, spellings[i % 3], "guess").status_code for i in range(5)]

    assert answers == [200, 200, 200, 200, 429]
    # Locked: the right password, in whichever case, does not get in.
    for email in ["ANALYST@AGENCY.EXAMPLE", "analyst@agency.example"]:
        refused = sign_in(client, email, PASSWORD)
        assert refused.status_code == 429
        assert "Too many wrong passwords" in refused.content.decode()
        assert "_auth_user_id" not in client.session


def test_an_administrator_unlocks_a_locked_out_colleague(client):
    StaffFactory(roles=[RoleName.ANALYST], email="analyst@agency.example")
    administrator = StaffFactory(roles=[RoleName.ADMINISTRATOR])
    for _ in range(5):
        sign_in(client, "Analyst@agency.example", "guess")
    assert sign_in(client, "analyst@agency.example", PASSWORD).status_code == 429

    client.force_login(administrator)
    screen = client.get(reverse("staff_lockouts:index"))
    assert screen.status_code == 200
    assert "analyst@agency.example" in screen.content.decode()
    # The home's operations panel links to the same screen.
    assert reverse("staff_lockouts:index") in client.get("/admin/").content.decode()
    unlocked = client.post(
        reverse("staff_lockouts:index"), {"email": "analyst@agency.example"}, follow=True
    )
    assert "analyst@agency.example can sign in again." in unlocked.content.decode()
    assert "No sign-in is locked out." in unlocked.content.decode()
    client.logout()

    signed_in = sign_in(client, "ANALYST@agency.example", PASSWORD)
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.parametrize(
    "role", [RoleName.COORDINATOR, RoleName.MANAGER, RoleName.ANALYST, RoleName.STAFF]
)
def test_only_administrators_may_lift_lockouts(client, role):
    StaffFactory(roles=[RoleName.ANALYST], email="analyst@agency.example")
    for _ in range(5):
        sign_in(client, "analyst@agency.example", "guess")
    client.force_login(StaffFactory(roles=[role]))

    assert client.get(reverse("staff_lockouts:index")).status_code == 403
    refused = client.post(reverse("staff_lockouts:index"), {"email": "analyst@agency.example"})
    assert refused.status_code == 403
    client.logout()
    assert sign_in(client, "analyst@agency.example", PASSWORD).status_code == 429
