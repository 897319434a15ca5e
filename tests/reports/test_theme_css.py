"""The committed Tailwind CSS is current: every class the report templates use has a rule.

The CSS is built by npm (make css, the Docker build) and committed so that the running
registry never needs Node. A template change without a rebuild fails here.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR, "reports", "templates")
CSS = Path(settings.BASE_DIR, "theme", "static", "css", "dist", "styles.css")


def template_classes() -> set[str]:
    classes = set()
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for attribute in re.findall(r'class="([^"]*)"', text):
            # Classes inside {% if %} count; the tags themselves are not classes.
            attribute = re.sub(r"{%.*?%}|{{.*?}}", " ", attribute)
            classes.update(attribute.split())
    return classes


def css_selector(name: str) -> str:
    return "." + re.sub(r"([^a-zA-Z0-9_-])", r"\\\1", name)


def test_every_template_class_is_in_the_built_css():
    css = CSS.read_text()
    missing = sorted(name for name in template_classes() if css_selector(name) not in css)

    assert template_classes()
    assert missing == [], "run `make css` and commit theme/static/css/dist/styles.css"
