""" "Possible matches" and merging: HTTP in, services and selectors do the work.

Every view requires the decide permission (Coordinators and Administrators), checked on
the server for GET and POST alike; decisions are POST only (CSRF-protected by Django).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from access import selectors as access
from snippets.models import Client

from . import selectors, services
from .forms import DecisionForm, MergeForm, PossibleMatchFilterSet
from .models import ClientMerge, MatchKind, PossibleMatch

DECIDE_PERMISSION = "identity.decide_possiblematch"
ITEMS_PER_PAGE = 50


def can_decide(user) -> bool:
    return user.is_authenticated and user.has_perm(DECIDE_PERMISSION)


def client_record_url(client) -> str:
    return reverse("wagtailsnippets_snippets_client:inspect", args=[client.pk])


def hidden_fields_of(staff, clients) -> frozenset:
    """The sensitive fields ``staff`` may not see of any of ``clients`` (a callable giving
    them: Coordinators and Administrators see every field unless the agency's settings
    say otherwise, and then no client is read)."""
    scope = access.staff_scope(staff)
    if all(
        access.sensitive_field_granted(scope, name, own_client=False)
        for name in access.SENSITIVE_FIELDS
    ):
        return frozenset()
    hidden = set()
    for client in clients():
        hidden |= access.sensitive_fields_hidden(staff, client)
    return frozenset(hidden)


class DeciderRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_decide(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PossibleMatchIndexView(DeciderRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "identity/index.html"
    page_title = _("Possible matches")
    header_icon = "resubmit"

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": gettext("Possible matches")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = PossibleMatchFilterSet(self.request.GET or None, request=self.request)
        items = selectors.possible_matches_waiting(**filters.selector_filters())
        page = Paginator(items, ITEMS_PER_PAGE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(filters=filters, page=page, filters_query=query.urlencode())
        return context


class PossibleMatchDetailView(DeciderRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "identity/detail.html"
    header_icon = "resubmit"

    @cached_property
    def possible_match(self) -> PossibleMatch:
        return get_object_or_404(
            PossibleMatch.objects.select_related("run", "client", "decided_by", "decided_client"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        if self.possible_match.kind == MatchKind.IMPORT_ROW:
            return gettext("Possible match: a row of an import")
        return gettext("Possible match: two client records")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("possible_matches:index"), "label": gettext("Possible matches")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        possible_match = self.possible_match
        context.update(
            selectors.possible_match_review(
                possible_match=possible_match,
                hidden_programs=access.confidential_programs_hidden(self.request.user),
                hidden_fields=hidden_fields_of(
                    self.request.user,
                    lambda: (
                        [c.client for c in possible_match.candidates.select_related("client")]
                        + ([possible_match.client] if possible_match.client_id else [])
                    ),
                ),
            ),
            item=possible_match,
            waiting=possible_match.status in ("open", "not_sure"),
            is_row=possible_match.kind == MatchKind.IMPORT_ROW,
            form=DecisionForm(),
        )
        return context


class DecisionView(DeciderRequiredMixin, View):
    """POST: one decision on a possible match, then the next step (the queue, the client's
    record, or back to the item with the reason it was refused)."""

    decision = None  # same_person, new_person, not_sure, different_people

    def post(self, request, pk):
        form = DecisionForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        item_url = reverse("possible_matches:detail", args=[pk])
        try:
            if self.decision == "same_person":
                outcome = services.possible_match_link(
                    possible_match_id=pk,
                    client_id=request.POST.get("client"),
                    staff=request.user,
                    note=note,
                )
                return self._done(request, outcome, gettext("Linked to %(client)s."))
            if self.decision == "new_person":
                outcome = services.possible_match_new_person(
                    possible_match_id=pk, staff=request.user, note=note
                )
                return self._done(
                    request, outcome, gettext("Created a new client record for %(client)s.")
                )
            if self.decision == "not_sure":
                services.possible_match_not_sure(
                    possible_match_id=pk, staff=request.user, note=note
                )
                messages.success(request, gettext("Marked “Not sure yet”: it stays in the queue."))
            else:
                services.possible_match_different_people(
                    possible_match_id=pk, staff=request.user, note=note
                )
                messages.success(
                    request, gettext("Recorded as two different people; both records stay.")
                )
        except services.DecisionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(item_url)
        except (ValueError, TypeError):  # a malformed client id in the form
            messages.error(request, gettext("Choose one of the candidates."))
            return redirect(item_url)
        return redirect("possible_matches:index")

    def _done(self, request, outcome, sentence):
        client = outcome["client"]
        recorded = outcome["recorded"]
        text = (sentence % {"client": client}) + (
            gettext(" Recorded: %(services)s.") % {"services": "; ".join(recorded)}
            if recorded
            else gettext(" No services to record.")
        )
        messages.success(request, text)
        for warning in outcome["warnings"]:
            messages.warning(request, warning)
        return redirect(client_record_url(client))


class MergeChooseView(DeciderRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """ "Merge with another record": find the other record by name, date of birth or id."""

    template_name = "identity/merge_choose.html"
    header_icon = "resubmit"
    page_title = _("Merge with another record")

    @cached_property
    def client(self) -> Client:
        client = get_object_or_404(Client, pk=self.kwargs["client_id"])
        if client.merged_into_id:
            raise Http404(gettext("This record was merged into another one."))
        return client

    def get_breadcrumbs_items(self):
        return [
            {"url": client_record_url(self.client), "label": str(self.client)},
            {"url": "", "label": gettext("Merge with another record")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        context.update(
            client=self.client,
            query=query,
            found=selectors.merge_partners_search(client=self.client, query=query),
        )
        return context


class MergeView(DeciderRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The two records side by side: which one stays, whose value of each differing field
    is kept, and why. POST merges."""

    template_name = "identity/merge.html"
    header_icon = "resubmit"
    page_title = _("Merge two records of one person")

    @cached_property
    def pair(self) -> tuple[Client, Client]:
        first = get_object_or_404(Client, pk=self.kwargs["client_id"])
        second = get_object_or_404(Client, pk=self.kwargs["other_id"])
        return first, second

    def get_breadcrumbs_items(self):
        first, _ = self.pair
        return [
            {"url": client_record_url(first), "label": str(first)},
            {"url": "", "label": gettext("Merge")},
        ]

    def _form(self, data=None):
        first, second = self.pair
        comparison = selectors.merge_comparison(
            first=first,
            second=second,
            hidden_fields=hidden_fields_of(self.request.user, lambda: [first, second]),
        )
        form = MergeForm(
            data,
            first=first,
            second=second,
            differing=[row["name"] for row in comparison if row["differs"]],
        )
        return form, comparison

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        first, second = self.pair
        built, comparison = self._form()
        form = form or built
        for row in comparison:
            row["field"] = form[f"keep_{row['name']}"] if row["differs"] else None
        people = selectors.client_people(
            [first, second], hidden_programs=access.confidential_programs_hidden(self.request.user)
        )
        context.update(
            first=first,
            second=second,
            first_extra=people[first.pk],
            second_extra=people[second.pk],
            comparison=comparison,
            form=form,
            possible_match_id=self.request.GET.get("possible_match", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        form, _ = self._form(request.POST)
        if not form.is_valid():
            messages.error(
                request, gettext("Choose the record that stays and say why they are one person.")
            )
            return self.render_to_response(self.get_context_data(form=form))
        try:
            merge = services.clients_merge(
                **form.merge_arguments(),
                staff=request.user,
                possible_match_id=request.POST.get("possible_match") or None,
            )
        except services.DecisionRefused as refusal:
            messages.error(request, str(refusal))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            gettext(
                "Merged: this record now holds both records' enrollments, intakes, discharges, "
                "restrictions and ids. The other record leads here. You can undo the merge below."
            ),
        )
        return redirect(client_record_url(merge.survivor))


class UnmergeView(DeciderRequiredMixin, View):
    def post(self, request, merge_id):
        merge = get_object_or_404(ClientMerge.objects.select_related("survivor"), pk=merge_id)
        try:
            services.client_merge_undo(merge_id=merge.pk, staff=request.user)
        except services.DecisionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(client_record_url(merge.survivor))
        messages.success(request, gettext("Merge undone: both records are back as they were."))
        return redirect(client_record_url(merge.survivor))
