"""Time the reports on the registry in this database, as a leader would run them.

    manage.py bench_reports                 # on the data already there (seed_demo --size city)
    manage.py bench_reports --build 0.1     # first add a synthetic registry at 10 % of city size

Prints, for each report, the best and median of several runs, and the CSV export's peak
Python memory (tracemalloc) next to its size, so flat memory can be seen. Not a test:
timings depend on the machine.
"""

import cProfile
import dataclasses
import datetime
import gzip
import io
import json
import os
import pstats
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.exports import csv_lines
from reports.selectors import org_summary, vacancy_tracker
from reports.vacancy import enrollment_list_links, vacancy_table
from snippets.management.commands.bench_admin_pages import plan_rows
from snippets.models import Client, ClientProgramEnrollment, Department, DepartmentStaff, Program
from staff.models import Staff
from staff.roles import RoleName
from staff.services import staff_create

# City size, from the issue: 1,000,000 clients, 5,000,000 enrollments, 2,000 programs.
CITY = {"departments": 20, "programs": 2_000, "clients": 1_000_000, "enrollments": 5_000_000}
TARGETS = {"org_summary": 1.0, "org_summary_4y": 2.0, "vacancy_tracker": 0.3}
READS = ("SELECT", "WITH (")


class Command(BaseCommand):
    help = "Time the Org Summary (one year), the Vacancy Tracker and the CSV export."

    def add_arguments(self, parser):
        parser.add_argument(
            "--build",
            type=float,
            metavar="SCALE",
            help="First add a synthetic registry of SCALE × city size (1.0 = city) with "
            "set-based SQL. For a bench database only: it adds rows and never deletes.",
        )
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None)
        parser.add_argument(
            "--only",
            choices=["org_summary", "vacancy_tracker"],
            help="Time one report only (its selector, page and CSV).",
        )
        parser.add_argument(
            "--org-summary-only",
            action="store_true",
            help="Only the Org Summary: the current selector and the one before issue 16, "
            "side by side for 1 month, 1 year and 4 years, with their numbers compared.",
        )
        parser.add_argument(
            "--profile",
            type=int,
            default=0,
            metavar="N",
            help="Also profile one request of each Vacancy Tracker page (cProfile) and print "
            "its N costliest functions by own time.",
        )

    def handle(self, *args, build, runs, as_of, profile, only, org_summary_only, **options):
        self.results = []
        as_of = as_of or timezone.localdate()
        if build:
            if not 0 < build <= 1:
                raise CommandError("--build takes a scale from 0 (exclusive) to 1 (city size).")
            self._build(scale=build, today=as_of)
        date_to = as_of
        date_from = date_to.replace(year=date_to.year - 1) + datetime.timedelta(days=1)
        self.stdout.write(
            f"Registry: {Client.objects.count():,} clients, "
            f"{ClientProgramEnrollment.objects.count():,} enrollments, "
            f"{Program.objects.count():,} programs"
        )

        if only != "vacancy_tracker":
            self._compare_org_summary(as_of=as_of, runs=runs)
            if org_summary_only:
                return
            summary, times = self._time(
                lambda: org_summary(date_from=date_from, date_to=date_to), runs=runs
            )
            self._report(f"Org Summary {date_from} to {date_to}", times, TARGETS["org_summary"])
            self.stdout.write(f"  {summary.clients_served:,} distinct clients served")
            self._bench_org_summary_page(date_from=date_from, date_to=date_to, runs=runs)

        if only != "org_summary":
            tracker, times = self._time(lambda: vacancy_tracker(as_of=as_of), runs=runs)
            self._report(f"Vacancy Tracker as of {as_of}", times, TARGETS["vacancy_tracker"])
            self.stdout.write(f"  {tracker.occupied:,} places occupied of {tracker.capacity:,}")
            self._bench_vacancy_parts(as_of=as_of, runs=runs, profile=profile)

        self._bench_csv(date_from=date_from, date_to=date_to, as_of=as_of, only=only)
        self._summary()

    def _compare_org_summary(self, *, as_of, runs):
        """The Org Summary three ways, side by side in one run, alternating, for 1 month, 1
        year, 4 years and an odd window: the statement before issue 16 (reports.reference,
        fewer parts), issue 16's statement counting the enrollments
        (``org_summary_from_enrollments``) and the served intervals (``org_summary``, what
        the page reads). Time (with the load average), rows of database work (EXPLAIN
        ANALYZE, summed over the plan's nodes), and whether every number is the same:
        intervals vs enrollments in full, before vs now on the numbers both have."""
        from reports.reference import org_summary_before
        from reports.selectors import org_summary_from_enrollments

        functions = (
            ("before", org_summary_before),
            ("enrollments", org_summary_from_enrollments),
            ("intervals", org_summary),
        )
        month_ago = (as_of.replace(day=1) - datetime.timedelta(days=1)).replace(
            day=min(as_of.day, 28)
        ) + datetime.timedelta(days=1)
        windows = (
            ("1 month", month_ago, 1),
            ("1 year", as_of.replace(year=as_of.year - 1) + datetime.timedelta(days=1), 1),
            ("4 years", as_of.replace(year=as_of.year - 4) + datetime.timedelta(days=1), 4),
            # Odd: starts mid-month 19 months back, so both ends are cut months.
            ("odd window", as_of - datetime.timedelta(days=587), 1),
        )
        for label, date_from, years in windows:
            times = {name: [] for name, _ in functions}
            results = {}
            for _ in range(runs):
                for name, function in functions:
                    start = time.perf_counter()
                    results[name] = function(date_from=date_from, date_to=as_of)
                    times[name].append(time.perf_counter() - start)
            target = TARGETS["org_summary_4y" if years == 4 else "org_summary"]
            median = {name: statistics.median(values) for name, values in times.items()}
            load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
            self.stdout.write(
                f"Org Summary {label} ({date_from} to {as_of}), median of {runs}, "
                f"load average {load}: before issue 16 {median['before'] * 1000:.0f} ms, "
                f"counting enrollments {median['enrollments'] * 1000:.0f} ms, "
                f"served intervals {median['intervals'] * 1000:.0f} ms "
                f"(goal {target * 1000:.0f} ms on an idle machine)"
            )
            rows = {
                name: _plan_rows(
                    lambda f=function, start=date_from: f(date_from=start, date_to=as_of)
                )
                for name, function in functions
            }
            self.stdout.write(
                "  rows of database work: " + ", ".join(f"{name} {n:,}" for name, n in rows.items())
            )
            differences = _differences(results["before"], results["intervals"])
            same = dataclasses.asdict(results["enrollments"]) == dataclasses.asdict(
                results["intervals"]
            )
            self.stdout.write(
                f"  {results['intervals'].clients_served:,} distinct clients served; "
                + (
                    "intervals = enrollments in every number"
                    if same
                    else "intervals and enrollments DIFFER"
                )
                + "; before vs intervals "
                + ("identical" if not differences else "DIFFER: " + "; ".join(differences[:5]))
            )

    def _bench_org_summary_page(self, *, date_from, date_to, runs):
        """The Org Summary with every part the page adds (suppression, shares, months,
        chart, an Administrator's drill-down links), and the page rendered."""
        from reports.drilldown import org_summary_links
        from reports.tables import org_summary_view

        reader = (
            Staff.objects.filter(is_active=True, groups__name=RoleName.ADMINISTRATOR)
            .order_by("pk")
            .first()
        )
        for suppress in (False, True):

            def run(suppress=suppress):
                summary = org_summary(date_from=date_from, date_to=date_to)
                links = org_summary_links(reader, summary) if reader else {}
                return org_summary_view(summary, suppress=suppress, links=links)

            view, times = self._time(run, runs=runs)
            self._report(
                "Org Summary with shares, months, chart and links"
                + (", counts hidden" if suppress else ""),
                times,
                TARGETS["org_summary"],
            )
            if suppress:
                self.stdout.write(f"  {view.hidden:,} counts hidden")

    def _time(self, run, *, runs):
        result, times = None, []
        for _ in range(runs):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
        return result, times

    def _report(self, name, times, target):
        best, median = min(times), statistics.median(times)
        verdict = "within" if median <= target else "OVER"
        self.results.append((name, median * 1000, None, None, None, None))
        self.stdout.write(
            f"{name}: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms "
            f"({verdict} the {target * 1000:.0f} ms target, {len(times)} runs)"
        )

    def _bench_vacancy_parts(self, *, as_of, runs, profile=0):
        """The tracker with what the page adds: rates, bars and the drill-down links for
        an Administrator (every program links), and with counts hidden (complementary
        suppression); then the page as a reader gets it: through its route, signed in,
        rendered to HTML, as an Administrator (a drill-down link on every count) and as a
        Leader assigned to one department (links on that department's counts only)."""
        reader = (
            Staff.objects.filter(is_active=True, groups__name=RoleName.ADMINISTRATOR)
            .order_by("pk")
            .first()
        )

        def table(suppress):
            tracker = vacancy_tracker(as_of=as_of)
            links = enrollment_list_links(reader, tracker) if reader else {}
            return vacancy_table(tracker, suppress=suppress, links=links)

        shown, times = self._time(lambda: table(False), runs=runs)
        self._report(
            "Vacancy Tracker with rates, bars and links"
            + ("" if reader else " (no Administrator here: no links)"),
            times,
            TARGETS["vacancy_tracker"],
        )
        hidden, times = self._time(lambda: table(True), runs=runs)
        self._report(
            "Vacancy Tracker with counts hidden (complementary suppression)",
            times,
            TARGETS["vacancy_tracker"],
        )
        small = sum(
            1 for d in shown.groups for row in d.programs if 0 < row.occupied < hidden.threshold
        )
        self.stdout.write(
            f"  {small:,} programs below {hidden.threshold}; {hidden.hidden:,} counts hidden"
        )
        self._explain_vacancy(as_of)
        from reports.models import VacancyTrackerPage

        page = VacancyTrackerPage.objects.live().first()
        if page is None or reader is None:
            self.stdout.write(
                "Vacancy Tracker page: skipped (needs setup_reports and an Administrator)"
            )
            return
        url = page.url
        leader = _department_leader()
        day = {"as_of": as_of.isoformat()}
        for who, staff, query in (
            ("Administrator", reader, day),
            ("Administrator, counts hidden", reader, {**day, "hide_small": "on"}),
            ("Leader of one department", leader, day),
        ):
            self._bench_page(
                f"Vacancy Tracker page as {who}", url, staff, query, runs=runs, profile=profile
            )

    def _explain_vacancy(self, as_of):
        """EXPLAIN ANALYZE of the selector's reads, with the report's own settings: rows of
        database work summed over the plan's nodes, and PostgreSQL's execution time."""
        from reports.selectors import _report_query

        with CaptureQueriesContext(connection) as captured:
            vacancy_tracker(as_of=as_of)
        reads = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip()[:6] in READS]
        rows = executed = 0
        for sql in reads:
            with _report_query() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            rows += plan_rows(plan["Plan"])
            executed += plan["Execution Time"]
        self.stdout.write(
            f"  its {len(reads)} statement(s): {executed:.0f} ms in PostgreSQL, {rows:,} rows "
            "of work (EXPLAIN ANALYZE, actual rows × loops summed over plan nodes)"
        )
        self.results.append(
            (
                "Vacancy Tracker selector's SQL (EXPLAIN ANALYZE)",
                executed,
                None,
                executed,
                rows,
                None,
            )
        )

    def _bench_page(self, name, url, staff, query, *, runs, profile):
        """The page through its route (Django's test client in process: middleware, the
        page's serve and access check, the template): wall and CPU ms, SQL ms and queries,
        rows of work of its reads, HTML size."""
        http = HttpClient(HTTP_HOST="localhost")
        http.force_login(staff)
        response = http.get(url, query)  # warm-up: imports, template loading
        if response.status_code != 200:
            self.stdout.write(f"{name}: HTTP {response.status_code}, skipped")
            return
        times, cpu, sql_ms = [], [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = http.get(url, query)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        self._report(name, times, TARGETS["vacancy_tracker"])
        size = len(response.content)
        links = response.content.count(b"/admin/snippets/snippets/clientprogramenrollment/?")
        compressed = len(gzip.compress(response.content, 6))
        self.stdout.write(
            f"  Python CPU {statistics.median(cpu) * 1000:.0f} ms, SQL "
            f"{statistics.median(sql_ms):.0f} ms in {len(captured.captured_queries)} queries, "
            f"{size / 1024:.0f} KiB of HTML ({compressed / 1024:.0f} KiB gzipped), {links:,} "
            "drill-down links"
        )
        self.results[-1] = (
            name,
            statistics.median(times) * 1000,
            statistics.median(cpu) * 1000,
            statistics.median(sql_ms),
            None,
            size / 1024,
        )
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            http.get(url, query)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(profile)
            self.stdout.write(out.getvalue())

    def _summary(self):
        """One compact table of every figure above, with the load average beside it."""
        load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
        self.stdout.write(f"\nSummary (load average {load}; {os.cpu_count()} cores)")
        self.stdout.write(
            f"  {'measure':<58} {'median ms':>9} {'cpu ms':>7} {'sql ms':>7} {'rows':>10} "
            f"{'KiB':>6}"
        )

        def cell(value, width, fmt):
            return f"{'':>{width}}" if value is None else f"{value:>{width}{fmt}}"

        for name, ms, cpu, sql, rows, kib in self.results:
            self.stdout.write(
                f"  {name[:58]:<58} {cell(ms, 9, '.0f')} {cell(cpu, 7, '.0f')} "
                f"{cell(sql, 7, '.0f')} {cell(rows, 10, ',')} {cell(kib, 6, '.0f')}"
            )

    def _bench_csv(self, *, date_from, date_to, as_of, only=None):
        from reports.models import OrgSummaryPage, VacancyTrackerPage

        # Through the same route a browser uses, so the streaming response is measured.
        for page_class, query in (
            (OrgSummaryPage, {"date_from": date_from, "date_to": date_to}),
            (VacancyTrackerPage, {"as_of": as_of}),
        ):
            if only and page_class._meta.model_name != only.replace("_", "") + "page":
                continue
            # An unsaved page is enough: the CSV route reads the registry, not the page.
            page = page_class(title=page_class._meta.verbose_name)
            request = RequestFactory().get("/", {k: v.isoformat() for k, v in query.items()})
            tracemalloc.start()
            start = time.perf_counter()
            # The route without its access check (there is no logged-in user here).
            response = page.export_csv.__wrapped__(page, request)
            size = lines = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                lines += 1
            elapsed = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.results.append(
                (f"CSV {page.title}", elapsed * 1000, None, None, None, size / 1024)
            )
            self.stdout.write(
                f"CSV {page.title}: {elapsed * 1000:.0f} ms, {lines:,} lines, "
                f"{size / 1024:.0f} KiB streamed, peak Python memory {peak / 1024:.0f} KiB"
            )
        # The writer alone on a long synthetic stream: memory must not grow with length.
        for count in (10_000, 1_000_000):
            tracemalloc.start()
            rows = (["Programs", "Shelters", f"=Prog {i}", "Clients", i] for i in range(count))
            for _ in csv_lines(rows):
                pass
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.stdout.write(
                f"CSV writer, {count:,} rows: peak Python memory {peak / 1024:.0f} KiB"
            )

    @transaction.atomic
    def _build(self, *, scale, today):
        sizes = {name: max(1, int(n * scale)) for name, n in CITY.items()}
        sizes["departments"] = CITY["departments"]
        self.stdout.write(f"Building a synthetic registry: {sizes}")
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in _build_sql(sizes=sizes, today=today):
                cursor.execute(statement)
            cursor.execute(
                "ANALYZE snippets_department, snippets_program, snippets_programcapacity, "
                "snippets_client, "
                "snippets_clientprogramenrollment, snippets_intake, snippets_discharge"
            )
        self.stdout.write(f"Built in {time.perf_counter() - start:.0f} s")


def _department_leader() -> Staff:
    """The bench's Leader (bench-report-leader@bench.registry.test, no usable password),
    assigned to the first department by name: the page links that department's counts."""
    leader = staff_create(
        email="bench-report-leader@bench.registry.test",
        first_name="Bench",
        last_name="Leader",
        password=None,
        roles=[RoleName.LEADER],
    )
    department = Department.objects.live().order_by("name").first()
    if department is not None:
        DepartmentStaff.objects.get_or_create(department=department, staff=leader)
    return leader


def _plan_rows(run) -> int:
    """Rows produced by every node of the report's main statement (EXPLAIN ANALYZE, the
    actual rows times loops, summed): database work that does not depend on the machine."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    statement = next(q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)

    def total(node):
        own = int(node.get("Actual Rows", 0) * node.get("Actual Loops", 1))
        return own + sum(total(child) for child in node.get("Plans", []))

    return total(plan[0]["Plan"])


def _differences(before, now) -> list[str]:
    """What the summary before issue 16 and now do not agree on, among the numbers both
    have (before left out programs and departments with nothing in the period)."""
    found = []
    for name in ("clients_served", "intakes", "discharges"):
        if getattr(before, name) != getattr(now, name):
            found.append(f"{name}: {getattr(before, name)} vs {getattr(now, name)}")
    for old, new in zip(before.demographics, now.demographics, strict=True):
        if [(a.label, a.count) for a in old.rows] != [(a.label, a.count) for a in new.rows]:
            found.append(f"{old.key} rows")
    old_departments = {(a.label, a.count) for a in before.by_department.rows}
    new_departments = {(a.label, a.count) for a in now.by_department.rows if a.count}
    if old_departments != new_departments:
        found.append("departments")
    old_programs = [
        (p.department, p.program, p.clients_served, p.intakes, p.discharges)
        for p in before.programs
    ]
    new_programs = [
        (p.department, p.program, p.clients_served, p.intakes, p.discharges)
        for p in now.programs
        if p.clients_served or p.intakes or p.discharges
    ]
    if old_programs != new_programs:
        found.append("programs")
    if sum(m.intakes for m in now.months) != now.intakes:
        found.append("months' intakes")
    return found


# Answers drawn at random for the synthetic clients, blanks included.
GENDERS = ["Woman", "Man", "Non-binary", "Two-Spirit", "Prefers not to say", ""]
ORIENTATIONS = ["Straight / heterosexual", "Gay", "Lesbian", "Bisexual", "Queer", ""]
STATUSES = ["citizen", "permanent_resident", "refugee_claimant", "gar", "psr", "no_status", ""]
LANGUAGES = ["English", "French", "Mandarin", "Punjabi", "Tamil", "Spanish", "Arabic", "Somali"]


def _array(values):
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _build_sql(*, sizes, today):
    """INSERT ... SELECT generate_series statements. 99 % of rows are live; enrollments
    spread over six years, most closed within a year, about 2.5 % still open."""
    record = "live, has_unpublished_changes, expired, locked, created_at, updated_at"
    record_values = "random() > 0.01, false, false, false, now(), now()"
    today_sql = f"DATE '{today.isoformat()}'"
    return [
        "CREATE TEMP TABLE bench_department (n int PRIMARY KEY, id uuid) ON COMMIT DROP",
        "CREATE TEMP TABLE bench_program (n int PRIMARY KEY, id uuid) ON COMMIT DROP",
        "CREATE TEMP TABLE bench_client (n int PRIMARY KEY, id uuid) ON COMMIT DROP",
        f"""INSERT INTO bench_department
            SELECT n, gen_random_uuid() FROM generate_series(1, {sizes["departments"]}) n""",
        f"""INSERT INTO snippets_department (id, name, {record})
            SELECT id, 'Bench department ' || n || ' ' || left(id::text, 8), true, false,
                   false, false, now(), now()
            FROM bench_department""",
        f"""INSERT INTO bench_program
            SELECT n, gen_random_uuid() FROM generate_series(1, {sizes["programs"]}) n""",
        f"""INSERT INTO snippets_program (id, name, department_id, location, capacity_current,
                capacity_effective_date, {record})
            SELECT p.id, 'Bench program ' || p.n || ' ' || left(p.id::text, 8), d.id, '',
                   CASE WHEN random() < 0.1 THEN NULL ELSE 10 + (random() * 90)::int END,
                   {today_sql} - (random() * 1000)::int + 30,
                   true, false, false, false, now(), now()
            FROM bench_program p
            JOIN bench_department d ON d.n = 1 + (p.n % {sizes["departments"]})""",
        # Each capacity as the latest entry of the program's capacity history, as the data
        # migration leaves an existing program: the reports read capacity from there.
        """INSERT INTO snippets_programcapacity (sort_order, capacity, effective_from,
                effective_to, program_id)
            SELECT 0, p.capacity_current, p.capacity_effective_date, NULL, p.id
            FROM snippets_program p JOIN bench_program b ON b.id = p.id
            WHERE p.capacity_current IS NOT NULL""",
        f"""INSERT INTO bench_client
            SELECT n, gen_random_uuid() FROM generate_series(1, {sizes["clients"]}) n""",
        f"""INSERT INTO snippets_client (id, first_name, last_name, dob, gender, languages,
                sexual_orientation, immigration_status, extra_demographics, {record})
            SELECT id, 'Bench', 'Client ' || n, {today_sql} - (365 * 5 + random() * 365 * 80)::int,
                   ({_array(GENDERS)})[1 + (random() * {len(GENDERS) - 1})::int],
                   CASE WHEN random() < 0.1 THEN ARRAY[]::varchar[]
                        WHEN random() < 0.3
                        THEN ARRAY[({_array(LANGUAGES)})[1 + (random() * 7)::int],
                                   ({_array(LANGUAGES)})[1 + (random() * 7)::int]]
                        ELSE ARRAY[({_array(LANGUAGES)})[1 + (random() * 7)::int]] END,
                   ({_array(ORIENTATIONS)})[1 + (random() * {len(ORIENTATIONS) - 1})::int],
                   ({_array(STATUSES)})[1 + (random() * {len(STATUSES) - 1})::int],
                   '{{}}'::jsonb, {record_values}
            FROM bench_client""",
        f"""INSERT INTO snippets_clientprogramenrollment (id, client_id, program_id, start_date,
                end_date, {record})
            SELECT gen_random_uuid(), c.id, p.id, e.start_date,
                   CASE WHEN random() < 0.025 THEN NULL
                        ELSE least(e.start_date + (random() * 365)::int, {today_sql}) END,
                   {record_values}
            FROM (SELECT 1 + (random() * ({sizes["clients"]} - 1))::int AS client_n,
                         1 + (random() * ({sizes["programs"]} - 1))::int AS program_n,
                         {today_sql} - (random() * 365 * 6)::int AS start_date
                  FROM generate_series(1, {sizes["enrollments"]})) e
            JOIN bench_client c ON c.n = e.client_n
            JOIN bench_program p ON p.n = e.program_n""",
        # One intake per five enrollments, and as many discharges, spread the same way.
        *[
            f"""INSERT INTO {table} (id, client_id, program_id, {date_column}, {extra_column},
                    {record})
                SELECT gen_random_uuid(), c.id, p.id, e.day, '', {record_values}
                FROM (SELECT 1 + (random() * ({sizes["clients"]} - 1))::int AS client_n,
                             1 + (random() * ({sizes["programs"]} - 1))::int AS program_n,
                             {today_sql} - (random() * 365 * 6)::int AS day
                      FROM generate_series(1, {sizes["enrollments"] // 5})) e
                JOIN bench_client c ON c.n = e.client_n
                JOIN bench_program p ON p.n = e.program_n"""
            for table, date_column, extra_column in (
                ("snippets_intake", "intake_date", "source_system"),
                ("snippets_discharge", "discharge_date", "reason"),
            )
        ],
    ]
