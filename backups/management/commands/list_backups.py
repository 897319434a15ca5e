import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups.retention import backups_to_keep
from backups.selectors import BackupError, backups_list, retention_policy


class Command(BaseCommand):
    help = "List the backups in the backup bucket, newest first, with size and status."

    def handle(self, *args, **options):
        try:
            backups = backups_list()
            policy = retention_policy()
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        now = datetime.datetime.now(datetime.UTC)
        keep = backups_to_keep(
            taken_at=[b.taken_at for b in backups if b.complete], now=now, policy=policy
        )
        if not backups:
            self.stdout.write(_("No backups yet."))
        for backup in reversed(backups):
            if not backup.complete:
                status = _("INCOMPLETE (no checksum; cannot be restored)")
            elif backup.taken_at in keep:
                status = _("kept")
            else:
                status = _("due for pruning")
            self.stdout.write(
                _("%(name)s  %(size)s bytes  %(status)s")
                % {"name": backup.name, "size": f"{backup.size:>14,}", "status": status}
            )
