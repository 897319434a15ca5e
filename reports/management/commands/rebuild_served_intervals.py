"""Build the Org Summary's served intervals again from every enrollment
(reports/served.py): after a synthetic bulk load that deferred the triggers
(``seed_demo``), or to check that the triggers kept up (``--check``)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from reports.served import COLUMNS, REBUILD, TABLE, intervals_sql


class Command(BaseCommand):
    help = "Rebuild the Org Summary's served intervals from the enrollments (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the table with a rebuild instead of replacing it; fail if they differ.",
        )

    def handle(self, *args, check, **options):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if check:
                cursor.execute(
                    f"SELECT count(*) FROM ((SELECT {COLUMNS} FROM {TABLE} "
                    f"EXCEPT ALL ({intervals_sql()})) UNION ALL (({intervals_sql()}) "
                    f"EXCEPT ALL SELECT {COLUMNS} FROM {TABLE})) d"
                )
                differing = cursor.fetchone()[0]
                if differing:
                    raise CommandError(f"{differing:,} served-interval rows differ from a rebuild.")
                self.stdout.write("Served intervals match a rebuild from the enrollments.")
                return
            for statement in REBUILD:
                cursor.execute(statement)
            cursor.execute(f"ANALYZE {TABLE}")
        self.stdout.write(f"Served intervals rebuilt in {time.perf_counter() - started:.1f} s.")
