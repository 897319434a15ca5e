"""Browser tests: Playwright driving Debian's Chromium against a live test server.

`make test` installs Chromium (apt) and axe-core (npm, tests/browser/package.json).
Screenshots of each main page are kept in test-artifacts/screenshots/.
"""

import io
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from wagtail.models import Page

from staff.roles import RoleName
from staff.services import roles_ensure
from tests.conftest import POST_MIGRATE_SNAPSHOT
from tests.factories import StaffFactory

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# ordinary synchronous ones, made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the tests inject axe-core into pages whose Content-Security-Policy
    # forbids inline scripts; the policy itself is tested in test_admin_under_production_csp.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1400, "height": 1000},
        accept_downloads=True,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page, transactional_db, django_db_serialized_rollback):
    """Sign in through the real login form as a new staff member holding ``role``.

    Browser tests commit their data (the live server reads it on its own connection), so
    the database is emptied after each and restored from the post-migrate snapshot.
    Django restores it on the connection of the context it runs in, but Playwright's
    greenlets give this test another one, so the restore is made here when needed, and
    this connection is told about the snapshot so that emptying it afterwards does not
    re-create content types (which would collide with the next restore).
    """
    connection._test_serialized_contents = POST_MIGRATE_SNAPSHOT["default"]

    def _sign_in(role: str, **fields):
        if not Page.objects.exists():
            # Empty whatever the last emptying left re-created, then restore the snapshot.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(POST_MIGRATE_SNAPSHOT["default"])
            # The restored rows keep their ids: move each id sequence past them.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)
        # What `make db` sets up after migrate: roles, workflow, report pages.
        roles_ensure()
        call_command("setup_reports", stdout=io.StringIO())
        staff = StaffFactory(roles=[role], password=PASSWORD, **fields)
        page.goto("/admin/login/")
        page.fill("#id_username", staff.email)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return staff

    return _sign_in


def screenshot(page, name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core in the page; the serious and critical violations, described."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci in tests/browser).")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
        f"{v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


__all__ = ["RoleName", "screenshot", "serious_accessibility_violations"]
