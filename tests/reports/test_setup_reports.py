"""`manage.py setup_reports` leaves the report pages in place, however often it runs."""

import io

from django.core.management import call_command

from reports.models import OrgSummaryPage, ReportsIndexPage, VacancyTrackerPage


def test_creates_the_pages_once_and_republishes_a_missing_one(db, client, admin_user):
    call_command("setup_reports", stdout=io.StringIO())
    VacancyTrackerPage.objects.get().unpublish()
    call_command("setup_reports", stdout=io.StringIO())

    assert ReportsIndexPage.objects.live().count() == 1
    assert OrgSummaryPage.objects.live().count() == 1
    assert VacancyTrackerPage.objects.live().count() == 1
    assert [p.url for p in ReportsIndexPage.objects.get().get_children().live()] == [
        "/reports/org-summary/",
        "/reports/vacancy-tracker/",
    ]
    client.force_login(admin_user)
    assert client.get("/reports/vacancy-tracker/").status_code == 200
