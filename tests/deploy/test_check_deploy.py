"""`manage.py check --deploy` under the production settings, as the runbook tells the
operator to run it before going live."""

from tests.databases import database_url, manage
from tests.deploy.conftest import PRODUCTION_ENV as _PRODUCTION_ENV

# Production requires DATABASE_URL; the check needs no connection, only the setting.
PRODUCTION_ENV = {**_PRODUCTION_ENV, "DATABASE_URL": database_url("registry")}


def test_production_settings_pass_the_deployment_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_check_does_catch_a_weakened_setting():
    # The same check flags HSTS switched off, so the test above is not vacuous.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "DJANGO_SECURE_HSTS_SECONDS": "0"},
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr
