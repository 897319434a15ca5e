"""The registry's admin screens: one SnippetViewSet per record type, and the sidebar order.

Sidebar: Clients, Programs & Services, Departments, Enrollments (with intakes and
discharges), Restrictions. Later items (Approvals, Reports, Audit Log) use menu_order
from 150 up.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from audit.snippet_views import with_record_history

from . import selectors
from .forms import DemographicsWidget, LanguagesInput, RestrictionScopeSelect, SuggestingTextInput
from .models import (
    Client,
    ClientProgramEnrollment,
    ClientRecordAccess,
    DemographicQuestion,
    Department,
    Discharge,
    Intake,
    Program,
    RestrictionScope,
    ServiceRestriction,
)
from .models.client import GENDER_SUGGESTIONS, LANGUAGE_SUGGESTIONS, SEXUAL_ORIENTATION_SUGGESTIONS
from .views import (
    ClientEditView,
    ClientInspectView,
    PrefilledCreateView,
    ProgramInspectView,
)


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
    # Related records each list row shows, fetched with the rows.
    list_select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = self.model.objects.all()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset.for_listing()

    def construct_view(self, view_class, **kwargs):
        # Edit and inspect pages carry the record's "Change history" (its audit log).
        return super().construct_view(with_record_history(view_class), **kwargs)


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
    list_display = ["name", "owner", UpdatedAtColumn()]
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
        Column("occupied", label="Enrolled today", sort_key="occupied"),
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

    inspect_view_class = ProgramInspectView

    list_select_related = ("department",)

    def get_queryset(self, request):
        return selectors.programs_with_occupancy(super().get_queryset(request))


# Clients -----------------------------------------------------------------------------


class ClientFilterSet(LiveStatusFilterSet):
    program = django_filters.ModelChoiceFilter(
        queryset=Program.objects.live(), label="Ever enrolled in", method="filter_program"
    )
    enrolled_today = django_filters.BooleanFilter(
        label="Enrolled today", method="filter_enrolled_today"
    )
    restricted_today = django_filters.BooleanFilter(
        label="Restricted today", method="filter_restricted_today"
    )
    dob = django_filters.DateFilter(label="Date of birth")
    immigration_status = django_filters.ChoiceFilter(
        choices=Client._meta.get_field("immigration_status").choices
    )

    class Meta:
        model = Client
        fields = [
            "program",
            "enrolled_today",
            "restricted_today",
            "dob",
            "immigration_status",
            "live",
        ]

    def filter_program(self, queryset, name, value):
        enrolled = ClientProgramEnrollment.objects.live().filter(
            client=OuterRef("pk"), program=value
        )
        return queryset.filter(Exists(enrolled))

    def filter_enrolled_today(self, queryset, name, value):
        enrolled = (
            ClientProgramEnrollment.objects.live()
            .active_on(timezone.localdate())
            .filter(client=OuterRef("pk"))
        )
        return queryset.filter(Exists(enrolled)) if value else queryset.exclude(Exists(enrolled))

    def filter_restricted_today(self, queryset, name, value):
        restricted = (
            ServiceRestriction.objects.live()
            .active_on(timezone.localdate())
            .filter(client=OuterRef("pk"))
        )
        return (
            queryset.filter(Exists(restricted)) if value else queryset.exclude(Exists(restricted))
        )


class ClientIndexView(IndexView):
    """Search by name (typos and word order tolerated), date of birth or any source id."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        found = selectors.client_search(query=self.search_query, queryset=queryset)
        # Best matches first, unless staff sorted by a column.
        return self.order_queryset(found) if self.is_explicitly_ordered else found


class ClientViewSet(RegistryViewSet):
    model = Client
    icon = "user"
    menu_label = "Clients"
    menu_order = 100
    add_to_admin_menu = True
    copy_view_enabled = False  # a copied client would be a duplicate person
    list_display = ["__str__", "dob", "gender", "immigration_status"]
    list_per_page = 50
    search_fields = ["search_name"]  # enables the search box; ClientIndexView does the search
    filterset_class = ClientFilterSet
    index_view_class = ClientIndexView
    inspect_view_class = ClientInspectView
    edit_view_class = ClientEditView
    inspect_view_fields = [
        "first_name",
        "middle_name",
        "last_name",
        "dob",
        "postal_code",
        "street_address",
        "phone",
        "gender",
        "languages",
        "sexual_orientation",
        "immigration_status",
        "extra_demographics",
    ]
    panels = [
        FieldRowPanel(
            [FieldPanel("first_name"), FieldPanel("middle_name"), FieldPanel("last_name")]
        ),
        FieldPanel("dob"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("phone")]),
            ],
            heading="Address and phone",
        ),
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


# Enrollments, intakes, discharges ------------------------------------------------------


class ClientProgramFilterSet(LiveStatusFilterSet):
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.live())
    # By id: the client's record links here ("See all"); a drop-down of every client
    # would not scale to a city's registry.
    client = django_filters.UUIDFilter(field_name="client", label="Client id")


class ClientRecordViewSet(RegistryViewSet):
    """Records that belong to a client: added from the client's record, pre-filled."""

    add_view_class = PrefilledCreateView


class EnrollmentFilterSet(ClientProgramFilterSet):
    active_on = django_filters.DateFilter(
        label="Active on", method="filter_active_on", help_text="Enrolled on this day."
    )
    start_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = ClientProgramEnrollment
        fields = ["program", "client", "active_on", "start_date", "live"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)


class EnrollmentViewSet(ClientRecordViewSet):
    model = ClientProgramEnrollment
    icon = "date"
    menu_label = "Enrollments"
    list_display = ["client", "program", "start_date", "end_date"]
    search_fields = ["client__first_name", "client__last_name", "program__name"]
    filterset_class = EnrollmentFilterSet
    panels = [
        FieldPanel("client"),
        FieldPanel("program"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    list_select_related = ("client", "program")


class IntakeFilterSet(ClientProgramFilterSet):
    intake_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = Intake
        fields = ["program", "client", "intake_date", "live"]


class IntakeViewSet(ClientRecordViewSet):
    model = Intake
    icon = "arrow-right"
    menu_label = "Intakes"
    list_display = ["client", "program", "intake_date", "source_system"]
    search_fields = ["client__first_name", "client__last_name", "program__name"]
    filterset_class = IntakeFilterSet
    panels = [
        FieldPanel("client"),
        FieldPanel("program"),
        FieldPanel("intake_date"),
        FieldPanel("source_system"),
    ]

    list_select_related = ("client", "program")


class DischargeFilterSet(ClientProgramFilterSet):
    discharge_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = Discharge
        fields = ["program", "client", "discharge_date", "live"]


class DischargeViewSet(ClientRecordViewSet):
    model = Discharge
    icon = "arrow-left"
    menu_label = "Discharges"
    list_display = ["client", "program", "discharge_date", "reason"]
    search_fields = ["client__first_name", "client__last_name", "program__name", "reason"]
    filterset_class = DischargeFilterSet
    panels = [
        FieldPanel("client"),
        FieldPanel("program"),
        FieldPanel("discharge_date"),
        FieldPanel("reason"),
    ]

    list_select_related = ("client", "program")


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


class RestrictionFilterSet(ClientProgramFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status today",
        choices=[("active", "Active"), ("expired", "Expired"), ("upcoming", "Not yet started")],
        method="filter_status",
    )
    scope = django_filters.ChoiceFilter(choices=RestrictionScope.choices)
    start_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = ServiceRestriction
        fields = ["status", "scope", "program", "client", "start_date", "live"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "active":
            return queryset.active_on(today)
        if value == "expired":
            return queryset.filter(end_date__lt=today)
        return queryset.filter(start_date__gt=today)


class RestrictionStatusColumn(Column):
    """Active, Expired or Not yet started, by today's date."""

    def get_value(self, instance):
        today = timezone.localdate()
        if instance.start_date > today:
            return "Not yet started"
        if instance.end_date and instance.end_date < today:
            return "Expired"
        return "Active"


class RestrictionViewSet(ClientRecordViewSet):
    model = ServiceRestriction
    icon = "warning"
    menu_label = "Restrictions"
    menu_order = 140
    add_to_admin_menu = True
    list_display = [
        "client",
        RestrictionStatusColumn("restriction_status", label="Status today"),
        "scope",
        "program",
        "start_date",
        "end_date",
    ]
    search_fields = ["client__first_name", "client__last_name", "reason"]
    filterset_class = RestrictionFilterSet
    panels = [
        FieldPanel("client"),
        FieldRowPanel([FieldPanel("scope", widget=RestrictionScopeSelect), FieldPanel("program")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason"),
    ]

    list_select_related = ("client", "program")


# Settings: the agency's extra demographic questions ----------------------------------


class DemographicQuestionViewSet(ModelViewSet):
    model = DemographicQuestion
    icon = "list-ul"
    menu_label = "Demographic questions"
    add_to_settings_menu = True
    list_display = ["label", "key", BooleanColumn("choices", label="Has a list")]
    form_fields = ["label", "key", "help_text", "choices", "sort_order"]
    copy_view_enabled = False


# Settings: who opened which client record ----------------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The access log is written by the system only: staff may view it, never change it."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class ClientRecordAccessFilterSet(WagtailFilterSet):
    accessed_at = django_filters.DateFromToRangeFilter(
        label="Opened between", widget=DateRangePickerWidget
    )
    client = django_filters.UUIDFilter(field_name="client", label="Client id")

    class Meta:
        model = ClientRecordAccess
        fields = ["staff", "client", "view", "accessed_at"]


class ClientRecordAccessViewSet(ModelViewSet):
    model = ClientRecordAccess
    icon = "view"
    menu_label = "Client record access log"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("accessed_at", label="Opened at", sort_key="accessed_at"),
        "staff",
        Column("client", label="Client"),
        "view",
    ]
    search_fields = ["client__search_name", "staff__email", "staff__last_name"]
    filterset_class = ClientRecordAccessFilterSet
    list_per_page = 50
    form_fields = []

    def get_queryset(self, request):
        return ClientRecordAccess.objects.select_related("staff", "client")
