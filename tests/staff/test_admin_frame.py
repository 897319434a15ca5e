"""The frame around every admin page (sidebar, keyboard shortcuts, the page's strings) is
built once for what it depends on (staff/admin_frame.py): what staff see in it is what
Wagtail itself would show them, and a change of role, name or language shows on the very
next page."""

import json
import re

import pytest
from django.template import Context
from django.urls import reverse
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.users.models import UserProfile

from staff.roles import RoleName
from staff.services import staff_assign_roles

pytestmark = pytest.mark.django_db

CLIENTS = reverse("wagtailsnippets_snippets_client:list")


def sidebar(response) -> dict:
    html = response.content.decode()
    found = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the page has no sidebar"
    return json.loads(found.group(1))


def menu_labels(props: dict) -> list[str]:
    def labels(items):
        for item in items:
            args = item["_args"]
            yield args[0]["label"]
            if item["_type"] == "wagtail.sidebar.SubMenuItem":
                yield from labels(args[1])

    main = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    return list(labels(main["_args"][0]))


def account_name(props: dict) -> str:
    main = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    return main["_args"][2]["name"]


@pytest.mark.parametrize("role", [r.value for r in RoleName])
def test_the_sidebar_served_from_the_cache_is_wagtails_own(client, login, role):
    login(role)
    client.get(reverse("wagtailadmin_home"))  # builds and caches the sidebar
    response = client.get(reverse("wagtailadmin_home"))  # served from the cache

    wagtails = wagtailadmin_tags.sidebar_props(Context({"request": response.wsgi_request}))
    assert sidebar(response) == json.loads(
        re.search(r">(.*)</script>", str(wagtails), re.S).group(1)
    )


def test_a_role_given_or_taken_shows_in_the_sidebar_on_the_next_page(client, login):
    staff = login(RoleName.STAFF)
    assert "Audit log" not in menu_labels(sidebar(client.get(CLIENTS)))

    staff_assign_roles(staff=staff, roles=[RoleName.COORDINATOR])
    assert "Audit log" in menu_labels(sidebar(client.get(CLIENTS)))

    staff_assign_roles(staff=staff, roles=[RoleName.STAFF])
    assert "Audit log" not in menu_labels(sidebar(client.get(CLIENTS)))


def test_a_new_name_shows_in_the_account_menu_on_the_next_page(client, login):
    staff = login(RoleName.COORDINATOR, first_name="Amaka")
    assert account_name(sidebar(client.get(CLIENTS))) == "Amaka"

    staff.first_name = "Ama"
    staff.save()
    assert account_name(sidebar(client.get(CLIENTS))) == "Ama"


def test_two_people_of_one_role_each_see_their_own_name(client, login):
    login(RoleName.COORDINATOR, first_name="Amaka")
    assert account_name(sidebar(client.get(CLIENTS))) == "Amaka"

    login(RoleName.COORDINATOR, first_name="Bojan")
    assert account_name(sidebar(client.get(CLIENTS))) == "Bojan"


def test_the_frame_follows_the_persons_language_from_one_page_to_the_next(client, login):
    staff = login(RoleName.COORDINATOR)
    english = client.get(CLIENTS).content.decode()
    assert "Keyboard shortcuts" in english

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "fr-ca"
    profile.save()
    french = client.get(CLIENTS)
    html = french.content.decode()

    assert "Raccourcis clavier" in html and "Keyboard shortcuts" not in html
    assert "Clients" in menu_labels(sidebar(french))
    assert "Log out" not in json.dumps(sidebar(french))
    config = json.loads(
        re.search(
            r'<script id="wagtail-config" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert "janvier" in config["STRINGS"]["MONTHS"]
