"""The Wagtail admin in a real browser (Debian's Chromium) under the production
Content-Security-Policy, served by gunicorn as in the container (not by the test live
server, which runs the test settings): pages work and nothing is blocked."""

import os

import pytest

from tests.databases import database_url, manage
from tests.deploy.conftest import PRODUCTION_ENV, migrated_copy, serve_gunicorn

EMAIL = "browser.admin@agency.example"
PASSWORD = "plum-harbour-lantern-42"
# Collects every violation the browser reports, from the first script on each page.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def production_database(registry_template):
    with migrated_copy(registry_template, f"h7_csp_{os.getpid()}") as name:
        yield name


@pytest.fixture(scope="module")
def admin_site(production_database, tmp_path_factory):
    env = {**PRODUCTION_ENV, "DATABASE_URL": database_url(production_database)}
    manage(
        "shell",
        "-c",
        "from staff.services import roles_ensure, staff_create; roles_ensure(); "
        f"staff_create(email='{EMAIL}', first_name='Browser', last_name='Admin', "
        f"password='{PASSWORD}', roles=['Administrator'])",
        env=env,
        check=True,
    )
    # Plain HTTP on localhost, which browsers treat as secure, so the Secure cookies work
    # without a TLS proxy; every other production setting as deployed.
    browser_env = {
        **env,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    with serve_gunicorn(browser_env, static_root=tmp_path_factory.mktemp("static")) as url:
        yield url.replace("127.0.0.1", "localhost")


@pytest.fixture(scope="module")
def admin_page(browser, admin_site):
    """A signed-in Administrator's page; ``browser`` is the browser tests' Chromium."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(f"{admin_site}/admin/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{admin_site}/admin/")
    yield page
    context.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_dashboard_renders_its_script_built_sidebar_without_violations(admin_page, admin_site):
    admin_page.goto(f"{admin_site}/admin/")

    admin_page.wait_for_selector("#wagtail-sidebar nav", state="attached")
    assert _violations(admin_page) == []


def test_client_form_date_pickers_start_without_violations(admin_page, admin_site):
    admin_page.goto(f"{admin_site}/admin/snippets/snippets/client/add/")

    # The picker is created by the inline <script> after each date field: it exists only
    # if the policy let that script run.
    admin_page.wait_for_selector(".xdsoft_datetimepicker", state="attached")
    assert _violations(admin_page) == []


def test_client_list_and_search_work_without_violations(admin_page, admin_site):
    response = admin_page.goto(f"{admin_site}/admin/snippets/snippets/client/?q=nobody")

    assert response.status == 200
    admin_page.wait_for_selector("#listing-results", state="attached")
    assert _violations(admin_page) == []
