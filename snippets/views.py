"""Admin views the registry adds on top of Wagtail's snippet views."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import CopyViewMixin
from wagtail.locks import WorkflowLock
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, InspectView

from access import selectors as access
from access.services import client_sharing_consent_record
from approvals import selectors as approvals_selectors
from approvals.services import can_decide

from . import selectors, services
from .models import ClientRecordAccess, DemographicQuestion, Program, SharingConsent


def _staff_name(staff) -> str:
    return (staff.get_full_name() or staff.email) if staff is not None else gettext("someone")


def pending_change_notice(request, record):
    """The sentence, with its link, saying whose change to ``record`` awaits a decision."""
    change = approvals_selectors.open_change_for(record)
    if change is None:
        return None
    sent = timezone.localtime(change.requested_at).strftime("%Y-%m-%d %H:%M")
    if change.requested_by_id == request.user.pk:
        return format_html(
            gettext(
                "Your change, sent {sent}, is waiting for a Coordinator's decision. "
                '<a href="{url}">See it in Approvals</a>.'
            ),
            sent=sent,
            url=reverse("approvals:detail", args=[change.change_id]),
        )
    if can_decide(request.user):
        return format_html(
            gettext(
                "A change by {name}, sent {sent}, is waiting for a Coordinator's decision; "
                'this page shows the live record. <a href="{url}">See the change in '
                "Approvals</a>."
            ),
            name=_staff_name(change.requested_by),
            sent=sent,
            url=reverse("approvals:detail", args=[change.change_id]),
        )
    return format_html(
        gettext("A change by {name}, sent {sent}, is waiting for a Coordinator's decision."),
        name=_staff_name(change.requested_by),
        sent=sent,
    )


class RegistryWorkflowLock(WorkflowLock):
    """Wagtail's lock on a record under review, explained in the agency's words."""

    def get_message(self, user):
        if not self.for_user(user):
            return None
        return capfirst(
            gettext(
                "this %(record)s is waiting for a Coordinator's decision: it can be "
                "changed again once the change is decided."
            )
            % {"record": self.model_name}
        )


class RegistryFormMixin:
    """What every registry create and edit form shares.

    Autosave is off: Wagtail 8 would post a half-filled form every half second, creating
    rows (on "Add") and drafts (on edit) nobody chose to save. A save here is always a
    choice: publish, send to a Coordinator, or keep as one's own draft.
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False

    def get_success_message(self, instance=None):
        record = instance or self.object
        name = {"name": f"{capfirst(self.model._meta.verbose_name)} '{record}'"}
        created = self.view_name == "create"
        action = self.action
        if action == "publish":
            if created:
                return gettext("%(name)s created and published.") % name
            return gettext("%(name)s published.") % name
        if action in ("submit", "restart-workflow"):
            if created:
                return gettext("%(name)s created and sent to a Coordinator for approval.") % name
            return gettext("%(name)s sent to a Coordinator for approval.") % name
        if action == "cancel-workflow":
            return (
                gettext("%(name)s: your change was withdrawn; it is kept as your draft, not sent.")
                % name
            )
        if action == "workflow-action":
            if getattr(self, "workflow_action", None) == "approve":
                return gettext("%(name)s: the change was approved and published.") % name
            return (
                gettext("%(name)s: the change was declined; the requester sees your reason.") % name
            )
        publisher = self.permission_policy.user_has_permission(self.request.user, "publish")
        if created:
            if publisher:
                return (
                    gettext("%(name)s created and saved as your draft; not yet published.") % name
                )
            return gettext("%(name)s created and saved as your draft; not yet sent.") % name
        if publisher:
            return gettext("%(name)s saved as your draft; not yet published.") % name
        return gettext("%(name)s saved as your draft; not yet sent.") % name


class RegistryCreateView(RegistryFormMixin, CreateView):
    pass


class RegistryCopyView(CopyViewMixin, RegistryCreateView):
    pass


class RegistryEditView(RegistryFormMixin, EditView):
    """The edit form of a registry record: each person's own version, never another's.

    Wagtail opens the latest revision, whoever wrote it, so a Coordinator's Publish would
    make a Manager's unsent draft live. Here the form starts from the person's own draft
    or open submission, else the live record (approvals.selectors.version_for_editor);
    a never-published record is its author's until they send it; and another person's
    unapproved version is never restored for publishing from the history.
    """

    def get_object(self, queryset=None):
        latest = super().get_object(queryset)  # sets self.live_object
        if not self.live_object.live and self.live_object.live_revision_id is None:
            return latest  # never published: the row holds its only version
        return approvals_selectors.version_for_editor(
            record=self.live_object, staff=self.request.user
        )

    def get_lock(self):
        lock = super().get_lock()
        if isinstance(lock, WorkflowLock) and not isinstance(lock, RegistryWorkflowLock):
            return RegistryWorkflowLock(lock.object, lock.task)
        return lock

    def get(self, request, *args, **kwargs):
        if refused := self._refused():
            return refused
        if notice := pending_change_notice(request, self.live_object):
            messages.warning(request, notice)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refused() or super().post(request, *args, **kwargs)

    def _refused(self):
        refusal = self._refusal()
        if refusal is None:
            return None
        message, url = refusal
        messages.error(self.request, message)
        return redirect(url)

    def _refusal(self):
        """(message, where to go) when this person may not edit this version, else None."""
        record, user = self.live_object, self.request.user
        revision = getattr(self, "revision", None)  # set when restoring an older version
        if revision is not None and approvals_selectors.revision_is_unapproved_work_of_another(
            revision=revision, staff=user
        ):
            return (
                gettext(
                    "That version is %(name)s's and was never approved; "
                    "it can reach the record only through Approvals."
                )
                % {"name": _staff_name(revision.user)},
                reverse(self.edit_url_name, args=[record.pk]),
            )
        if approvals_selectors.record_was_ever_live(record):
            return None
        author = approvals_selectors.draft_author(record)
        if author is None or author.pk == user.pk:
            return None
        change = approvals_selectors.open_change_for(record)
        if change is not None and can_decide(user):
            return (
                gettext(
                    "This new %(record)s by %(name)s is waiting for a decision: decide it here."
                )
                % {"record": record._meta.verbose_name, "name": _staff_name(author)},
                reverse("approvals:detail", args=[change.change_id]),
            )
        return (
            gettext(
                "This new %(record)s is %(name)s's draft, not yet sent: only its author can "
                "change it until a Coordinator approves it."
            )
            % {"record": record._meta.verbose_name, "name": _staff_name(author)},
            reverse(self.index_url_name),
        )


class RegistryInspectView(InspectView):
    """A registry record's read-only page, saying whose change awaits a decision."""

    def get(self, request, *args, **kwargs):
        if notice := pending_change_notice(request, self.object):
            messages.warning(request, notice)
        return super().get(request, *args, **kwargs)


class PrefillClientAndProgramMixin:
    """An add form opened from a client's (or program's) record starts with it filled in:
    ``?client=<id>`` and ``?program=<id>``."""

    prefill_fields = ("client", "program")

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        for name in self.prefill_fields:
            value = self.request.GET.get(name)
            if value and hasattr(instance, f"{name}_id"):
                try:
                    setattr(instance, f"{name}_id", uuid.UUID(value))
                except ValueError:
                    continue  # a malformed link leaves the field empty, never a 500
        return instance


class PrefilledCreateView(PrefillClientAndProgramMixin, RegistryCreateView):
    pass


class RestrictionBannerMixin:
    """Puts the client's restrictions in force today at the top of the page."""

    def restriction_client(self):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = self.restriction_client()
        if client is not None and client.pk:
            context["restrictions_in_force"] = list(selectors.restrictions_in_force(client=client))
        return context


class MergedRecordRedirectMixin:
    """A record merged into another (identity/) leads to the record that stayed: its
    record page and edit form open the survivor's."""

    merged_redirect_to = None  # "inspect" or "edit"

    def dispatch(self, request, *args, **kwargs):
        survivor_id = getattr(self.object, "merged_into_id", None)
        if survivor_id is None:
            return super().dispatch(request, *args, **kwargs)
        messages.info(request, gettext("This record was merged into this client's record."))
        return redirect(f"wagtailsnippets_snippets_client:{self.merged_redirect_to}", survivor_id)


# Each tab's add button, empty message and "see all" link on the client's record.
CLIENT_TAB_LABELS = {
    "intakes": (_("Add intake"), _("No intakes."), _("See all intakes")),
    "discharges": (_("Add discharge"), _("No discharges."), _("See all discharges")),
    "enrollments": (_("Add enrollment"), _("No enrollments."), _("See all enrollments")),
    "restrictions": (_("Add restriction"), _("No restrictions."), _("See all restrictions")),
}


class ClientInspectView(MergedRecordRedirectMixin, RestrictionBannerMixin, RegistryInspectView):
    """The client's record: demographics, then tabs of intakes, discharges, enrollments
    and restrictions, each with an add button pre-filled with the client."""

    merged_redirect_to = "inspect"

    def get(self, request, *args, **kwargs):
        services.client_access_record(
            staff=request.user, client=self.object, view=ClientRecordAccess.View.RECORD
        )
        return super().get(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Sensitive fields the reader's role is not granted are not shown at all.
        hidden = access.sensitive_fields_hidden(request.user, self.object)
        self.fields = [name for name in self.fields if name not in hidden]

    def get_languages_display_value(self):
        return ", ".join(self.object.languages) or "—"

    def get_extra_demographics_display_value(self):
        labels = dict(DemographicQuestion.objects.values_list("key", "label"))
        answers = self.object.extra_demographics or {}
        return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in answers.items()) or "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = selectors.client_record(
            client=self.object,
            visible=access.visible_program_condition(self.request.user, self.object),
        )
        context.update(record)
        context["tabs"] = [
            self._tab("intakes", gettext("Intakes"), "intake", record["intakes"]),
            self._tab("discharges", gettext("Discharges"), "discharge", record["discharges"]),
            self._tab(
                "enrollments",
                gettext("Enrollments"),
                "clientprogramenrollment",
                record["enrollments"],
            ),
            self._tab(
                "restrictions",
                gettext("Restrictions"),
                "servicerestriction",
                record["restrictions"],
            ),
        ]
        context["source_ids"] = list(self.object.source_ids.all())
        return context

    def _tab(self, key, title, model_name, rows):
        url_name = f"wagtailsnippets_snippets_{model_name}"
        query = f"?client={self.object.pk}"
        add_label, none_label, all_label = CLIENT_TAB_LABELS[key]
        return {
            "key": key,
            "title": title,
            "add_label": add_label,
            "none_label": none_label,
            "all_label": all_label,
            "rows": rows,
            "add_url": reverse(f"{url_name}:add") + query,
            "list_url": reverse(f"{url_name}:list") + query,
            "edit_url_name": f"{url_name}:edit",
            "inspect_url_name": f"{url_name}:inspect",
            "can_add": self.request.user.has_perm(f"snippets.add_{model_name}"),
        }


class SensitiveFieldsFormMixin:
    """The client form without the sensitive fields the staff member's role is not granted
    (access/selectors.py): they are neither shown nor changed by a save. A change of the
    consent choice records who made it and when."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        client = self.object if getattr(self, "object", None) is not None else form.instance
        for name in access.sensitive_fields_hidden(self.request.user, client):
            form.fields.pop(name, None)
        return form

    def form_valid(self, form):
        # A draft may be saved with required fields left empty (Wagtail defers them):
        # an empty consent answer stays "not asked yet".
        answer = form.cleaned_data.get("sharing_consent")
        if not form.instance.sharing_consent:
            form.instance.sharing_consent = SharingConsent.NOT_ASKED
        if answer and "sharing_consent" in form.changed_data:
            client_sharing_consent_record(
                client=form.instance, consent=answer, staff=self.request.user
            )
        return super().form_valid(form)


class ClientCreateView(SensitiveFieldsFormMixin, RegistryCreateView):
    def form_valid(self, form):
        # The creator keeps the record in their scope (access/selectors.py).
        form.instance.created_by = self.request.user
        return super().form_valid(form)


class ClientEditView(
    SensitiveFieldsFormMixin, MergedRecordRedirectMixin, RestrictionBannerMixin, RegistryEditView
):
    merged_redirect_to = "edit"

    def get(self, request, *args, **kwargs):
        services.client_access_record(
            staff=request.user, client=self.object, view=ClientRecordAccess.View.EDIT
        )
        return super().get(request, *args, **kwargs)


class ProgramInspectView(RegistryInspectView):
    """A program: its staff (managers marked), location, capacity, and who is enrolled
    today, paginated."""

    enrollments_per_page = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        program = selectors.programs_with_occupancy(
            Program.objects.filter(pk=self.object.pk), day=today
        ).get()
        current = (
            program.enrollments.live()
            .active_on(today)
            .filter(client__live=True)
            .select_related("client")
            .order_by("start_date", "client__last_name")
        )
        capacity = program.capacity_history.in_effect_on(today).first()
        page = Paginator(current, self.enrollments_per_page).get_page(self.request.GET.get("p"))
        context.update(
            program=program,
            staff_assignments=list(
                program.staff_assignments.select_related("staff").order_by(
                    "-is_manager", "staff__last_name"
                )
            ),
            enrollments_page=page,
            today=today,
            # The capacity in effect today, from the program's capacity history.
            capacity=capacity,
            vacant=None if capacity is None else capacity.capacity - program.occupied,
            capacity_history=list(
                program.capacity_history.order_by(F("effective_from").desc(nulls_last=True))
            ),
        )
        return context


class InstanceDeleteView(DeleteView):
    """Delete, allowed by the permission policy's rule for this record rather than for the
    record type: a restriction's author may discard their never-live draft, while
    restrictions as a type are never deleted."""

    def user_has_permission(self, permission):
        if permission == "delete":
            return self.user_has_permission_for_instance("delete", self.object)
        return super().user_has_permission(permission)

    def get_success_message(self):
        return gettext("Draft %(record)s discarded.") % {"record": self.object._meta.verbose_name}
