"""What the admin lists render, made cheap enough to render on every page view."""

import copy
import uuid

from django import forms
from django.contrib.admin.utils import quote
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table
from wagtail.snippets.widgets import AdminSnippetChooser

from .models import Program


class ProgramSelect(forms.Select):
    """The "Program" filter's drop-down of every live program, rendered in one pass.

    A city's 2,000 programs rendered by Django's Select (a model instance and a template
    per option) cost ~100 ms of CPU on every list page, most of the page's time; here
    they are two columns of one query joined into one string. Same markup and values.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value in (None, "") else str(getattr(value, "pk", value))
        programs = Program.objects.live().order_by("name").values_list("pk", "name")
        options = ['<option value=""%s>---------</option>' % ("" if chosen else " selected")]
        options += [
            f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>{escape(name)}'
            "</option>"
            for pk, name in programs
        ]
        return format_html(
            "<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options))
        )


class ProgramChooser(AdminSnippetChooser):
    """A program filter that ships one program, not 2,000: "Choose program" opens the
    programs' chooser (searchable, 50 a page, access/choosers.py), and the chosen program's
    name shows in the filter. ProgramSelect rendered every live program on every page
    (~186 kB of the Clients page and ~10 ms of its CPU at city scale)."""

    model = Program
    show_edit_link = False  # a filter, not a form: no "Edit this program" beside it


FILTERS_TEMPLATE = "wagtailadmin/shared/headers/_filters.html"
_filters_html: dict[tuple, str] = {}


def filters_cache_key(filters) -> tuple | None:
    """What a list's filters drilldown depends on when no filter is set, for filter sets
    whose form renders alike for everyone with the same fields (``renders_alike``: no
    drop-down of database rows, no value from the reader); None when it must be rendered."""
    if not getattr(filters, "renders_alike", False):
        return None
    form = filters.form
    if any(form.data.get(name) not in (None, "") for name in form.fields):
        return None  # a filter is set: its value, errors, a chosen program's name
    return (type(filters).__module__, type(filters).__qualname__, get_language(), *form.fields)


def render_filters(context, filters) -> str:
    """Wagtail's filters drilldown for ``filters``; for an unfiltered list of a filter set
    that ``renders_alike``, rendered once per language and set of fields (the Clients
    list's drilldown: ~4 ms of CPU a page, its fields' templates and widgets)."""
    key = filters_cache_key(filters)
    html = _filters_html.get(key) if key is not None else None
    if html is None:
        engine = context.template.engine
        own = engine.find_template(FILTERS_TEMPLATE)[1]
        wagtails, _ = engine.find_template(FILTERS_TEMPLATE, skip=[own])
        with context.push(filters=filters):
            html = wagtails.render(context)
        if key is not None:
            _filters_html[key] = html
    return mark_safe(html)


# The Clients list (issue 14): a page of 50 rows rendered 300 cell templates and 50 button
# menus (~150 ms of CPU, most of the page). The cells below give the same markup for less.

# A stand-in row: an id and a name that no real row or markup contains.
STAND_IN_PK = uuid.UUID("00000000-0000-4000-8000-00000000c0de")
STAND_IN_NAME = ("\ue000", "\ue001")
_PK, _NAME = "\ue010", "\ue011"


class RenderedOnceCellMixin:
    """A column whose cell differs from row to row only by the row's id and name (the title
    with its menu of Edit / Inspect / Delete, the bulk-action checkbox): the cell of a
    stand-in row is rendered once a page, and each row's cell is that markup with the
    row's id and name put in. Rows ``renders_once`` refuses are rendered as usual.

    The menu's buttons must not depend on the row beyond its id and name: true while no
    snippet-listing button hook is registered (checked) and the permissions are per model.
    """

    def renders_once(self, instance) -> bool:
        return not (
            hooks.get_hooks("register_snippet_listing_buttons")
            or hooks.get_hooks("construct_snippet_listing_buttons")
        )

    def render_cell_html(self, instance, parent_context):
        if not self.renders_once(instance):
            return super().render_cell_html(instance, parent_context)
        # The table is made per request, so the markup never outlives the request.
        patterns = parent_context["table"].__dict__.setdefault("_rendered_once", {})
        if id(self) not in patterns:
            patterns[id(self)] = self._pattern(instance, parent_context)
        pattern = patterns[id(self)]
        if pattern is None:
            return super().render_cell_html(instance, parent_context)
        return mark_safe(
            pattern.replace(_PK, quote(str(instance.pk))).replace(_NAME, escape(str(instance)))
        )

    def _pattern(self, instance, parent_context) -> str | None:
        stand_in = copy.copy(instance)
        stand_in.pk = STAND_IN_PK
        stand_in.first_name, stand_in.last_name = STAND_IN_NAME
        html = str(super().render_cell_html(stand_in, parent_context))
        pk = quote(str(STAND_IN_PK))
        if pk not in html:
            return None
        return html.replace(pk, _PK).replace(escape(str(stand_in)), _NAME)


def html_attrs(attrs: dict) -> str:
    """``attrs`` as wagtailadmin/shared/attrs.html writes them: False left out, True as a
    bare name, anything else as ``name="value"``."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class RowsInOnePassTable(Table):
    """Wagtail's table, its rows written in one Python loop instead of the template's
    (an include for each row's attributes, a component tag for each cell: ~5 ms for a page
    of 50 rows). Same markup apart from whitespace; each cell is still its column's
    ``render_cell_html`` with the table template's context."""

    template_name = "snippets/tables/table.html"

    def render_rows(self, context) -> str:
        columns = list(self.columns.values())
        html = []
        for row in self.rows:
            with context.push(row=row):  # as the template's loop sets it (Column reads it)
                cells = "".join(
                    str(column.render_cell_html(row.instance, context)) for column in columns
                )
            html.append(f"<tr{html_attrs(row.attrs)}>{cells}</tr>")
        return mark_safe("".join(html))


class PlainCellMixin:
    """Renders Wagtail's plain cell (wagtailadmin/tables/cell.html: ``<td>value</td>``)
    without the template engine, localized and escaped as the template does it."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_cell_context_data(instance, parent_context).get("value")
        text = "" if value is None else conditional_escape(localize(value))
        classname = format_html(' class="{}"', self.classname) if self.classname else ""
        return mark_safe(f"<td{classname}>{text}</td>")


class PlainColumn(PlainCellMixin, Column):
    """A plain column, rendered without a template per cell."""


class RenderedOnceCheckboxColumn(RenderedOnceCellMixin, BulkActionsCheckboxColumn):
    """The bulk-action checkbox, rendered once a page."""
