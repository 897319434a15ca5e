from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from reports.services import report_pages_ensure


class Command(BaseCommand):
    help = (
        "Create the Reports index and the Org Summary and Vacancy Tracker pages if they are "
        "missing. Run after migrate; safe to run again."
    )

    def handle(self, *args, **options):
        index = report_pages_ensure()
        for page in index.get_children().live():
            self.stdout.write(f"{page.title}: {page.url}")
        done = gettext("Reports are at %(url)s") % {"url": index.url}
        self.stdout.write(self.style.SUCCESS(done))
