"""Time each role's home (the admin dashboard) on the registry in this database.

    manage.py bench_dashboard            # on the data already there (a city-scale copy)

Signs in a throw-away staff member per role (in a transaction rolled back at the end),
renders the home through Django's test client, and prints the best and median time and the
number of SQL queries per role. Not a test: timings depend on the machine; the goal is
300 ms for the whole home at city scale.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from snippets.models import Client as RegistryClient
from snippets.models import ClientRecordAccess, Program, ProgramStaff
from staff.roles import RoleName
from staff.services import staff_create

TARGET_MS = 300


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time each role's home page and count its SQL queries (figures only, no names)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs, **options):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        try:
            with transaction.atomic():
                self._bench(runs)
                raise Rollback
        except Rollback:
            pass

    def _bench(self, runs):
        clients = list(RegistryClient.objects.order_by()[:8])
        programs = list(Program.objects.live().order_by()[:5])
        self.stdout.write(f"Home (dashboard), best and median of {runs} runs; goal {TARGET_MS} ms")
        for role in RoleName:
            staff = staff_create(
                email=f"bench-{role.value.lower()}@bench.invalid",
                first_name="Bench",
                last_name=role.value,
                password=None,
                roles=[role.value],
            )
            # A realistic day: a few records opened, a few programs assigned.
            ClientRecordAccess.objects.bulk_create(
                ClientRecordAccess(staff=staff, client=c, view="record") for c in clients
            )
            ProgramStaff.objects.bulk_create(ProgramStaff(program=p, staff=staff) for p in programs)
            browser = Client()
            browser.force_login(staff)
            browser.get("/admin/")  # warm: templates, hooks, caches
            times, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    response = browser.get("/admin/")
                    times.append((time.perf_counter() - began) * 1000)
                queries = len(captured)
                assert response.status_code == 200, response.status_code
            best, median = min(times), statistics.median(times)
            verdict = "ok" if median <= TARGET_MS else "SLOW"
            self.stdout.write(
                f"  {role.value:<14} best {best:6.0f} ms  median {median:6.0f} ms  "
                f"{queries:3d} queries  {verdict}"
            )
