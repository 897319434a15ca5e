from django.core.management.base import BaseCommand, CommandError

from backups.selectors import BackupError
from backups.services import backup_create


class Command(BaseCommand):
    help = (
        "Back up the registry database to the backup bucket: pg_dump (custom format), "
        "upload, read back and compare, record its SHA-256, then prune by the retention "
        "rule. Exits non-zero, leaving earlier backups untouched, if anything fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-prune",
            action="store_true",
            help="Skip pruning after the backup (prune_backups can run it later).",
        )

    def handle(self, *args, no_prune=False, **options):
        try:
            made = backup_create(prune=not no_prune)
        except BackupError as exc:
            raise CommandError(f"Backup failed. {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up to {made.name} ({made.size:,} bytes, SHA-256 {made.sha256}) "
                f"in {made.seconds:.1f} s."
            )
        )
        for name in made.pruned:
            self.stdout.write(f"Pruned {name} (past its retention).")
