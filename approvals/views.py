"""Approvals screens: the review queue, one change side by side, the decision, and the
requester's own submissions. Decisions go through approvals.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit.display import NameResolver, entity_label, model_for_entity

from . import selectors, services
from .forms import ApproveForm, DeclineForm, PendingChangeFilterForm
from .models import PendingChange


def _record_edit_url(change: PendingChange) -> str | None:
    model = model_for_entity(change.entity)
    if model is None or not model.objects.filter(pk=change.entity_id).exists():
        return None
    return reverse(f"wagtailsnippets_snippets_{change.entity}:edit", args=[change.entity_id])


def listing_rows(changes):
    changes = list(changes)
    resolver = NameResolver()
    # The records the page names, in one query per record type rather than one per row.
    resolver.prime([(model_for_entity(c.entity), c.entity_id) for c in changes])
    return [
        {
            "change": change,
            "entity_label": entity_label(change.entity),
            "record": selectors.record_name(change, resolver),
        }
        for change in changes
    ]


class ApprovalsIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "approvals/index.html"
    page_title = _("Approvals")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not services.can_decide(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": gettext("Approvals")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PendingChangeFilterForm(self.request.GET)
        filters = form.cleaned_data if form.is_valid() else {"status": "pending"}
        changes = selectors.changes_visible_to(
            staff=self.request.user,
            queryset=selectors.pending_changes_for_review(
                status=filters.get("status") or None,
                entity=filters.get("entity") or None,
                requested_by=filters.get("requested_by"),
                older_than_days=int(filters["older_than"]) if filters.get("older_than") else None,
            ),
        )
        page = Paginator(changes, 50).get_page(self.request.GET.get("p"))
        context.update(filter_form=form, page=page, rows=listing_rows(page.object_list))
        return context


class MySubmissionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "approvals/mine.html"
    page_title = _("My submissions")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": gettext("My submissions")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        changes = selectors.submissions_of(staff=self.request.user)
        page = Paginator(changes, 50).get_page(self.request.GET.get("p"))
        context.update(page=page, rows=listing_rows(page.object_list))
        return context


class ApprovalDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "approvals/detail.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, change_id, **kwargs):
        self.change = get_object_or_404(
            PendingChange.objects.select_related("requested_by", "reviewed_by"), pk=change_id
        )
        self.deciding = services.can_decide(request.user)
        if not self.deciding and self.change.requested_by_id != request.user.pk:
            raise PermissionDenied
        # Need to know: a change to a record the reader may not see is not found.
        visible = selectors.changes_visible_to(
            staff=request.user, queryset=PendingChange.objects.filter(pk=self.change.pk)
        )
        if not visible.exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.change.get_kind_display()}: {entity_label(self.change.entity)}"

    def get_breadcrumbs_items(self):
        index = reverse("approvals:index") if self.deciding else reverse("approvals:mine")
        return [
            {
                "url": index,
                "label": gettext("Approvals") if self.deciding else gettext("My submissions"),
            },
            {"url": "", "label": selectors.record_name(self.change)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.change
        context.update(
            change=change,
            entity_label=entity_label(change.entity),
            record=selectors.record_name(change),
            record_url=_record_edit_url(change),
            fields=selectors.change_comparison(
                change,
                hidden_fields=selectors.sensitive_fields_hidden_in(change, self.request.user),
            ),
            can_act=self.deciding
            and change.is_pending
            and change.requested_by_id != self.request.user.pk,
            own=change.requested_by_id == self.request.user.pk,
            approve_form=ApproveForm(),
            decline_form=kwargs.get("decline_form") or DeclineForm(),
        )
        return context


class ApprovalDecisionView(View):
    """POST only: approve or decline, then back to the queue (or the change, if refused)."""

    decision = None  # "approve" or "decline"

    def post(self, request, change_id):
        if not services.can_decide(request.user):
            raise PermissionDenied
        visible = selectors.changes_visible_to(
            staff=request.user, queryset=PendingChange.objects.filter(pk=change_id)
        )
        if PendingChange.objects.filter(pk=change_id).exists() and not visible.exists():
            raise Http404  # a record the decider may not see is decided by one who may
        detail_url = reverse("approvals:detail", args=[change_id])
        try:
            if self.decision == "approve":
                form = ApproveForm(request.POST)
                form.is_valid()
                services.pending_change_approve(
                    change_id=change_id,
                    reviewer=request.user,
                    comment=form.cleaned_data.get("comment", ""),
                )
                messages.success(request, gettext("Approved: the change is now live."))
            else:
                form = DeclineForm(request.POST)
                if not form.is_valid():
                    messages.error(request, gettext("Give the rationale for declining."))
                    return redirect(detail_url)
                services.pending_change_decline(
                    change_id=change_id,
                    reviewer=request.user,
                    rationale=form.cleaned_data["rationale"],
                )
                messages.success(
                    request, gettext("Declined. The requester will see your rationale.")
                )
        except services.ApprovalRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(detail_url)
        except PendingChange.DoesNotExist:
            messages.error(request, gettext("That change no longer exists."))
        return redirect("approvals:index")
