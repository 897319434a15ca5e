"""Issue 15: no "snippet", "moderation" or "page(s)" in any message, button or heading a
user sees on the main screens, for each role.

Visible text is the page's text nodes (scripts, styles and templates left out) plus the
attributes a person reads or hears: title, aria-label, placeholder and alt. URLs, ids,
classes and other attributes are not visible, so they are not checked.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from staff.roles import RoleName
from tests.factories import ClientFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

CMS_WORDS = re.compile(r"\b(snippets?|moderation|pages?)\b", re.IGNORECASE)
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden_depth += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def cms_words_on(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    return [text[max(0, m.start() - 40) : m.end() + 20] for m in CMS_WORDS.finditer(text)]


def main_screens(person, restriction) -> list[str]:
    client_views = "wagtailsnippets_snippets_client"
    return [
        reverse("wagtailadmin_home"),
        reverse(f"{client_views}:list"),
        reverse(f"{client_views}:list") + "?q=amelia",
        reverse(f"{client_views}:add"),
        reverse(f"{client_views}:inspect", args=[person.pk]),
        reverse(f"{client_views}:edit", args=[person.pk]),
        reverse("wagtailsnippets_snippets_servicerestriction:list"),
        reverse("wagtailsnippets_snippets_servicerestriction:inspect", args=[restriction.pk]),
        reverse("wagtailsnippets_snippets_clientprogramenrollment:list"),
        reverse("wagtailsnippets_snippets_intake:list"),
        reverse("wagtailsnippets_snippets_program:list"),
        reverse("approvals:index"),
        reverse("approvals:mine"),
        reverse("audit:index"),
        reverse("ingest:runs"),
        reverse("dashboard:help"),
    ]


@pytest.mark.parametrize("role", list(RoleName))
def test_main_screens_speak_the_agencys_words(client, login, role):
    person = ClientFactory(first_name="Amelia", last_name="Adeyemi")
    restriction = RestrictionFactory(client=person)
    login(role)
    found = {}
    walked = 0
    for url in main_screens(person, restriction):
        response = client.get(url)
        if response.status_code != 200:
            continue  # a screen this role may not open
        walked += 1
        if words := cms_words_on(response.content.decode()):
            found[url] = words
    assert walked >= 5
    assert found == {}
