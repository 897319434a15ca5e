from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from backups.selectors import BackupError
from backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a named backup (see list_backups) into a PostgreSQL database on the "
        "configured server, after checking its SHA-256. Refuses a database that already "
        "holds tables unless --replace-existing-data is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The backup's name, e.g. registry-20260131T073000Z.dump")
        parser.add_argument(
            "--database",
            dest="target",
            help="The database to restore into (default: the one DATABASE_URL names). It is "
            "created if it does not exist.",
        )
        parser.add_argument(
            "--replace-existing-data",
            action="store_true",
            help="Overwrite a database that already holds tables.",
        )

    def handle(self, *args, name, target=None, replace_existing_data=False, **options):
        target = target or connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        try:
            restored = backup_restore(
                name=name, database=target, replace_existing=replace_existing_data
            )
        except BackupError as exc:
            raise CommandError(_("Restore failed. %(problem)s") % {"problem": exc}) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(name)s (%(size)s bytes, checksum verified) into %(database)s: "
                    "%(tables)s tables, views and sequences, in %(seconds)s s."
                )
                % {
                    "name": restored.name,
                    "size": f"{restored.size:,}",
                    "database": restored.database,
                    "tables": restored.tables,
                    "seconds": f"{restored.seconds:.1f}",
                }
            )
        )
        self.stdout.write(_("Next: run `manage.py migrate` if this code is newer than the backup."))
