"""The Audit Log screen, and the "Change history" button on every registry record."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from . import selectors
from .display import (
    EMPTY,
    NameResolver,
    diff_references,
    entity_label,
    readable_diff,
    record_model_for_entity,
)
from .forms import AuditFilterForm

VIEW_PERMISSION = "audit.view_auditlog"


def can_read_audit(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_PERMISSION)


def record_history_url(record) -> str:
    return reverse("audit:index") + "?" + urlencode({"record": str(record.pk)})


def _record_url(model, pk):
    if model is None or pk is None or model._meta.app_label != "snippets":
        return None
    try:
        return reverse(f"wagtailsnippets_snippets_{model._meta.model_name}:edit", args=[pk])
    except Exception:  # a child or settings model without a snippet edit view
        return None


def _shown_changes(entry, resolver):
    changes = readable_diff(entry.entity, entry.diff_json, resolver)
    # A created or deleted row lists its values; empty ones say nothing.
    if entry.action == "create":
        return [c for c in changes if c.after != EMPTY]
    if entry.action == "delete":
        return [c for c in changes if c.before != EMPTY]
    return changes


class SensitiveValuesMask:
    """Replaces, in a client's audit rows, the values of the sensitive fields the reader's
    role is not granted (access/selectors.py) by "not shown"; the row still says which
    field changed, when and by whom."""

    def __init__(self, staff):
        from access import selectors as access  # cycle: the rule reads the registry

        self.staff = staff
        self.access = access
        scope = access.staff_scope(staff)
        self.may_hide = not all(
            access.sensitive_field_granted(scope, name, own_client=False)
            for name in access.SENSITIVE_FIELDS
        )

    def apply(self, entry, changes):
        if not self.may_hide or entry.entity_id is None:
            return changes
        if entry.entity == "clientmerge":
            # A merge keeps the survivor's values from before it (to undo it): masked whole.
            for change in changes:
                if change.key == "moved":
                    change.before = change.after = str(self.access.NOT_SHOWN)
            return changes
        if entry.entity != "client":
            return changes
        from snippets.models import Client  # cycle: the audit log reads what it audits

        hidden = self.access.sensitive_fields_hidden(self.staff, Client(pk=entry.entity_id))
        for change in changes:
            if change.key in hidden:
                change.before = change.after = str(self.access.NOT_SHOWN)
        return changes


class AuditLogView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/index.html"
    page_title = _("Audit log")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not can_read_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": gettext("Audit log")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        masking = SensitiveValuesMask(self.request.user)
        queryset = selectors.audit_entries_visible_to(
            staff=self.request.user,
            queryset=selectors.audit_entries_filtered(
                **(form.selector_filters() if form.is_bound else {}),
                search_client_values=not masking.may_hide,
            ),
        ).select_related("changed_by", "requested_by")
        page = selectors.audit_page(
            queryset,
            older_than=self.request.GET.get("older"),
            newer_than=self.request.GET.get("newer"),
        )
        resolver = NameResolver()
        # Every record the page names, fetched up front: a few queries, not one per row.
        resolver.prime(
            [(record_model_for_entity(e.entity), e.entity_id) for e in page.entries]
            + [ref for e in page.entries for ref in diff_references(e.entity, e.diff_json)]
        )
        rows = []
        for entry in page.entries:
            record_model = record_model_for_entity(entry.entity)
            rows.append(
                {
                    "entry": entry,
                    "entity_label": entity_label(entry.entity),
                    "record": resolver.name(record_model, entry.entity_id)
                    if record_model is not None and entry.entity_id
                    else entry.row_id,
                    "record_url": _record_url(record_model, entry.entity_id),
                    "changes": masking.apply(entry, _shown_changes(entry, resolver)),
                }
            )
        params = self.request.GET.copy()
        for key in ("older", "newer"):
            params.pop(key, None)
        context.update(
            filter_form=form,
            rows=rows,
            filters_query=params.urlencode(),
            older_cursor=page.older_cursor,
            newer_cursor=page.newer_cursor,
        )
        return context


class RecordHistoryButtonMixin:
    """Adds "Change history" (the record's Audit Log) to a registry record's header, for
    those who may read the audit log."""

    @cached_property
    def _history_button(self):
        if self.object is None or not can_read_audit(self.request.user):
            return None
        return HeaderButton(
            gettext("Change history"),
            url=record_history_url(self.object),
            icon_name="history",
            priority=5,
        )

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if getattr(self, "object", None) is not None and self._history_button:
            buttons = [self._history_button, *buttons]
        return buttons
