"""The need-to-know rule on the admin's screens: the guard on every view of a client's
record (and of a service row of a client), the limited card with "break the glass", and
the Access exceptions list for Administrators."""

import uuid

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from snippets import selectors as registry_selectors
from snippets.models import Client, ClientRecordAccess
from snippets.services import client_access_record
from staff.roles import RoleName

from . import selectors, services
from .models import AccessException, ExceptionReason

# Program-scoped roles that may break the glass; Analysts read agency-wide already.
MAY_BREAK_THE_GLASS = frozenset({RoleName.MANAGER, RoleName.LEADER, RoleName.STAFF})


def limited_card_url(client) -> str:
    return reverse("access:client_limited", args=[client.pk])


class NeedToKnowMixin:
    """For every view of one record (inspect, edit, history, revisions, compare, delete,
    lock, workflow, usage...): a client outside the staff member's scope is shown as the
    limited card instead; a service row in a confidential program the staff member may not
    see is not found. Reading a record's history or revisions is written to the access log.
    """

    # Views that read the record without being its page or its form log as "history".
    history_views = (
        "history",
        "history_results",
        "revisions_compare",
        "revisions_revisions",
        "revisions_view",
        "usage",
        "workflow_history",
        "workflow_history_detail",
    )

    def dispatch(self, request, *args, **kwargs):
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk is not None:
            client = obj if isinstance(obj, Client) else getattr(obj, "client", None)
            if client is not None:
                if not selectors.client_in_scope(request.user, client):
                    return redirect(limited_card_url(client))
                if not isinstance(obj, Client) and getattr(obj, "program_id", None):
                    visible = selectors.visible_program_condition(request.user, client)
                    if not type(obj).objects.filter(visible, pk=obj.pk).exists():
                        raise Http404
                if self._reads_history():
                    client_access_record(
                        staff=request.user, client=client, view=ClientRecordAccess.View.HISTORY
                    )
        return super().dispatch(request, *args, **kwargs)

    def _reads_history(self) -> bool:
        match = getattr(self.request, "resolver_match", None)
        name = match.url_name if match else ""
        return request_is_get(self.request) and (
            name in self.history_views or name.startswith("revisions")
        )


def request_is_get(request) -> bool:
    return request.method in ("GET", "HEAD")


class SensitiveFieldsComparisonMixin:
    """For the revisions compare view: a client's sensitive fields the reader's role is not
    granted are left out of the diff, as they are left out of the record and the form."""

    def _get_comparison(self, revision_a, revision_b):
        comparison = super()._get_comparison(revision_a, revision_b)
        if not isinstance(self.object, Client):
            return comparison
        hidden = selectors.sensitive_fields_hidden(self.request.user, self.object)
        return [
            diff
            for diff in comparison
            if getattr(getattr(diff, "field", None), "name", None) not in hidden
        ]


class VisibleUsageMixin:
    """For the usage view ("what refers to this record"): rows of a client's services in a
    program the reader may not see (confidential, or withheld by consent) are left out."""

    def get_table(self, object_list, **kwargs):
        client = self.object if isinstance(self.object, Client) else None
        if client is not None:
            object_list = [
                (row, references)
                for row, references in object_list
                if selectors.service_row_visible(self.request.user, client, row)
            ]
        return super().get_table(object_list, **kwargs)


class BreakTheGlassForm(forms.Form):
    # No reason is chosen in advance: the staff member picks one deliberately.
    reason = forms.ChoiceField(
        label=gettext_lazy("Why do you need this record?"),
        choices=[("", gettext_lazy("Choose a reason")), *ExceptionReason.choices],
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explain in a few words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("For example: who asked, and what service they need."),
    )


def client_limited(request, pk):
    """What anyone who may search sees of a client outside their scope: the name, the date
    of birth and the restrictions in force today; and, for program-scoped roles, the form
    that opens the full record for a few hours with a reason (break the glass)."""
    if not request.user.has_perm("snippets.view_client"):
        raise PermissionDenied
    client = get_object_or_404(Client, pk=pk)
    if selectors.client_in_scope(request.user, client):
        return redirect(reverse("wagtailsnippets_snippets_client:inspect", args=[client.pk]))
    scope = selectors.staff_scope(request.user)
    may_break = bool(scope.roles & MAY_BREAK_THE_GLASS)
    form = BreakTheGlassForm(request.POST or None)
    if request.method == "POST":
        if not may_break:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.access_exception_grant(
                    staff=request.user,
                    client=client,
                    reason=form.cleaned_data["reason"],
                    explanation=form.cleaned_data["explanation"],
                )
            except services.ExceptionRefused as refused:
                form.add_error(None, str(refused))
            else:
                request.user._registry_scope = None  # the exception counts at once
                hours = selectors.settings.REGISTRY_ACCESS_EXCEPTION_HOURS
                messages.success(
                    request,
                    ngettext(
                        "Access granted for %(hours)d hour. Administrators can see that you "
                        "opened this record and why.",
                        "Access granted for %(hours)d hours. Administrators can see that you "
                        "opened this record and why.",
                        hours,
                    )
                    % {"hours": hours},
                )
                return redirect(
                    reverse("wagtailsnippets_snippets_client:inspect", args=[client.pk])
                )
    return TemplateResponse(
        request,
        "access/client_limited.html",
        {
            "client": client,
            "restrictions": list(
                selectors.restrictions_in_force_seen_by(request.user).filter(client=client)
            ),
            "form": form if may_break else None,
            "hours": selectors.settings.REGISTRY_ACCESS_EXCEPTION_HOURS,
            "page_title": _("Outside your programs"),
            "header_title": gettext("Outside your programs"),
            "header_icon": "user",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": gettext("Home")},
                {
                    "url": reverse("wagtailsnippets_snippets_client:list"),
                    "label": gettext("Clients"),
                },
                {"url": "", "label": gettext("Outside your programs")},
            ],
        },
    )


# Access exceptions (Administrators) ----------------------------------------------------


class AdministratorsOnlyPolicy(ModelPermissionPolicy):
    """Only Administrators review access exceptions; nobody adds, changes or deletes them."""

    def user_has_permission(self, user, action):
        return action == "view" and RoleName.ADMINISTRATOR in user.role_names

    def users_with_any_permission(self, actions):
        from staff.models import Staff

        return Staff.objects.filter(groups__name=RoleName.ADMINISTRATOR)


class AccessExceptionFilterSet(WagtailFilterSet):
    granted_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Granted"), widget=DateRangePickerWidget
    )
    # An Administrator knows the person, not their id: the client search's rules apply.
    client = django_filters.CharFilter(
        label=gettext_lazy("Client"),
        method="filter_client",
        help_text=gettext_lazy(
            "Name, date of birth (YYYY-MM-DD), an id from another system or the client id"
        ),
    )

    def filter_client(self, queryset, name, value):
        try:
            ids = [uuid.UUID(value.strip())]
        except ValueError:
            ids = registry_selectors.client_ids_matching(query=value)
        return queryset.filter(client_id__in=ids)

    class Meta:
        model = AccessException
        fields = ["staff", "client", "reason", "granted_at"]


class ClientColumn(Column):
    """The client by a link to the record, never by name: the list is about who looked."""

    def get_value(self, instance):
        url = reverse("wagtailsnippets_snippets_client:inspect", args=[instance.client_id])
        return format_html('<a href="{}">{}</a>', url, _("Client record"))


class AccessExceptionViewSet(ModelViewSet):
    model = AccessException
    icon = "warning"
    menu_label = gettext_lazy("Access exceptions")
    add_to_settings_menu = True
    menu_order = 310
    inspect_view_enabled = True
    list_display = [
        "granted_at",
        "staff",
        ClientColumn("client", label=gettext_lazy("Client")),
        "reason",
        "explanation",
        "expires_at",
    ]
    filterset_class = AccessExceptionFilterSet
    list_per_page = 50
    copy_view_enabled = False
    form_fields = []  # read-only: the policy grants "view" only

    def get_queryset(self, request):
        return AccessException.objects.select_related("staff")
