"""Who may read the reports: every role, on every page and CSV route, and the sidebar."""

import pytest

from reports.models import OrgSummaryPage
from staff.roles import RoleName
from staff.services import staff_assign_roles

URLS = [
    "/reports/",
    "/reports/org-summary/",
    "/reports/org-summary/export/csv/?date_from=2026-01-01&date_to=2026-01-31",
    "/reports/vacancy-tracker/",
    "/reports/vacancy-tracker/export/csv/?as_of=2026-01-31",
]
READERS = [
    RoleName.ADMINISTRATOR,
    RoleName.COORDINATOR,
    RoleName.LEADER,
    RoleName.ANALYST,
    RoleName.MANAGER,
]


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("url", URLS)
def test_report_roles_read_every_report(client, login, report_pages, role, url):
    login(role)

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_staff_only_get_the_403_page(client, login, report_pages, url):
    login(RoleName.STAFF)

    response = client.get(url)

    assert response.status_code == 403
    assert "You don't have access to this page" in response.content.decode()


def test_staff_with_a_report_role_too_may_read(client, login, report_pages):
    staff = login(RoleName.STAFF)
    staff_assign_roles(staff=staff, roles=[RoleName.STAFF, RoleName.ANALYST])

    assert client.get("/reports/org-summary/").status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_go_to_the_login(client, report_pages, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/reports/")


@pytest.mark.parametrize("role", [*READERS, RoleName.STAFF])
def test_reports_in_the_sidebar_only_for_report_roles(client, login, report_pages, role):
    login(role)

    response = client.get("/admin/")

    assert response.status_code == 200
    shown = '"name": "reports"' in response.content.decode()
    assert shown == (role in READERS)


@pytest.mark.parametrize("role", [r for r in READERS if r != RoleName.ADMINISTRATOR])
def test_reading_a_report_gives_no_right_to_edit_it(client, login, report_pages, role):
    staff = login(role)
    page = OrgSummaryPage.objects.get()

    assert not page.permissions_for_user(staff).can_edit()
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)


def test_the_page_shows_who_is_logged_in_and_ways_out(client, login, report_pages):
    login(RoleName.LEADER, first_name="Farah", last_name="Haddad")

    html = client.get("/reports/vacancy-tracker/").content.decode()

    assert "Farah Haddad" in html
    assert 'action="/admin/logout/"' in html
    assert 'href="/admin/"' in html
