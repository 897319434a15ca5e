from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups.selectors import BackupError
from backups.services import backups_prune


class Command(BaseCommand):
    help = (
        "Delete backups past their retention: every nightly is kept BACKUP_RETENTION_DAILY_DAYS "
        "days (35), the first of each month BACKUP_RETENTION_MONTHLY_YEARS years (10), the "
        "newest always. backup_database runs this after each successful backup."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            names = backups_prune(dry_run=dry_run)
        except BackupError as exc:
            raise CommandError(_("Pruning failed. %(problem)s") % {"problem": exc}) from None
        for name in names:
            line = _("Would delete %(name)s") if dry_run else _("Deleted %(name)s")
            self.stdout.write(line % {"name": name})
        if dry_run:
            done = _("Would delete %(count)s backup(s).")
        else:
            done = _("Deleted %(count)s backup(s).")
        self.stdout.write(
            self.style.SUCCESS(done % {"count": len(names)})
            if names
            else _("Nothing to delete: every backup is within its retention.")
        )
