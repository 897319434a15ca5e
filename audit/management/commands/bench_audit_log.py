"""Fill a scratch copy of the database with millions of synthetic audit rows and time the
Audit Log's page queries and the whole screen. Never touches the real audit log.

    manage.py bench_audit_log --rows 3000000
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

BATCH = 500_000

FILL_SQL = """
INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,
                       changed_at, diff_json)
SELECT gen_random_uuid(),
       (ARRAY['client','program','programstaff','clientsourceid','department',
              'clientprogramenrollment','intake','discharge','servicerestriction',
              'client'])[1 + (n %% 10)],
       md5('record' || (n %% %(records)s))::uuid,
       (n %% %(records)s)::text,
       (ARRAY['create','update','update','update','delete'])[1 + ((n / 10) %% 5)],
       CASE WHEN n %% 7 = 0 THEN NULL ELSE (%(staff)s)[1 + (n %% %(staff_count)s)]::uuid END,
       now() - make_interval(secs => (%(total)s - n) * 50.0),
       jsonb_build_object('last_name', jsonb_build_object('before', 'Name' || (n %% 5000),
                                                          'after', 'Name' || (n %% 4999)),
                          'capacity_current', jsonb_build_object('before', n %% 40,
                                                                 'after', n %% 41))
FROM generate_series(%(start)s, %(stop)s) AS n
"""


class Command(BaseCommand):
    help = "Time the Audit Log at millions of rows, in a scratch database (dropped afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=3_000_000)
        parser.add_argument("--records", type=int, default=200_000, help="distinct records")
        parser.add_argument("--repeat", type=int, default=5, help="timings per query")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database")

    def handle(self, *args, rows, records, repeat, keep, **options):
        real_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{real_name}_auditbench"
        self.stdout.write(f"Creating scratch database {real_name}_auditbench (migrate)...")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
        try:
            self._run(rows=rows, records=records, repeat=repeat)
        finally:
            connection.creation.destroy_test_db(real_name, verbosity=0, keepdb=keep)

    def _run(self, *, rows, records, repeat):
        from staff.roles import RoleName
        from staff.services import roles_ensure, staff_create

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        roles_ensure()
        staff = [
            staff_create(
                email=f"bench{i}@agency.test",
                first_name=f"Bench{i}",
                last_name="Staff",
                password=None,
                roles=[RoleName.COORDINATOR],
            )
            for i in range(20)
        ]
        staff_ids = "ARRAY[" + ",".join(f"'{s.pk}'" for s in staff) + "]"

        started = time.perf_counter()
        with connection.cursor() as cursor:
            existing = self._count(cursor)
            for start in range(existing + 1, rows + 1, BATCH):
                stop = min(start + BATCH - 1, rows)
                cursor.execute(
                    FILL_SQL
                    % {
                        "records": records,
                        "staff": staff_ids,
                        "staff_count": len(staff),
                        "total": rows,
                        "start": start,
                        "stop": stop,
                    }
                )
                self.stdout.write(f"  {stop:,} rows")
            cursor.execute("ANALYZE audit_log")
            total = self._count(cursor)
        self.stdout.write(f"Filled {total:,} audit rows in {time.perf_counter() - started:.1f} s")

        from audit import selectors

        deep = min(1_000_000, total // 3)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT changed_at, audit_id FROM audit_log "
                "ORDER BY changed_at DESC, audit_id DESC OFFSET %s LIMIT 1",
                [deep],
            )
            deep_at, deep_id = cursor.fetchone()
        deep_cursor = f"{deep_at.isoformat()}_{deep_id}"
        some_record = selectors.audit_entries_filtered().values_list("entity_id", flat=True)[0]

        def page(**filters):
            older = filters.pop("older_than", None)
            return lambda: (
                selectors.audit_page(
                    selectors.audit_entries_filtered(**filters), older_than=older
                ).entries
            )

        cases = [
            ("first page, no filter", page()),
            (f"page {deep // 50 + 1:,} (row {deep:,}), keyset", page(older_than=deep_cursor)),
            ("one record's history", page(record_id=some_record)),
            ("one staff member", page(changed_by=staff[3].pk)),
            ("the system only", page(system_only=True)),
            ("record type + action", page(entity="program", action="delete")),
            ("date range (one day, 2 weeks ago)", page(**self._two_weeks_ago())),
            ("search: staff name", page(search="Bench7")),
            ("search: a rare value in the diff", page(search="Name4321")),
            ("search: a common value (1 row in 5)", page(search="Name1")),
        ]
        self.stdout.write(f"\nAudit Log page queries ({repeat} runs each, median / max):")
        for label, run in cases:
            self._time(label, run, repeat)

        browser = Client()
        browser.force_login(staff[0])
        self.stdout.write("\nWhole screen over HTTP (query + names + template):")
        for label, url in [
            ("GET /admin/audit/", "/admin/audit/"),
            (f"GET /admin/audit/?older=<row {deep:,}>", f"/admin/audit/?older={deep_cursor}"),
            ("GET /admin/audit/?record=<id>", f"/admin/audit/?record={some_record}"),
        ]:
            self._time(label, lambda url=url: browser.get(url), repeat)

    def _count(self, cursor) -> int:
        cursor.execute("SELECT count(*) FROM audit_log")
        return cursor.fetchone()[0]

    def _two_weeks_ago(self):
        import datetime

        from django.utils import timezone

        day = timezone.localdate() - datetime.timedelta(days=14)
        return {"date_from": day, "date_to": day}

    def _time(self, label, run, repeat):
        run()  # warm the cache once, as a page someone just opened
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"  {label:<45} {statistics.median(timings):8.1f} ms  {max(timings):8.1f} ms"
        )
