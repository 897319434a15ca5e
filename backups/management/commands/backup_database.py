from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("Backup failed. %(problem)s") % {"problem": exc}) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up to %(name)s (%(size)s bytes, SHA-256 %(sha256)s) in %(seconds)s s.")
                % {
                    "name": made.name,
                    "size": f"{made.size:,}",
                    "sha256": made.sha256,
                    "seconds": f"{made.seconds:.1f}",
                }
            )
        )
        for name in made.pruned:
            self.stdout.write(_("Pruned %(name)s (past its retention).") % {"name": name})
