"""The panels of each role's home. Each panel reads through dashboard.selectors (bounded
reads) and renders one template; dashboard/wagtail_hooks.py decides who sees which."""

from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from access.selectors import confidential_programs_hidden
from identity.selectors import possible_matches_waiting_count
from staff.roles import RoleName

from . import selectors


class DashboardPanel(Component):
    """A panel on the home: a heading and content, read when it is rendered."""

    heading = ""

    def __init__(self, request, shared=None):
        self.request = request
        # Reads several panels need (today's Vacancy Tracker), made once per home.
        self.shared = shared if shared is not None else {}

    def get_context_data(self, parent_context=None):
        return {"heading": self.heading, "panel_id": self.name, **self.panel_context()}

    def panel_context(self) -> dict:
        return {}

    def vacancies(self):
        if "vacancies" not in self.shared:
            self.shared["vacancies"] = selectors.todays_vacancies()
        return self.shared["vacancies"]


class ClientSearchPanel(DashboardPanel):
    name = "client_search"
    order = 10
    heading = _("Find a client")
    template_name = "dashboard/panels/client_search.html"

    def panel_context(self):
        return {
            "search_url": reverse("wagtailsnippets_snippets_client:list"),
            "recent": selectors.recent_clients(staff=self.request.user),
        }


class ApprovalsPanel(DashboardPanel):
    name = "approvals_waiting"
    order = 20
    heading = _("Changes waiting for your approval")
    template_name = "dashboard/panels/approvals.html"

    def panel_context(self):
        return {
            "approvals": selectors.approvals_waiting(staff=self.request.user),
            "index_url": reverse("approvals:index"),
        }


class PossibleMatchesPanel(DashboardPanel):
    name = "possible_matches"
    order = 30
    heading = _("Possible matches waiting")
    template_name = "dashboard/panels/possible_matches.html"

    def panel_context(self):
        return {
            "waiting": possible_matches_waiting_count(),
            "list_url": reverse("possible_matches:index"),
        }


class RestrictionsThisWeekPanel(DashboardPanel):
    name = "restrictions_this_week"
    order = 40
    heading = _("Restrictions starting or ending this week")
    template_name = "dashboard/panels/restrictions_week.html"

    def panel_context(self):
        week = selectors.restrictions_this_week(
            hidden_programs=confidential_programs_hidden(self.request.user)
        )
        return {
            "week": week,
            "starting_url": selectors.records_list_url(
                "servicerestriction",
                start_date_after=week.week_start.isoformat(),
                start_date_before=week.week_end.isoformat(),
            ),
        }


class FewestPlacesPanel(DashboardPanel):
    name = "fewest_places"
    order = 50
    heading = _("Programs with the fewest places today")
    template_name = "dashboard/panels/fewest_places.html"

    def panel_context(self):
        return {
            "programs": selectors.fewest_places(self.vacancies()),
            "today": timezone.localdate(),
            "tracker_url": report_url("vacancytrackerpage"),
        }


class MyProgramsPanel(DashboardPanel):
    name = "my_programs"
    order = 60
    heading = _("My programs today")
    template_name = "dashboard/panels/my_programs.html"

    @cached_property
    def programs(self):
        # The agency's tracker if another panel has made it, else one of these programs.
        return selectors.programs_of(staff=self.request.user, tracker=self.shared.get("vacancies"))

    def panel_context(self):
        return {"programs": self.programs}

    def render_html(self, parent_context=None):
        # Staff not assigned to any program see no empty panel.
        if not self.programs:
            return ""
        return super().render_html(parent_context)


class MonthHeadlinesPanel(DashboardPanel):
    name = "month_headlines"
    order = 70
    heading = _("This month")
    template_name = "dashboard/panels/month_headlines.html"

    def panel_context(self):
        return {
            "figures": selectors.month_headlines(tracker=self.vacancies()),
            "org_summary_url": report_url("orgsummarypage"),
            "tracker_url": report_url("vacancytrackerpage"),
        }


class ImportsPanel(DashboardPanel):
    name = "last_imports"
    order = 80
    heading = _("Last import of each source")
    template_name = "dashboard/panels/imports.html"

    def panel_context(self):
        return {
            "imports": selectors.last_imports(),
            "imports_url": reverse("ingest:runs"),
        }


class OperationsPanel(DashboardPanel):
    name = "operations"
    order = 90
    heading = _("Backups, sign-in lockouts and access exceptions")
    template_name = "dashboard/panels/operations.html"

    @cached_property
    def lockouts(self):
        return selectors.lockouts_to_review()

    def panel_context(self):
        count, rows = self.lockouts
        exception_count, exceptions = selectors.access_exceptions_to_review()
        return {
            "backup": selectors.last_backup(),
            "lockouts": rows,
            "lockout_count": count,
            "lockouts_url": reverse("staff_lockouts:index"),
            "exceptions": exceptions,
            "exception_count": exception_count,
            "exception_days": selectors.ACCESS_EXCEPTIONS_REVIEW_DAYS,
            "exceptions_url": reverse("access_exceptions:index"),
        }


def report_url(model_name: str) -> str | None:
    """The live report page of that type (reports app), or None before setup_reports."""
    from wagtail.models import Page

    page = Page.objects.live().filter(content_type__model=model_name).first()
    return page.url if page is not None else None


# Which role sees which panel (besides the client search, for everyone who may search).
PANELS_BY_ROLE = {
    RoleName.COORDINATOR: (
        ApprovalsPanel,
        PossibleMatchesPanel,
        RestrictionsThisWeekPanel,
        FewestPlacesPanel,
    ),
    RoleName.MANAGER: (MyProgramsPanel,),
    RoleName.LEADER: (MyProgramsPanel, MonthHeadlinesPanel),
    RoleName.STAFF: (MyProgramsPanel,),
    RoleName.ANALYST: (MonthHeadlinesPanel,),
    RoleName.ADMINISTRATOR: (ImportsPanel, OperationsPanel),
}


def is_stock_wagtail_panel(panel) -> bool:
    """Wagtail's own home panels (pages awaiting review, recent page edits, locked pages)."""
    return type(panel).__module__ == "wagtail.admin.views.home"


def home_panels(request, panels: list) -> None:
    """construct_homepage_panels: replace Wagtail's stock panels with the panels of the
    roles ``request.user`` holds (each panel once)."""
    panels[:] = [panel for panel in panels if not is_stock_wagtail_panel(panel)]
    user = request.user
    shared: dict = {}
    chosen: list[type[DashboardPanel]] = []
    if user.has_perm("snippets.view_client"):
        chosen.append(ClientSearchPanel)
    for role in user.groups.values_list("name", flat=True):
        for panel_class in PANELS_BY_ROLE.get(role, ()):
            if panel_class not in chosen:
                chosen.append(panel_class)
    panels.extend(panel_class(request, shared) for panel_class in chosen)
