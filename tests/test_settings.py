"""Secrets have no default outside dev and test: production refuses to start without them."""

import os
import subprocess
import sys

CONFIGURED = {
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "registry.example.org",
    "WAGTAILADMIN_BASE_URL": "https://registry.example.org",
    "DATABASE_URL": "postgres://registry:secret@db.example.org:5432/registry",
}


def start_production(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "WAGTAILADMIN_BASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, "DJANGO_SETTINGS_MODULE": "registry.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_stops_with_a_clear_message():
    result = start_production(DJANGO_ALLOWED_HOSTS="registry.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_stops_with_a_clear_message():
    result = start_production(DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_when_configured():
    result = start_production(**CONFIGURED)
    assert result.returncode == 0, result.stderr


def test_production_without_a_database_url_stops_instead_of_using_the_superuser():
    configured = {k: v for k, v in CONFIGURED.items() if k != "DATABASE_URL"}
    result = start_production(**configured)
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


SHOW_MAIL = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
    "settings.EMAIL_USE_TLS, settings.DEFAULT_FROM_EMAIL)"
)


def run_production(code, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_"))
        and k not in {"DATABASE_URL", "WAGTAILADMIN_BASE_URL", "DEFAULT_FROM_EMAIL"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "registry.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mail_comes_from_the_environment():
    result = run_production(
        SHOW_MAIL,
        **CONFIGURED,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="registry",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="true",
        DEFAULT_FROM_EMAIL="registry@example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "True",
        "registry@example.org",
    ]
    assert "Mail is not configured" not in result.stderr


def test_production_without_a_mail_host_sends_nothing_and_says_so_once():
    send = (
        "import django; django.setup(); from django.core.mail import send_mail; "
        "print(send_mail('Change waiting', 'body', None, ['coordinator@example.org']))"
    )
    result = run_production(send, **CONFIGURED)
    assert result.returncode == 0, result.stderr
    # The mail counts as handled (no traceback, nothing tried on localhost:25) ...
    assert result.stdout.strip() == "1"
    assert "Traceback" not in result.stderr
    # ... and start-up said once, in one line, that mail is off.
    warnings = [line for line in result.stderr.splitlines() if "Mail is not configured" in line]
    assert len(warnings) == 1
    assert "EMAIL_HOST" in warnings[0]
