"""Admin views the registry adds on top of Wagtail's snippet views."""

import uuid

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView

from access import selectors as access
from access.services import client_sharing_consent_record

from . import selectors, services
from .models import ClientRecordAccess, DemographicQuestion, Program, SharingConsent


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


class PrefilledCreateView(PrefillClientAndProgramMixin, CreateView):
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


class ClientInspectView(RestrictionBannerMixin, InspectView):
    """The client's record: demographics, then tabs of intakes, discharges, enrollments
    and restrictions, each with an add button pre-filled with the client."""

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
            self._tab("intakes", "Intakes", "intake", record["intakes"]),
            self._tab("discharges", "Discharges", "discharge", record["discharges"]),
            self._tab(
                "enrollments", "Enrollments", "clientprogramenrollment", record["enrollments"]
            ),
            self._tab("restrictions", "Restrictions", "servicerestriction", record["restrictions"]),
        ]
        context["source_ids"] = list(self.object.source_ids.all())
        return context

    def _tab(self, key, title, model_name, rows):
        url_name = f"wagtailsnippets_snippets_{model_name}"
        query = f"?client={self.object.pk}"
        return {
            "key": key,
            "title": title,
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


class ClientCreateView(SensitiveFieldsFormMixin, CreateView):
    def form_valid(self, form):
        # The creator keeps the record in their scope (access/selectors.py).
        form.instance.created_by = self.request.user
        return super().form_valid(form)


class ClientEditView(SensitiveFieldsFormMixin, RestrictionBannerMixin, EditView):
    def get(self, request, *args, **kwargs):
        services.client_access_record(
            staff=request.user, client=self.object, view=ClientRecordAccess.View.EDIT
        )
        return super().get(request, *args, **kwargs)


class ProgramInspectView(InspectView):
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
            vacant=None
            if program.capacity_current is None
            else program.capacity_current - program.occupied,
        )
        return context
