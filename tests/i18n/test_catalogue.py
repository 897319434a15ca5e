"""The French catalogue is complete and in step with the code.

A string marked for translation but missing from locale/fr/LC_MESSAGES/django.po, or there
with an empty or fuzzy French text, would show in English on a French screen."""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from .conftest import PO

# %(name)s, %s, %d and {name}: what Python fills in. A translation must have the same ones.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _gettext_tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _msgids(po_text: str) -> set[str]:
    """The message ids of a .po file's entries (context and id), read with gettext's msgcat
    into one line each so a wrapped id reads whole."""
    ids, context, current = set(), "", None
    for line in po_text.splitlines():
        if line.startswith("msgctxt "):
            context = line[8:]
        elif line.startswith("msgid "):
            current = line[6:]
        elif current is not None and line.startswith('"'):
            # An id with a line break continues on the next lines, even with --no-wrap.
            current = current[:-1] + line[1:]
        elif current is not None:
            if current != '""':
                ids.add(f"{context}\x04{current}")
            context, current = "", None
    return ids


def _one_line(path: Path) -> str:
    return _gettext_tool("msgcat", "--no-wrap", "--no-location", str(path))


def test_every_message_has_a_french_translation():
    untranslated = _gettext_tool("msgattrib", "--untranslated", "--no-wrap", str(PO))
    fuzzy = _gettext_tool("msgattrib", "--only-fuzzy", "--no-wrap", str(PO))
    assert _msgids(untranslated) == set(), "entries with no French text"
    # The header is the only entry gettext may leave flagged; every real message is reviewed.
    assert _msgids(fuzzy) == set(), "fuzzy entries (remove the flag once the text is checked)"
    assert len(_msgids(_one_line(PO))) > 250


def test_translations_keep_the_placeholders(tmp_path):
    # msgfmt refuses a python-format entry whose placeholders differ ...
    mo = tmp_path / "django.mo"
    _gettext_tool("msgfmt", "--check", "-o", str(mo), str(PO))
    # ... and this catches the ones it does not know to be formats ({name}, plain %s).
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    wrong = []
    for key, french in catalogue.items():
        english = key[0] if isinstance(key, tuple) else key
        if not english:
            continue  # the header
        english = english.split("\x04")[-1]
        if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(french)):
            wrong.append((english, french))
    assert wrong == []


def test_the_catalogue_has_every_string_the_code_marks(tmp_path):
    """makemessages over a copy of the tree finds no message id the committed .po lacks."""
    tree = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR,
        tree,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "tests",
            "static",
            "locale",
            "media",
            "docs",
            "test-artifacts",
            "bench-output",
            "imports",
            "__pycache__",
            "*.pyc",
            "*.css",
        ),
    )
    (tree / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[tree / "locale"]):
        here = os.getcwd()
        os.chdir(tree)
        try:
            call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True)
        finally:
            os.chdir(here)
    fresh = _msgids(_one_line(tree / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = _msgids(_one_line(PO))
    assert fresh, "makemessages found no string at all"
    missing = sorted(key.replace("\x04", " | ") for key in fresh - committed)
    assert missing == [], "run the makemessages command in docs/translation.md and translate"
    stale = sorted(key.replace("\x04", " | ") for key in committed - fresh)
    assert stale == [], "the .po keeps strings the code no longer has (makemessages --no-obsolete)"
