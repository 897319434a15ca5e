"""Issue 12 item 4: Wagtail's own reports only for audit-log readers; no CMS leftovers in
the sidebar; Wagtail's default groups are not offered as roles."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from staff.roles import RoleName
from staff.services import roles_ensure

pytestmark = pytest.mark.django_db

WAGTAIL_REPORTS = [
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:locked_pages",
]
AUDIT_READERS = [RoleName.ADMINISTRATOR, RoleName.COORDINATOR]
OTHER_ROLES = [RoleName.MANAGER, RoleName.LEADER, RoleName.STAFF, RoleName.ANALYST]


def sidebar_items(html: str) -> list[tuple[str, str]]:
    """(name, label) of every item in the sidebar, submenus included."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "name" in node and "label" in node:
                found.append((node["name"], node["label"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props))
    return found


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("report", WAGTAIL_REPORTS)
def test_wagtail_reports_are_refused_to_roles_without_the_audit_log(client, login, role, report):
    login(role)
    assert client.get(reverse(report)).status_code == 403


@pytest.mark.parametrize("role", AUDIT_READERS)
def test_audit_log_readers_may_open_site_history(client, login, role):
    login(role)
    assert client.get(reverse("wagtailadmin_reports:site_history")).status_code == 200


def test_signed_out_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", list(RoleName))
def test_sidebar_has_no_cms_leftovers(client, login, role):
    login(role)
    items = sidebar_items(client.get(reverse("wagtailadmin_home")).content.decode())
    names = [name for name, _ in items]
    labels = [label for _, label in items]
    for leftover in ("Pages", "Images", "Documents", "Site history", "Aging pages"):
        assert leftover not in labels, (role, leftover)
    assert "explorer" not in names
    assert names.count("reports") <= 1  # the registry's own Reports, at most


def test_wagtail_default_groups_are_not_offered_as_roles(client, login):
    Group.objects.get_or_create(name="Moderators")
    Group.objects.get_or_create(name="Editors")
    roles_ensure()  # what setup_roles runs
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()

    Group.objects.create(name="Editors")  # even if someone re-creates one by hand
    login(RoleName.ADMINISTRATOR)
    html = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert "Coordinator" in html
    assert "Editors" not in html and "Moderators" not in html
