"""The report pages. They hold no figures: each request asks the selectors afresh.

Reading a report needs a report-reading role (reports.access), checked in serve() and
in every route, because these roles hold no page permissions and must not need any.
"""

from django.conf import settings
from django.db import models
from django.http import HttpResponseBadRequest, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from .access import report_readers_only
from .drilldown import org_summary_links
from .exports import csv_response
from .forms import OrgSummaryForm, VacancyTrackerForm, default_period
from .selectors import org_summary, vacancy_tracker
from .tables import org_summary_csv_rows, org_summary_view
from .vacancy import (
    enrollment_list_links,
    suppression_threshold,
    vacancy_csv_rows,
    vacancy_html,
    vacancy_table,
)


def _query_for(cleaned: dict) -> str:
    """The inputs as a query string, so the CSV link exports exactly what is on screen."""
    query = QueryDict(mutable=True)
    for name, value in cleaned.items():
        if value is True:
            query[name] = "on"
        elif value:
            query[name] = value.isoformat()
    return query.urlencode()


class ReportHeadingMixin:
    """The page's heading in the reader's language.

    setup_reports titles each page with the product's own name (``default_title``): that
    name is shown translated. A title the agency has changed is its own words, shown as
    entered.
    """

    default_title = ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["languages"] = settings.LANGUAGES  # for the language switch
        return context

    @property
    def heading(self) -> str:
        if self.title == self.default_title:
            return gettext(self.default_title)
        return self.title


class ReportsIndexPage(ReportHeadingMixin, Page):
    """The Reports landing page: links to each report."""

    default_title = gettext_noop("Reports")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["reports.OrgSummaryPage", "reports.VacancyTrackerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("reports index")

    @report_readers_only
    def serve(self, request, *args, **kwargs):
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = self.get_children().live().specific().order_by("path")
        return context


class ReportPage(ReportHeadingMixin, RoutablePageMixin, Page):
    """What both reports share: the access rule, a page route and a CSV route."""

    parent_page_types = ["reports.ReportsIndexPage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        abstract = True

    def form_for(self, request):
        raise NotImplementedError

    @path("")
    @report_readers_only
    def report(self, request):
        form = self.form_for(request)
        context = {"form": form, "csv_query": ""}
        if form.is_valid():
            context.update(self.report_context_for(request, form.cleaned_data))
            context["csv_query"] = _query_for(form.cleaned_data)
        return self.render(request, context_overrides=context)

    def report_context_for(self, request, cleaned):
        """The report's context for ``request`` (a report may depend on who reads it)."""
        return self.report_context(cleaned)

    # The inputs a CSV link must carry: a file exports exactly what was asked for.
    csv_parameters: tuple[str, ...] = ()

    @path("export/csv/")
    @report_readers_only
    def export_csv(self, request):
        missing = [name for name in self.csv_parameters if not request.GET.get(name)]
        if missing:
            return HttpResponseBadRequest(
                gettext(
                    "This CSV needs %(missing)s (YYYY-MM-DD) in the link, for example "
                    "?%(example)s; optional: hide_small=on."
                )
                % {
                    "missing": ", ".join(missing),
                    "example": "&".join(f"{name}=2026-03-31" for name in self.csv_parameters),
                },
                content_type="text/plain; charset=utf-8",
            )
        form = self.form_for(request)
        if not form.is_valid():
            # The page explains what is wrong with the inputs; a file cannot.
            response = self.render(request, context_overrides={"form": form, "csv_query": ""})
            response.status_code = 400
            return response
        return csv_response(
            filename=self.csv_filename(form.cleaned_data),
            rows=self.csv_rows(form.cleaned_data),
        )

    def serve_preview(self, request, mode_name):
        # The editor's preview shows the form only, with the editor's own access check.
        return TemplateResponse(
            request,
            self.get_template(request),
            {
                **self.get_context(request),
                "form": self.form_for(request),
                "csv_query": "",
                "preview": True,
            },
        )


class OrgSummaryPage(ReportPage):
    """Ticket 11: distinct clients served in a period, with demographics and breakdowns."""

    default_title = gettext_noop("Org Summary")
    summary_text = _(
        "Distinct clients served in a period, their demographics, and the breakdowns by "
        "department and program, with intakes and discharges."
    )

    csv_parameters = ("date_from", "date_to")

    class Meta:
        verbose_name = _("Org Summary report")

    def form_for(self, request):
        data = request.GET
        if not any(name in data for name in ("date_from", "date_to")):
            # First visit: the calendar year to date, so the page is useful straight away.
            data = {k: v.isoformat() for k, v in default_period(timezone.localdate()).items()}
        return OrgSummaryForm(data)

    def report_context_for(self, request, cleaned):
        summary = org_summary(date_from=cleaned["date_from"], date_to=cleaned["date_to"])
        # For the roles that may list the records behind a count (a hidden count never links).
        links = org_summary_links(request.user, summary)
        view = org_summary_view(summary, suppress=cleaned["hide_small"], links=links)
        return {
            "summary": summary,
            "view": view,
            "tables": view.tables,
            "chart": view.chart,
            "hide_small": cleaned["hide_small"],
        }

    def csv_filename(self, cleaned):
        suffix = f"-counts-below-{suppression_threshold()}-hidden" if cleaned["hide_small"] else ""
        period = f"{cleaned['date_from']:%Y-%m-%d}-to-{cleaned['date_to']:%Y-%m-%d}"
        return f"org-summary-{period}{suffix}.csv"

    def csv_rows(self, cleaned):
        summary = org_summary(date_from=cleaned["date_from"], date_to=cleaned["date_to"])
        view = org_summary_view(summary, suppress=cleaned["hide_small"])
        return org_summary_csv_rows(view.tables)


class VacancyTrackerPage(ReportPage):
    """Ticket 12: per program, places occupied and vacant on a day."""

    default_title = gettext_noop("Vacancy Tracker")
    summary_text = _("Capacity, places occupied and places vacant in each program on a day.")

    csv_parameters = ("as_of",)

    class Meta:
        verbose_name = _("Vacancy Tracker report")

    def form_for(self, request):
        data = request.GET
        if not data.get("as_of"):
            # No day asked for: today, shown in the date picker so the page says which day
            # its numbers are for (the CSV link carries it too).
            data = data.copy()
            data["as_of"] = timezone.localdate().isoformat()
        return VacancyTrackerForm(data)

    def report_context_for(self, request, cleaned):
        tracker = vacancy_tracker(as_of=cleaned["as_of"])
        suppress = cleaned["hide_small"]
        # For the roles that may list the people behind a count (a hidden count never links).
        links = enrollment_list_links(request.user, tracker)
        table = vacancy_table(tracker, suppress=suppress, links=links)
        return {
            "tracker": tracker,
            "table": table,
            "vacancy_html": vacancy_html(table),
            "hide_small": suppress,
        }

    def csv_filename(self, cleaned):
        suffix = f"-counts-below-{suppression_threshold()}-hidden" if cleaned["hide_small"] else ""
        return f"vacancy-tracker-as-of-{cleaned['as_of']:%Y-%m-%d}{suffix}.csv"

    def csv_rows(self, cleaned):
        tracker = vacancy_tracker(as_of=cleaned["as_of"])
        return vacancy_csv_rows(vacancy_table(tracker, suppress=cleaned["hide_small"]))


class ServedInterval(models.Model):
    """What the Org Summary counts, kept exact by triggers (reports/served.py): per client
    (``scope`` 0), per client and program (1) and per client and department (2), the merged
    intervals of their countable enrollments, each with the end of the one before.

    Written only by the triggers' SQL, never by Django: the model declares the table and its
    indexes so that the schema built from the models is the one the migrations build.
    """

    pk = models.CompositePrimaryKey("client_id", "scope", "unit_id", "start_date")
    scope = models.SmallIntegerField()
    client_id = models.UUIDField()
    # The program (scope 1) or department (scope 2); the nil UUID for the client's own rows.
    unit_id = models.UUIDField()
    start_date = models.DateField()
    # 9999-12-31 while an enrollment of the interval is open (end_or_open_ended's rule).
    end_date = models.DateField()
    # NULL for the first interval of its client (and program, department).
    previous_end = models.DateField(null=True)

    class Meta:
        db_table = "reports_served_interval"
        indexes = [
            # A window [F, T] reads one range, end_date >= F, and filters start_date <= T
            # (counted: previous_end < F) without touching the table.
            models.Index(
                fields=["scope", "end_date"],
                include=["start_date", "previous_end", "unit_id", "client_id"],
                name="served_interval_span",
            ),
        ]

    def __str__(self):
        return f"{self.scope} {self.client_id} {self.unit_id} {self.start_date}–{self.end_date}"
