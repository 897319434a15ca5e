"""Writes for the reports app: the report pages that must exist after setup."""

from django.db import transaction

from home.models import HomePage

from .models import OrgSummaryPage, ReportsIndexPage, VacancyTrackerPage

REPORT_PAGES = (
    (OrgSummaryPage, OrgSummaryPage.default_title, "org-summary"),
    (VacancyTrackerPage, VacancyTrackerPage.default_title, "vacancy-tracker"),
)


@transaction.atomic
def report_pages_ensure() -> ReportsIndexPage:
    """Create the Reports index under the home page and both report pages, published.

    Idempotent: existing pages (found by type) are kept as they are, renamed or not; a
    missing one is created and an unpublished one is published again, since readers can
    reach only live pages. Raises RuntimeError when there is no home page (run migrate).
    """
    index = ReportsIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("No home page: run `manage.py migrate` first.")
        index = home.add_child(
            instance=ReportsIndexPage(title=ReportsIndexPage.default_title, slug="reports")
        )
    _publish(index)
    for page_class, title, slug in REPORT_PAGES:
        page = page_class.objects.child_of(index).first()
        if page is None:
            page = index.add_child(instance=page_class(title=title, slug=slug))
        _publish(page)
    return index


def _publish(page):
    if not page.live:
        page.save_revision().publish()
