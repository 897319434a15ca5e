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
