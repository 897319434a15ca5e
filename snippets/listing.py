"""What the admin lists render, made cheap enough to render on every page view."""

import copy
import uuid

from django import forms
from django.contrib.admin.utils import quote
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column

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
