from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"Pruning failed. {exc}") from None
        verb = "Would delete" if dry_run else "Deleted"
        for name in names:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(names)} backup(s).")
            if names
            else "Nothing to delete: every backup is within its retention."
        )
