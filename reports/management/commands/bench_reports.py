"""Time the reports on the registry in this database, as a leader would run them.

    manage.py bench_reports                 # on the data already there (seed_demo --size city)
    manage.py bench_reports --build 0.1     # first add a synthetic registry at 10 % of city size

Prints, for each report, the best and median of several runs, and the CSV export's peak
Python memory (tracemalloc) next to its size, so flat memory can be seen. Not a test:
timings depend on the machine.
"""

import datetime
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from reports.exports import csv_lines
from reports.selectors import org_summary, vacancy_tracker
from reports.vacancy import enrollment_list_links, vacancy_table
from snippets.models import Client, ClientProgramEnrollment, Program
from staff.models import Staff
from staff.roles import RoleName

# City size, from the issue: 1,000,000 clients, 5,000,000 enrollments, 2,000 programs.
CITY = {"departments": 20, "programs": 2_000, "clients": 1_000_000, "enrollments": 5_000_000}
TARGETS = {"org_summary": 2.0, "vacancy_tracker": 0.3}


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

    def handle(self, *args, build, runs, as_of, **options):
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

        summary, times = self._time(
            lambda: org_summary(date_from=date_from, date_to=date_to), runs=runs
        )
        self._report(f"Org Summary {date_from} to {date_to}", times, TARGETS["org_summary"])
        self.stdout.write(f"  {summary.clients_served:,} distinct clients served")

        tracker, times = self._time(lambda: vacancy_tracker(as_of=as_of), runs=runs)
        self._report(f"Vacancy Tracker as of {as_of}", times, TARGETS["vacancy_tracker"])
        self.stdout.write(f"  {tracker.occupied:,} places occupied of {tracker.capacity:,}")
        self._bench_vacancy_parts(as_of=as_of, runs=runs)

        self._bench_csv(date_from=date_from, date_to=date_to, as_of=as_of)

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
        self.stdout.write(
            f"{name}: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms "
            f"({verdict} the {target * 1000:.0f} ms target, {len(times)} runs)"
        )

    def _bench_vacancy_parts(self, *, as_of, runs):
        """The tracker with what the page adds: rates, bars and the drill-down links for
        an Administrator (every program links), and with counts hidden (complementary
        suppression); then the whole page through its route, rendered."""
        from reports.models import VacancyTrackerPage

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
        page = VacancyTrackerPage.objects.live().first()
        if page is None or reader is None:
            self.stdout.write(
                "Vacancy Tracker page: skipped (needs setup_reports and an Administrator)"
            )
            return

        def render(query):
            request = RequestFactory().get("/", query)
            request.user = reader
            # The route without its access check (the reader is an Administrator).
            response = page.report.__wrapped__(page, request)
            return len(response.render().content)

        for label, query in (
            ("", {"as_of": as_of.isoformat()}),
            (", counts hidden", {"as_of": as_of.isoformat(), "hide_small": "on"}),
        ):
            size, times = self._time(lambda query=query: render(query), runs=runs)
            self._report(f"Vacancy Tracker page rendered{label}", times, TARGETS["vacancy_tracker"])
            self.stdout.write(f"  {size / 1024:.0f} KiB of HTML")

    def _bench_csv(self, *, date_from, date_to, as_of):
        from reports.models import OrgSummaryPage, VacancyTrackerPage

        # Through the same route a browser uses, so the streaming response is measured.
        for page_class, query in (
            (OrgSummaryPage, {"date_from": date_from, "date_to": date_to}),
            (VacancyTrackerPage, {"as_of": as_of}),
        ):
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
