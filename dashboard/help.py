"""The registry's own help: Markdown files in docs/help/, rendered for staff in the admin.

A translation of a page has the same file name in docs/help/<language>/ (docs/help/fr/):
the reader gets it in their language, or the English page where none is written yet."""

import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from django.conf import settings
from django.utils.translation import get_language

HELP_DIR = Path(settings.BASE_DIR) / "docs" / "help"
_TOPIC = re.compile(r"^[a-z0-9-]+$")


@dataclass
class HelpTopic:
    slug: str
    title: str
    html: str


def help_topics() -> list[HelpTopic]:
    """Every help page, in file-name order (files start with a number: 01-find-a-person)."""
    return [help_topic(path.stem) for path in sorted(HELP_DIR.glob("*.md"))]


def _page_file(slug: str) -> Path:
    """The page in the active language ("fr-ca" reads docs/help/fr/), else the English one."""
    language = (get_language() or "").split("-")[0]
    translated = HELP_DIR / language / f"{slug}.md"
    return translated if language != "en" and translated.is_file() else HELP_DIR / f"{slug}.md"


def help_topic(slug: str) -> HelpTopic | None:
    """One help page by its file name (without .md), or None if there is none."""
    if not _TOPIC.match(slug):
        return None
    path = _page_file(slug)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else slug
    # The files are the project's own, reviewed like code: their HTML is trusted.
    html = markdown.markdown(text, extensions=["tables"])
    return HelpTopic(slug=slug, title=first.lstrip("# ").strip(), html=html)
