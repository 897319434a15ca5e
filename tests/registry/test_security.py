"""What staff notice of the security settings: the Content-Security-Policy, sign-in
throttling, the idle timeout, and the health check."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from staff.roles import RoleName
from tests.factories import ClientFactory, StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def test_registry_pages_get_a_strict_policy_without_inline_scripts(client):
    directives = _directives(client.get("/"))

    # Only scripts from this site, or inline ones carrying the per-request nonce
    # ({{ request.csp_nonce }}, added to the header when a template uses it).
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_the_admin_policy_allows_what_wagtail_needs_and_nothing_from_elsewhere(login, client):
    login(RoleName.ADMINISTRATOR)

    page = client.get("/admin/snippets/snippets/client/add/")
    html = page.content.decode()

    assert page.status_code == 200
    # Wagtail 8.0's date pickers are inline scripts without a nonce: the reason the admin
    # policy allows inline scripts.
    assert re.search(r"<script>\s*initDateChooser", html)
    directives = _directives(page)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["default-src"] == ["'self'"]
    # Every script and stylesheet the page loads comes from this site, as 'self' demands.
    sources = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(
        r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html
    )
    assert sources
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources


def test_five_wrong_passwords_pause_sign_in_for_that_email_from_that_address(client):
    staff = StaffFactory(roles=[RoleName.COORDINATOR], email="sam@agency.example")
    colleague = StaffFactory(roles=[RoleName.COORDINATOR], email="kai@agency.example")

    answers = [
        client.post(
            "/admin/login/", {"username": staff.email, "password": "guess"}, REMOTE_ADDR="10.0.0.9"
        ).status_code
        for _ in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]  # the form with its error, then the pause
    right = client.post(
        "/admin/login/", {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )

    assert right.status_code == 429
    assert "Too many wrong passwords" in right.content.decode()
    assert "_auth_user_id" not in client.session
    # Not a lockout of the whole office, nor of the person from another address.
    assert (
        client.post(
            "/admin/login/",
            {"username": colleague.email, "password": PASSWORD},
            REMOTE_ADDR="10.0.0.9",
        ).status_code
        == 302
    )
    client.logout()
    assert (
        client.post(
            "/admin/login/", {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
        ).status_code
        == 302
    )


def test_behind_the_proxy_attempts_count_against_the_address_the_proxy_saw(client, settings):
    settings.LOGIN_TRUST_X_FORWARDED_FOR = True
    staff = StaffFactory(roles=[RoleName.COORDINATOR])
    proxy = {"REMOTE_ADDR": "172.18.0.1"}  # every request arrives from the proxy

    def sign_in(password, seen_by_proxy):
        return client.post(
            "/admin/login/",
            {"username": staff.email, "password": password},
            HTTP_X_FORWARDED_FOR=seen_by_proxy,
            **proxy,
        ).status_code

    assert [sign_in("guess", "203.0.113.66") for _ in range(5)][-1] == 429
    # The same person from their own address is not locked out by the guesser...
    assert sign_in(PASSWORD, "198.51.100.4") == 302
    client.logout()
    # ...and a forged header cannot dodge the count: the proxy appends what it saw last.
    assert sign_in(PASSWORD, "10.9.9.9, 203.0.113.66") == 429


def test_a_successful_sign_in_clears_earlier_typos(client):
    staff = StaffFactory(roles=[RoleName.STAFF])

    for _ in range(2):
        for _ in range(4):
            client.post("/admin/login/", {"username": staff.email, "password": "typo"})
        signed_in = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
        assert signed_in.status_code == 302
        client.logout()


def test_a_session_ends_after_thirty_idle_minutes_and_each_request_extends_it(login, client):
    login(RoleName.COORDINATOR)
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)

    # Almost expired; a request counts as activity and pushes the end 30 minutes out.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get("/admin/").status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)

    # Thirty minutes without a request: the next one goes to the sign-in page.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    after_idle = client.get("/admin/")
    assert after_idle.status_code == 302
    assert after_idle["Location"].startswith("/admin/login/")


def test_an_edit_form_left_open_does_not_keep_the_session_alive(login, client):
    login(RoleName.COORDINATOR)
    record = ClientFactory()
    session_key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(pk=session_key).update(expire_date=soon)

    # What the open form sends every 10 seconds, with nobody at the screen.
    client.post(f"/admin/editing-sessions/ping/snippets/client/{record.pk}/0/")

    assert Session.objects.get(pk=session_key).expire_date == soon


def test_the_health_check_answers_a_probe_from_inside_the_container(client):
    response = client.get("/healthz", HTTP_HOST="172.18.0.5:8000")

    assert response.status_code == 200
    assert response.content == b"ok\n"
