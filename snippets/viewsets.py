"""The registry's admin screens: one SnippetViewSet per record type, and the sidebar order.

Sidebar: Clients, Programs & Services, Departments, Enrollments (with intakes and
discharges), Restrictions. Later items (Approvals, Reports, Audit Log) use menu_order
from 150 up.
"""

import datetime

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from access import selectors as access
from access.choosers import ScopedChooserViewSet
from access.views import (
    NeedToKnowMixin,
    SensitiveFieldsComparisonMixin,
    VisibleUsageMixin,
    limited_card_url,
)
from approvals.selectors import draft_discardable_by
from audit.snippet_views import with_record_history
from registry.translation import YesNoColumn, updated_at_column

from . import selectors
from .forms import (
    ClientForm,
    DemographicsWidget,
    LanguagesInput,
    ProgramForm,
    RestrictionScopeSelect,
    SourceSystemSelect,
    SuggestingTextInput,
)
from .listing import (
    PlainCellMixin,
    PlainColumn,
    ProgramChooser,
    ProgramSelect,
    RenderedOnceCellMixin,
    RenderedOnceCheckboxColumn,
    RowsInOnePassTable,
)
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
    SharingConsent,
    SourceSystem,
)
from .models.client import (
    CLIENT_DEMOGRAPHIC_FIELDS,
    GENDER_SUGGESTIONS,
    LANGUAGE_SUGGESTIONS,
    SEXUAL_ORIENTATION_SUGGESTIONS,
)
from .pagination import EstimatingPaginator
from .views import (
    ClientCreateView,
    ClientEditView,
    ClientInspectView,
    InstanceDeleteView,
    PrefilledCreateView,
    ProgramInspectView,
    RegistryCopyView,
    RegistryCreateView,
    RegistryEditView,
    RegistryInspectView,
)

# The widgets of the client's demographic fields that are not Django's default for them:
# suggestions, as clients self-describe. The fields themselves: CLIENT_DEMOGRAPHIC_FIELDS.
DEMOGRAPHIC_WIDGETS = {
    "gender": SuggestingTextInput(GENDER_SUGGESTIONS),
    "languages": LanguagesInput(LANGUAGE_SUGGESTIONS),
    "sexual_orientation": SuggestingTextInput(SEXUAL_ORIENTATION_SUGGESTIONS),
}


class LiveStatusFilterSet(WagtailFilterSet):
    """Shared by every list: published records, or drafts awaiting publication."""

    live = django_filters.BooleanFilter(
        label=_("Published"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Published")), ("false", _("Draft only"))]
        ),
    )


class RegistryIndexView(IndexView):
    """A registry list: counts estimated past a limit, so a page of millions stays cheap."""

    paginator_class = EstimatingPaginator


class RegistryViewSet(SnippetViewSet):
    """What every registry list shares: a view permission, plain database search."""

    index_view_class = RegistryIndexView
    inspect_view_enabled = True  # the read-only record page, and the "view" permission
    # Forms without autosave that open each person's own version (snippets/views.py).
    add_view_class = RegistryCreateView
    copy_view_class = RegistryCopyView
    edit_view_class = RegistryEditView
    inspect_view_class = RegistryInspectView
    # Search the tables themselves (pg_trgm-indexed), not a separate search index, so
    # bulk imports are searchable at once.
    search_backend_name = None
    # Related records each list row shows, fetched with the rows.
    list_select_related: tuple[str, ...] = ()
    # The chooser a form opens to pick a record, and its data endpoints, follow the list's
    # need-to-know rule (access/choosers.py).
    chooser_viewset_class = ScopedChooserViewSet
    # A diff of revisions leaves out the sensitive fields the reader is not granted; what
    # refers to a record leaves out the rows of programs the reader may not see.
    revisions_compare_view_class = type(
        "RevisionsCompareView",
        (SensitiveFieldsComparisonMixin, snippet_views.RevisionsCompareView),
        {},
    )
    usage_view_class = type("UsageView", (VisibleUsageMixin, snippet_views.UsageView), {})

    # The rows' moderation state (workflow in progress, scheduled publication), fetched
    # with the page for the lists whose rows show it.
    list_moderation_state = True

    @property
    def breadcrumbs_items(self):
        # Wagtail's SnippetViewSet builds "Home" with gettext when the views are made, at
        # start-up, so it stays English for everyone; this one is lazy: the reader's language.
        return [{"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")}]

    def get_queryset(self, request):
        queryset = self.model.objects.all()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        queryset = self.need_to_know(request, queryset)
        return queryset.for_listing() if self.list_moderation_state else queryset

    def need_to_know(self, request, queryset):
        """The rows ``request.user`` may list (access/selectors.py). Records of a client
        (enrollments, intakes, discharges, restrictions): only those of clients in the staff
        member's scope, and none of a confidential program they do not staff."""
        if not hasattr(self.model, "client_id"):
            return queryset
        scope = access.staff_scope(request.user)
        if scope.program_scoped:
            queryset = queryset.filter(access.in_scope_filter(scope, client_field="client_id"))
        hidden = scope.confidential_program_ids - scope.program_ids
        if hidden and not scope.administrator and hasattr(self.model, "program_id"):
            queryset = queryset.exclude(program_id__in=list(hidden))
        if scope.program_scoped and hasattr(self.model, "program_id"):
            # A client who chose "own programs only" shows program staff only the services
            # of their own programs, in the lists as on the record.
            queryset = queryset.filter(access.consent_shares_condition(scope))
        return queryset

    def construct_view(self, view_class, **kwargs):
        # Edit and inspect pages carry the record's "Change history" (its audit log); every
        # view of one record applies the need-to-know rule first.
        view_class = type(view_class.__name__, (NeedToKnowMixin, view_class), {})
        return super().construct_view(with_record_history(view_class), **kwargs)


# Departments -----------------------------------------------------------------------


class DepartmentFilterSet(LiveStatusFilterSet):
    class Meta:
        model = Department
        fields = ["live"]


class DepartmentViewSet(RegistryViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    menu_order = 120
    add_to_admin_menu = True
    list_display = ["name", "owner", updated_at_column()]
    search_fields = ["name", "owner"]
    filterset_class = DepartmentFilterSet
    panels = [FieldPanel("name"), FieldPanel("owner")]


# Programs & Services ---------------------------------------------------------------


class ProgramFilterSet(LiveStatusFilterSet):
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.live())
    has_capacity = django_filters.BooleanFilter(
        label=_("Has a capacity today"), method="filter_has_capacity"
    )

    class Meta:
        model = Program
        fields = ["department", "has_capacity", "live"]

    def filter_has_capacity(self, queryset, name, value):
        # The capacity in effect today, from the capacity history (programs_with_occupancy).
        if value is None:
            return queryset
        return queryset.filter(capacity_today__isnull=not value)


class ProgramViewSet(RegistryViewSet):
    model = Program
    icon = "home"
    menu_label = _("Programs & Services")
    menu_order = 110
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("department", accessor="department", label=_("Department")),
        "location",
        Column("capacity_today", label=_("Capacity today"), sort_key="capacity_today"),
        Column("occupied", label=_("Enrolled today"), sort_key="occupied"),
    ]
    search_fields = ["name", "location"]
    filterset_class = ProgramFilterSet
    panels = [
        FieldPanel("name"),
        FieldPanel("department"),
        FieldPanel("location"),
        # The columns the capacity history replaced (issue 16, data migration 0019): still
        # on the form until they are dropped, folded away and said to be read by nothing.
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("capacity_current"), FieldPanel("capacity_effective_date")]
                )
            ],
            heading=_("Former capacity fields"),
            help_text=_(
                "No longer read: the reports, the Programs list and the program's page use "
                "the capacity history below. Change the capacity there."
            ),
            classname="collapsed",
        ),
        # What the reports and the program's page use: the capacity in effect on the day.
        InlinePanel(
            "capacity_history",
            heading=_("Capacity history"),
            label=_("Capacity period"),
            panels=[
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("effective_from"),
                        FieldPanel("effective_to"),
                    ]
                )
            ],
        ),
        InlinePanel(
            "staff_assignments",
            heading=_("Staff"),
            label=_("Staff member"),
            panels=[FieldPanel("staff"), FieldPanel("is_manager")],
        ),
    ]

    inspect_view_class = ProgramInspectView

    list_select_related = ("department",)

    def get_edit_handler(self):
        # ProgramForm refuses overlapping capacity periods with a message (snippets/forms.py).
        return ObjectList(self.panels, base_form_class=ProgramForm).bind_to_model(self.model)

    def get_queryset(self, request):
        return selectors.programs_with_occupancy(super().get_queryset(request))


# Clients -----------------------------------------------------------------------------


# "Ever enrolled in" a program with up to this many clients filters by their ids.
CLIENT_IDS_UP_TO = 5_000


class ClientFilterSet(LiveStatusFilterSet):
    # Its drilldown is the same HTML for everyone with the same fields and language (no
    # drop-down of database rows: the program is a chooser), cached (snippets/listing.py).
    renders_alike = True

    program = django_filters.ModelChoiceFilter(
        queryset=Program.objects.live(),
        label=_("Ever enrolled in"),
        method="filter_program",
        widget=ProgramChooser,
    )
    enrolled_today = django_filters.BooleanFilter(
        label=_("Enrolled today"), method="filter_enrolled_today"
    )
    restricted_today = django_filters.BooleanFilter(
        label=_("Restricted today"), method="filter_restricted_today"
    )
    dob = django_filters.DateFilter(label=_("Date of birth"))
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

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Filtering by a sensitive field would reveal it (a search lists clients outside
        # the reader's scope): only roles granted the field agency-wide may filter by it.
        scope = access.staff_scope(request.user) if request is not None else None
        for name in ("immigration_status",):
            if scope is None or not access.sensitive_field_granted(scope, name, own_client=False):
                self.filters.pop(name, None)

    def filter_program(self, queryset, name, value):
        # Who a program served is a fact about its clients: nobody learns it of a
        # confidential program they do not staff, and program staff do not learn it of a
        # client who chose "own programs only" for a program not theirs.
        user = getattr(self.request, "user", None)
        if user is not None and value.pk in access.confidential_programs_hidden(user):
            return queryset.filter(pk__isnull=True)  # none (the paginator estimates its SQL)
        scope = access.staff_scope(user) if user is not None else None
        if scope is not None and scope.program_scoped and value.pk not in scope.program_ids:
            queryset = queryset.exclude(sharing_consent=SharingConsent.OWN_PROGRAMS)
        enrolled = ClientProgramEnrollment.objects.live().filter(program=value)
        # A program's clients are a few thousand of a million: fetched first (from the
        # program's index), they are sorted by name in a moment. As a subquery PostgreSQL
        # would walk the clients in name order probing each one's enrollments instead.
        ids = list(enrolled.values_list("client_id", flat=True).distinct()[: CLIENT_IDS_UP_TO + 1])
        if len(ids) <= CLIENT_IDS_UP_TO:
            return selectors.with_ids(queryset, ids)
        return queryset.filter(Exists(enrolled.filter(client=OuterRef("pk"))))

    # Probed client by client (access.ProbedExists), never hashed: a program-scoped
    # reader's list is a few thousand clients by id, and hashing everyone enrolled today
    # to check them read 460,000 enrollments.
    def filter_enrolled_today(self, queryset, name, value):
        enrolled = access.ProbedExists(
            ClientProgramEnrollment.objects.live()
            .active_on(timezone.localdate())
            .filter(client=OuterRef("pk"))
        )
        return queryset.filter(enrolled) if value else queryset.exclude(enrolled)

    def filter_restricted_today(self, queryset, name, value):
        restricted = access.ProbedExists(
            ServiceRestriction.objects.live()
            .active_on(timezone.localdate())
            .filter(client=OuterRef("pk"))
        )
        return queryset.filter(restricted) if value else queryset.exclude(restricted)


class ClientRecordLinkMixin:
    """The client's name in a list opens the person's record (the tabs), never the edit
    form; editing is a button on the record and in the row's menu."""

    def get_client_record_url(self, instance):
        person = instance if isinstance(instance, Client) else instance.client
        return reverse("wagtailsnippets_snippets_client:inspect", args=[person.pk])

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return self._get_custom_column(
            field_name,
            self._get_title_column_class(column_class),
            get_url=self.get_client_record_url,
            **kwargs,
        )


class ClientTitleColumn(RenderedOnceCellMixin, TitleColumn):
    """The client's name, linking to the record, with the row's menu; a row outside the
    reader's scope says so next to the name, has no menu, and is rendered on its own."""

    cell_template_name = "snippets/tables/client_title_cell.html"

    def renders_once(self, instance) -> bool:
        return bool(getattr(instance, "in_scope", True)) and super().renders_once(instance)


class ClientIndexView(ClientRecordLinkMixin, RegistryIndexView):
    """Search by name (typos and word order tolerated), date of birth or any source id.

    A program-scoped staff member lists the clients of their programs; a search finds
    anyone, but a client outside their scope shows only name, date of birth and today's
    restriction status, and links to the limited card (access/), never to the record.
    """

    table_class = RowsInOnePassTable

    def get_client_record_url(self, instance):
        if not getattr(instance, "in_scope", True):
            return limited_card_url(instance)
        return super().get_client_record_url(instance)

    def get_edit_url(self, instance):
        if not getattr(instance, "in_scope", True):
            return limited_card_url(instance)
        return super().get_edit_url(instance)

    def get_inspect_url(self, instance):
        if not getattr(instance, "in_scope", True):
            return limited_card_url(instance)
        return super().get_inspect_url(instance)

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The title id is what the row's checkbox is described by (Wagtail's snippet
        # lists pass it; ClientRecordLinkMixin's title column did not).
        return super()._get_title_column(
            field_name,
            ClientTitleColumn,
            get_title_id=lambda instance: f"snippet_{quote(instance.pk)}_title",
            **kwargs,
        )

    @cached_property
    def columns(self):
        # Wagtail's snippet list puts its bulk-action checkbox first; this one renders once.
        checkbox, *rest = super().columns
        return [RenderedOnceCheckboxColumn(checkbox.name, obj_type=checkbox.obj_type), *rest]

    def get_list_buttons(self, instance):
        # Edit, history and the rest would all lead to the limited card: no menu at all.
        if not getattr(instance, "in_scope", True):
            return []
        return super().get_list_buttons(instance)

    def search_queryset(self, queryset):
        if not self.is_searching:
            # Without a search, program-scoped staff list only the clients of their
            # programs; a search finds anyone, shown as a limited row (ClientNameColumn).
            return access.clients_in_scope(self.request.user, queryset)
        found = selectors.client_search(query=self.search_query, queryset=queryset)
        # Best matches first, unless staff sorted by a column.
        return self.order_queryset(found) if self.is_explicitly_ordered else found


class ScopedColumn(PlainCellMixin, Column):
    """A client list column that stays empty on rows outside the reader's scope (a search
    result shows only name, date of birth and restriction status), and for a sensitive
    field, wherever the reader's role is not granted it."""

    def __init__(self, name, *, sensitive=False, **kwargs):
        super().__init__(name, **kwargs)
        self.sensitive = sensitive
        self._choice_labels = {}

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        shown = getattr(instance, "in_scope", True)
        if shown and self.sensitive:
            request = parent_context.get("request")
            own = getattr(instance, "own_client", False)
            shown = request is not None and access.sensitive_field_granted(
                access.staff_scope(request.user), self.name, own_client=own
            )
        if not shown:
            context["value"] = ""
        return context

    def get_value(self, instance):
        value = super().get_value(instance)
        labels = self.choice_labels(instance)
        return labels.get(value, value) if labels is not None else value

    def choice_labels(self, instance) -> dict | None:
        """The field's choices' labels in the current language, made once per language
        (Django's get_FOO_display hashes every lazy label on every call)."""
        field = instance._meta.get_field(self.accessor)
        if not field.choices:
            return None
        key = (field, get_language())
        labels = self._choice_labels.get(key)
        if labels is None:
            labels = self._choice_labels[key] = {
                value: str(label) for value, label in field.flatchoices
            }
        return labels


class RestrictedTodayColumn(PlainCellMixin, Column):
    """Where the client is restricted today: "Whole agency" or the program's name, on
    every row, in scope or not, so the front desk sees it in a search result (issue 13).
    Reads the restrictions fetched with the page (ClientViewSet.get_queryset)."""

    def get_value(self, instance):
        return ", ".join(
            restriction.program.name if restriction.program_id else gettext("Whole agency")
            for restriction in getattr(instance, "restrictions_today", ())
        )


class ClientViewSet(RegistryViewSet):
    model = Client
    icon = "user"
    menu_label = _("Clients")
    menu_order = 100
    add_to_admin_menu = True
    copy_view_enabled = False  # a copied client would be a duplicate person
    list_display = [
        "__str__",
        PlainColumn(
            "dob", label=capfirst(Client._meta.get_field("dob").verbose_name), sort_key="dob"
        ),
        ScopedColumn("gender", label=capfirst(Client._meta.get_field("gender").verbose_name)),
        ScopedColumn(
            "immigration_status",
            label=capfirst(Client._meta.get_field("immigration_status").verbose_name),
            sensitive=True,
        ),
        RestrictedTodayColumn("restricted_today", label=gettext_lazy("Restricted today")),
    ]
    list_per_page = 50
    # No status column and no moderation button on a client's row: nothing reads the state
    # (a row that did would cost a query each, which tests/snippets pins).
    list_moderation_state = False
    search_fields = ["search_name"]  # enables the search box; ClientIndexView does the search
    filterset_class = ClientFilterSet
    index_view_class = ClientIndexView
    add_view_class = ClientCreateView
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
        *CLIENT_DEMOGRAPHIC_FIELDS,
        "extra_demographics",
        "sharing_consent",
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
            heading=_("Address and phone"),
        ),
        MultiFieldPanel(
            [
                *(
                    FieldPanel(name, widget=DEMOGRAPHIC_WIDGETS.get(name))
                    for name in CLIENT_DEMOGRAPHIC_FIELDS
                ),
                FieldPanel("extra_demographics", widget=DemographicsWidget),
            ],
            heading=_("Demographics"),
        ),
        FieldPanel("sharing_consent"),
        InlinePanel(
            "source_ids",
            heading=_("Ids in outside systems"),
            label=_("Source id"),
            panels=[FieldPanel("source", widget=SourceSystemSelect), FieldPanel("uid_external")],
        ),
    ]

    def get_edit_handler(self):
        # ClientForm explains unreadable "other demographics" (snippets/forms.py).
        return ObjectList(self.panels, base_form_class=ClientForm).bind_to_model(self.model)

    def get_queryset(self, request):
        # Each row knows whether the reader may open it (access/selectors.py), and comes
        # with the restrictions in force today that the reader may see (one query a page).
        restricted = Prefetch(
            "restrictions",
            queryset=access.restrictions_in_force_seen_by(request.user),
            to_attr="restrictions_today",
        )
        return access.with_scope_flag(request.user, super().get_queryset(request)).prefetch_related(
            restricted
        )


# Enrollments, intakes, discharges ------------------------------------------------------


class ClientProgramFilterSet(LiveStatusFilterSet):
    program = django_filters.ModelChoiceFilter(
        queryset=Program.objects.live(), widget=ProgramSelect
    )
    # By id: the client's record links here ("See all"); a drop-down of every client
    # would not scale to a city's registry.
    client = django_filters.UUIDFilter(field_name="client", label=_("Client id"))


class ClientRecordIndexView(ClientRecordLinkMixin, RegistryIndexView):
    """Searched by person with the client list's rule (selectors.client_search), or by
    program name."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return selectors.records_of_clients_matching(query=self.search_query, queryset=queryset)


class ClientRecordViewSet(RegistryViewSet):
    """Records that belong to a client: added from the client's record, pre-filled."""

    add_view_class = PrefilledCreateView
    index_view_class = ClientRecordIndexView
    # Enables the search box; ClientRecordIndexView does the search.
    search_fields = ["client__search_name", "program__name"]


class EnrollmentFilterSet(ClientProgramFilterSet):
    active_on = django_filters.DateFilter(
        label=_("Active on"), method="filter_active_on", help_text=_("Enrolled on this day.")
    )
    start_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)
    # The Org Summary's "served in the period" (its drill-down links here).
    served = django_filters.DateFromToRangeFilter(
        label=_("Enrolled during"),
        method="filter_served",
        widget=DateRangePickerWidget,
        help_text=_("Enrolled on at least one day of the period, both days included."),
    )

    class Meta:
        model = ClientProgramEnrollment
        fields = ["program", "client", "active_on", "start_date", "served", "live"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)

    def filter_served(self, queryset, name, value):
        if not value or not (value.start or value.stop):
            return queryset
        return queryset.overlapping(
            value.start or datetime.date.min, value.stop or datetime.date.max
        )


class EnrollmentViewSet(ClientRecordViewSet):
    model = ClientProgramEnrollment
    icon = "date"
    menu_label = _("Enrollments")
    list_display = ["client", "program", "start_date", "end_date"]
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
    menu_label = _("Intakes")
    list_display = ["client", "program", "intake_date", "source_system"]
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
    menu_label = _("Discharges")
    list_display = ["client", "program", "discharge_date", "reason"]
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
    menu_label = _("Enrollments")
    menu_name = "enrollments"
    menu_order = 130


# Restrictions ------------------------------------------------------------------------


class RestrictionPermissionPolicy(ModelPermissionPolicy):
    """Nobody deletes a restriction that was ever in force (kept at least 10 years; the
    database refuses too). Its author may discard a draft that never went live."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete":
            return draft_discardable_by(record=instance, staff=user)
        return super().user_has_permission_for_instance(user, action, instance)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


class RestrictionFilterSet(ClientProgramFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status today"),
        choices=[
            ("active", _("Active")),
            ("expired", _("Expired")),
            ("upcoming", _("Not yet started")),
        ],
        method="filter_status",
    )
    scope = django_filters.ChoiceFilter(choices=RestrictionScope.choices)
    start_date = django_filters.DateFromToRangeFilter(widget=DateRangePickerWidget)

    class Meta:
        model = ServiceRestriction
        fields = ["status", "scope", "program", "client", "start_date", "live"]

    def filter_status(self, queryset, name, value):
        # A draft restriction is in force on no day: each status is of live ones only.
        queryset, today = queryset.live(), timezone.localdate()
        if value == "active":
            return queryset.active_on(today)
        if value == "expired":
            return queryset.filter(end_date__lt=today)
        return queryset.filter(start_date__gt=today)


class RestrictionStatusColumn(Column):
    """Active, Expired or Not yet started, by today's date; a draft is never in force."""

    def get_value(self, instance):
        if not instance.live:
            return gettext("Draft, not in force")
        today = timezone.localdate()
        if instance.start_date > today:
            return gettext("Not yet started")
        if instance.end_date and instance.end_date < today:
            return gettext("Expired")
        return gettext("Active")


class RestrictionViewSet(ClientRecordViewSet):
    model = ServiceRestriction
    icon = "warning"
    menu_label = _("Restrictions")
    menu_order = 140
    add_to_admin_menu = True
    list_display = [
        "client",
        RestrictionStatusColumn("restriction_status", label=_("Status today")),
        "scope",
        "program",
        "start_date",
        "end_date",
    ]
    filterset_class = RestrictionFilterSet
    delete_view_class = InstanceDeleteView  # a never-live draft, by its author only
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
    menu_label = _("Demographic questions")
    add_to_settings_menu = True
    list_display = ["label", "key", YesNoColumn("choices", label=_("Has a list"))]
    form_fields = ["label", "key", "help_text", "choices", "sort_order"]
    copy_view_enabled = False


# Settings: the source systems whose ids and imports the registry takes -----------------


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Source systems are made inactive, never deleted: clients' ids name them."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


class SourceSystemViewSet(ModelViewSet):
    model = SourceSystem
    icon = "download"
    menu_label = _("Source systems")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        "code",
        "name",
        YesNoColumn("active", label=capfirst(SourceSystem._meta.get_field("active").verbose_name)),
    ]
    form_fields = ["code", "name", "active"]


# Settings: who opened which client record ----------------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The access log is written by the system only: staff may view it, never change it."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class ClientRecordAccessFilterSet(WagtailFilterSet):
    accessed_at = django_filters.DateFromToRangeFilter(
        label=_("Opened between"), widget=DateRangePickerWidget
    )
    # A merged record's accesses are the survivor's history too (the log is append-only,
    # so they keep the merged record's id).
    client = django_filters.UUIDFilter(label=_("Client id"), method="filter_client")

    class Meta:
        model = ClientRecordAccess
        fields = ["staff", "client", "view", "accessed_at"]

    def filter_client(self, queryset, name, value):
        return queryset.filter(client_id__in=selectors.client_and_merged_ids(value))


class ClientRecordAccessViewSet(ModelViewSet):
    model = ClientRecordAccess
    icon = "view"
    menu_label = _("Client record access log")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("accessed_at", label=_("Opened at"), sort_key="accessed_at"),
        "staff",
        Column("client", label=_("Client")),
        "view",
    ]
    search_fields = ["client__search_name", "staff__email", "staff__last_name"]
    filterset_class = ClientRecordAccessFilterSet
    list_per_page = 50
    form_fields = []

    def get_queryset(self, request):
        return ClientRecordAccess.objects.select_related("staff", "client")
