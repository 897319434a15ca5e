"""The registry's admin screens: one SnippetViewSet per record type, and the sidebar order.

Sidebar: Clients, Programs & Services, Departments, Enrollments (with intakes and
discharges), Restrictions. Later items (Approvals, Reports, Audit Log) use menu_order
from 150 up.
"""

import django_filters
from django import forms
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from audit.snippet_views import RecordEditView, RecordInspectView

from .forms import DemographicsWidget, LanguagesInput, SuggestingTextInput
from .models import (
    Client,
    ClientProgramEnrollment,
    DemographicQuestion,
    Department,
    Discharge,
    Intake,
    Program,
    RestrictionScope,
    ServiceRestriction,
)
from .models.client import GENDER_SUGGESTIONS, LANGUAGE_SUGGESTIONS, SEXUAL_ORIENTATION_SUGGESTIONS


class LiveStatusFilterSet(WagtailFilterSet):
    """Shared by every list: published records, or drafts awaiting publication."""

    live = django_filters.BooleanFilter(
        label="Published",
        widget=forms.Select(choices=[("", "Any"), ("true", "Published"), ("false", "Draft only")]),
    )


class RegistryViewSet(SnippetViewSet):
    """What every registry list shares: a view permission, plain database search."""

    inspect_view_enabled = True  # the read-only record page, and the "view" permission
    # Search the tables themselves (pg_trgm-indexed), not a separate search index, so
    # bulk imports are searchable at once.
    search_backend_name = None
    # The record's audit history, one click from the record (a header button).
    edit_view_class = RecordEditView
    inspect_view_class = RecordInspectView


# Departments -----------------------------------------------------------------------


class DepartmentFilterSet(LiveStatusFilterSet):
    class Meta:
        model = Department
        fields = ["live"]


class DepartmentViewSet(RegistryViewSet):
    model = Department
    icon = "group"
    menu_label = "Departments"
    menu_order = 120
    add_to_admin_menu = True
    list_display = ["name", "owner", "live", UpdatedAtColumn()]
    search_fields = ["name", "owner"]
    filterset_class = DepartmentFilterSet
    panels = [FieldPanel("name"), FieldPanel("owner")]


# Programs & Services ---------------------------------------------------------------


class ProgramFilterSet(LiveStatusFilterSet):
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.live())
    has_capacity = django_filters.BooleanFilter(
        field_name="capacity_current", lookup_expr="isnull", exclude=True, label="Has a capacity"
    )

    class Meta:
        model = Program
        fields = ["department", "has_capacity", "live"]


class ProgramViewSet(RegistryViewSet):
    model = Program
    icon = "home"
    menu_label = "Programs & Services"
    menu_order = 110
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("department", accessor="department", label="Department"),
        "location",
        Column("capacity_current", label="Capacity", sort_key="capacity_current"),
        "live",
    ]
    search_fields = ["name", "location"]
    filterset_class = ProgramFilterSet
    panels = [
        FieldPanel("name"),
        FieldPanel("department"),
        FieldPanel("location"),
        FieldRowPanel([FieldPanel("capacity_current"), FieldPanel("capacity_effective_date")]),
        InlinePanel(
            "staff_assignments",
            heading="Staff",
            label="Staff member",
            panels=[FieldPanel("staff"), FieldPanel("is_manager")],
        ),
    ]

    def get_queryset(self, request):
        return Program.objects.select_related("department")


# Clients -----------------------------------------------------------------------------


class ClientFilterSet(LiveStatusFilterSet):
    dob = django_filters.DateFilter(label="Date of birth")
    immigration_status = django_filters.ChoiceFilter(
        choices=Client._meta.get_field("immigration_status").choices
    )

    class Meta:
        model = Client
        fields = ["dob", "immigration_status", "live"]


class ClientViewSet(RegistryViewSet):
    model = Client
    icon = "user"
    menu_label = "Clients"
    menu_order = 100
    add_to_admin_menu = True
    copy_view_enabled = False  # a copied client would be a duplicate person
    list_display = ["__str__", "dob", "gender", "immigration_status", "live"]
    list_per_page = 50
    search_fields = ["first_name", "last_name", "source_ids__uid_external"]
    filterset_class = ClientFilterSet
    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldPanel("dob"),
        MultiFieldPanel(
            [
                FieldPanel("gender", widget=SuggestingTextInput(GENDER_SUGGESTIONS)),
                FieldPanel("languages", widget=LanguagesInput(LANGUAGE_SUGGESTIONS)),
                FieldPanel(
                    "sexual_orientation",
                    widget=SuggestingTextInput(SEXUAL_ORIENTATION_SUGGESTIONS),
                ),
                FieldPanel("immigration_status"),
                FieldPanel("extra_demographics", widget=DemographicsWidget),
            ],
            heading="Demographics",
        ),
        InlinePanel(
            "source_ids",
            heading="Ids in outside systems",
            label="Source id",
            panels=[FieldPanel("source"), FieldPanel("uid_external")],
        ),
    ]

    def get_queryset(self, request):
        # A search on source ids joins the child table; distinct keeps one row per client.
        return Client.objects.all().distinct() if request.GET.get("q") else Client.objects.all()


# Enrollments, intakes, discharges ------------------------------------------------------


class ClientProgramFilterSet(LiveStatusFilterSet):
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.live())


class EnrollmentFilterSet(ClientProgramFilterSet):
    active_on = django_filters.DateFilter(
        label="Active on", method="filter_active_on", help_text="Enrolled on this day."
    )
    start_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = ClientProgramEnrollment
        fields = ["program", "active_on", "start_date", "live"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)


class EnrollmentViewSet(RegistryViewSet):
    model = ClientProgramEnrollment
    icon = "date"
    menu_label = "Enrollments"
    list_display = ["client", "program", "start_date", "end_date", "live"]
    search_fields = ["client__first_name", "client__last_name", "program__name"]
    filterset_class = EnrollmentFilterSet
    panels = [
        FieldPanel("client"),
        FieldPanel("program"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    def get_queryset(self, request):
        return ClientProgramEnrollment.objects.select_related("client", "program")


class IntakeFilterSet(ClientProgramFilterSet):
    intake_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = Intake
        fields = ["program", "intake_date", "live"]


class IntakeViewSet(RegistryViewSet):
    model = Intake
    icon = "arrow-right"
    menu_label = "Intakes"
    list_display = ["client", "program", "intake_date", "source_system", "live"]
    search_fields = ["client__first_name", "client__last_name", "program__name"]
    filterset_class = IntakeFilterSet
    panels = [
        FieldPanel("client"),
        FieldPanel("program"),
        FieldPanel("intake_date"),
        FieldPanel("source_system"),
    ]

    def get_queryset(self, request):
        return Intake.objects.select_related("client", "program")


class DischargeFilterSet(ClientProgramFilterSet):
    discharge_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = Discharge
        fields = ["program", "discharge_date", "live"]


class DischargeViewSet(RegistryViewSet):
    model = Discharge
    icon = "arrow-left"
    menu_label = "Discharges"
    list_display = ["client", "program", "discharge_date", "reason", "live"]
    search_fields = ["client__first_name", "client__last_name", "program__name", "reason"]
    filterset_class = DischargeFilterSet
    panels = [
        FieldPanel("client"),
        FieldPanel("program"),
        FieldPanel("discharge_date"),
        FieldPanel("reason"),
    ]

    def get_queryset(self, request):
        return Discharge.objects.select_related("client", "program")


class EnrollmentGroup(SnippetViewSetGroup):
    items = (EnrollmentViewSet, IntakeViewSet, DischargeViewSet)
    menu_icon = "date"
    menu_label = "Enrollments"
    menu_name = "enrollments"
    menu_order = 130


# Restrictions ------------------------------------------------------------------------


class RestrictionPermissionPolicy(ModelPermissionPolicy):
    """Nobody deletes a restriction (kept at least 10 years); the database refuses too."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


class RestrictionFilterSet(LiveStatusFilterSet):
    scope = django_filters.ChoiceFilter(choices=RestrictionScope.choices)
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.live())
    start_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = ServiceRestriction
        fields = ["scope", "program", "start_date", "live"]


class RestrictionViewSet(RegistryViewSet):
    model = ServiceRestriction
    icon = "warning"
    menu_label = "Restrictions"
    menu_order = 140
    add_to_admin_menu = True
    list_display = ["client", "scope", "program", "start_date", "end_date", "live"]
    search_fields = ["client__first_name", "client__last_name", "reason"]
    filterset_class = RestrictionFilterSet
    panels = [
        FieldPanel("client"),
        FieldRowPanel([FieldPanel("scope"), FieldPanel("program")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason"),
    ]

    def get_queryset(self, request):
        return ServiceRestriction.objects.select_related("client", "program")


# Settings: the agency's extra demographic questions ----------------------------------


class DemographicQuestionViewSet(ModelViewSet):
    model = DemographicQuestion
    icon = "list-ul"
    menu_label = "Demographic questions"
    add_to_settings_menu = True
    list_display = ["label", "key", BooleanColumn("choices", label="Has a list")]
    form_fields = ["label", "key", "help_text", "choices", "sort_order"]
    copy_view_enabled = False
