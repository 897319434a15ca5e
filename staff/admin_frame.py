"""What Wagtail renders around every admin page, built once for what it depends on.

The sidebar. Wagtail builds the sidebar (its menu, the account menu, the search area) on every admin
page: each menu item asks whether the reader may see it (eight queries: roles, page and
collection permissions, the reports page) and the whole menu is packed into telepath JSON,
~13 ms of CPU a page. The result depends only on:

- the language;
- the reader: id, name and e-mail (the account menu), avatar and dismissed items (their
  profile), superuser and active flags, permissions (through their roles, read once a
  request for the view's own checks anyway);
- the database's settings around them: their roles, their roles' page and collection
  permissions, the page tree (the Reports link is the reports page's URL) and the sites.

The cache key is a digest of all of these, the last group read by one small query a page.
So when any of them changes, the next page of every Gunicorn process builds a new sidebar
(each process has its own local-memory cache: nothing has to be told to forget). A menu
item or ``construct_main_menu`` hook whose visibility or label depends on anything else
(a count, the time, the URL) must add it to ``sidebar_inputs``: tests/staff/test_sidebar.py
compares the cached sidebar with Wagtail's own for every role.

The keyboard shortcuts dialog (~2 ms): the same for everyone with the same language,
shortcuts setting (their profile) and kind of keyboard (Mac or not, from the browser).

The JavaScript strings of the page's configuration (~1.3 ms: month and day names and
Wagtail's messages, ~100 translations): the same for every page in one language. The rest of
that configuration (the CSRF token among it) is still made for each page.
"""

import hashlib
import re

from django.core.cache import cache
from django.db import connection
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.admin import localization
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Site

from .models import StaffRole

# Bumped when what the sidebar shows changes in code (matters for a shared cache only).
KEY_VERSION = 1
# An unused entry expires after this long (each process keeps one per person and language).
CACHE_SECONDS = 15 * 60


def _settings_fingerprint(user) -> str:
    """A digest of the database rows the menu depends on beyond the reader's permissions:
    their roles, those roles' page and collection permissions, the page tree, the sites."""
    roles = StaffRole._meta.db_table
    sql = f"""
        WITH roles AS (SELECT role_id FROM {roles} WHERE staff_id = %s)
        SELECT md5(concat_ws('|',
            (SELECT string_agg(role_id::text, ',' ORDER BY role_id) FROM roles),
            (SELECT string_agg(concat_ws(',', group_id, page_id, permission_id), ';'
                               ORDER BY group_id, page_id, permission_id)
               FROM {GroupPagePermission._meta.db_table}
              WHERE group_id IN (SELECT role_id FROM roles)),
            (SELECT string_agg(concat_ws(',', group_id, collection_id, permission_id), ';'
                               ORDER BY group_id, collection_id, permission_id)
               FROM {GroupCollectionPermission._meta.db_table}
              WHERE group_id IN (SELECT role_id FROM roles)),
            (SELECT string_agg(concat_ws(',', id, url_path, live, locale_id), ';' ORDER BY path)
               FROM {Page._meta.db_table}),
            (SELECT string_agg(concat_ws(',', id, hostname, port, root_page_id, is_default_site),
                               ';' ORDER BY id)
               FROM {Site._meta.db_table})))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        return cursor.fetchone()[0]


def sidebar_inputs(user) -> tuple:
    """Everything the sidebar shown to ``user`` depends on (see the module's docstring)."""
    profile = getattr(user, "wagtail_userprofile", None)
    return (
        KEY_VERSION,
        translation.get_language(),
        str(user.pk),
        user.get_username(),
        user.first_name,
        user.is_superuser,
        user.is_active,
        str(profile.avatar) if profile is not None and profile.avatar else "",
        sorted((profile.dismissibles or {}).items()) if profile is not None else [],
        sorted(user.get_all_permissions()),
        _settings_fingerprint(user),
    )


def cache_key(user) -> str:
    digest = hashlib.sha256(repr(sidebar_inputs(user)).encode()).hexdigest()
    return f"registry:sidebar:{digest}"


def sidebar_props(context):
    """Wagtail's ``{% sidebar_props %}``, from the cache when nothing it shows has changed."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return wagtailadmin_tags.sidebar_props(context)
    key = cache_key(user)
    html = cache.get(key)
    if html is None:
        html = str(wagtailadmin_tags.sidebar_props(context))
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)


KEYBOARD_SHORTCUTS_TEMPLATE = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"
_dialogs: dict[tuple, str] = {}


def keyboard_shortcuts_dialog(context):
    """Wagtail's ``{% keyboard_shortcuts_dialog %}``, rendered once per language, setting and
    kind of keyboard (what Wagtail's tag reads from the request)."""
    request = context.get("request")
    profile = getattr(getattr(request, "user", None), "wagtail_userprofile", None)
    user_agent = request.headers.get("User-Agent", "") if request else ""
    key = (
        translation.get_language(),
        bool(getattr(profile, "keyboard_shortcuts", True)) if profile is not None else True,
        bool(re.search(r"Mac|iPod|iPhone|iPad", user_agent)),
        request is None,
    )
    html = _dialogs.get(key)
    if html is None:
        data = wagtailadmin_tags.keyboard_shortcuts_dialog(context)
        html = _dialogs[key] = get_template(KEYBOARD_SHORTCUTS_TEMPLATE).render(data)
    return mark_safe(html)


_js_strings: dict[str, dict] = {}
_wagtails_js_strings = localization.get_js_translation_strings


def js_translation_strings() -> dict:
    """Wagtail's get_js_translation_strings, once per language (translations are loaded
    once a process)."""
    language = translation.get_language()
    strings = _js_strings.get(language)
    if strings is None:
        strings = _js_strings[language] = _wagtails_js_strings()
    return strings


def install() -> None:
    """Put these in place of Wagtail's (its templates load the tags by name; its
    ``wagtail_config`` tag calls the strings function by its module's name)."""
    tag = wagtailadmin_tags.register.simple_tag
    tag(takes_context=True, name="sidebar_props")(sidebar_props)
    tag(takes_context=True, name="keyboard_shortcuts_dialog")(keyboard_shortcuts_dialog)
    wagtailadmin_tags.get_js_translation_strings = js_translation_strings
