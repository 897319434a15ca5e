"""Fill in a Wagtail edit or create form as a browser would: read the fields the page
renders (with their current values), change some, and post them with a button's name."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormFields(HTMLParser):
    def __init__(self, form_id=None):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-edit-form" in attrs:
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if name and "__prefix__" in name:  # the template for a new inline row
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(
                attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.setdefault(self._textarea, []).append("".join(self._text).lstrip("\n"))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str) -> dict:
    parser = _FormFields()
    parser.feed(html)
    return {k: (v if len(v) != 1 else v[0]) for k, v in parser.fields.items()}


def snippet_url(model, view: str, *args) -> str:
    return reverse(
        f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}", args=args
    )


def post_edit(client, obj, changes: dict, *, action: str | None = None, extra: dict | None = None):
    """GET the record's edit page, apply ``changes``, POST it with ``action`` (None: save draft)."""
    url = snippet_url(type(obj), "edit", obj.pk)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_fields(page.content.decode())
    data.update(changes)
    if action:
        data[f"action-{action}"] = action
    data.update(extra or {})
    return client.post(url, data)


def post_create(client, model, fields: dict, *, action: str | None = None):
    url = snippet_url(model, "add")
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_fields(page.content.decode())
    data.update(fields)
    if action:
        data[f"action-{action}"] = action
    return client.post(url, data)
