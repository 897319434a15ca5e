"""Time every admin list and record page, the home page, Possible matches and Imports on
the registry as it stands (run seed_demo --size city first), signed in as a Coordinator and
as a Manager (the demo login: program-scoped, assigned seed_demo's first six programs);
then, as program-scoped readers (issue 13), the screens the front desk opens all day (the
Clients list, a search by name, by date of birth and by source id, page 2, a record) and the
services lists (Enrollments, Intakes, Discharges, Restrictions: their clients' records, and
filtered to their program). Those readers are made here, with no usable password:
bench-staff@bench.registry.test (a Staff member assigned to the busiest program),
bench-leader@ (a Leader assigned to its department) and bench-leader-largest@ (a Leader of
the department of the most programs).

For each screen, with its default sort and with each filter, prints the server time of its
first page (Django's test client, in process: no network, no proxy), the CPU time this
process spent on it (rendering; `--profile N` shows where), the SQL queries it ran,
and the rows of database work: the sum over every plan node of EXPLAIN ANALYZE's actual
rows × loops, over the page's queries. Rows do not depend on the machine, so a regression
shows even on a loaded one. Prints ids and filter names only, never a client's details.
"""

import cProfile
import datetime
import io
import os
import pstats
import statistics
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.selectors import services_in_window, staff_scope
from snippets.models import DepartmentStaff, ProgramStaff
from staff.models import Staff
from staff.roles import RoleName
from staff.services import staff_create

# Wagtail's snippet lists, by model name.
SNIPPET_LIST = "wagtailsnippets_snippets_{}:list"
SNIPPET_INSPECT = "wagtailsnippets_snippets_{}:inspect"

# The pages' budgets (issue 14): above either, the row is flagged.
BUDGET_MS = 300
BUDGET_ROWS = 200_000


@dataclass
class Screen:
    name: str
    label: str  # the sort or filter applied; never a searched name
    url: str
    params: dict


@dataclass
class Measure:
    status: int
    ms: float
    cpu_ms: float  # this process's CPU (Python: views, templates), not PostgreSQL's
    queries: int
    rows: int


def plan_rows(node: dict) -> int:
    """Rows produced by a plan node and all nodes under it, each times its loops."""
    rows = int(node.get("Actual Rows", 0) * node.get("Actual Loops", 1))
    return rows + sum(plan_rows(child) for child in node.get("Plans", ()))


def rows_of_work(sqls: list[str]) -> int:
    """The sum of plan_rows over the page's read queries, re-run under EXPLAIN ANALYZE."""
    total = 0
    with connection.cursor() as cursor:
        for sql in sqls:
            head = sql.lstrip()[:6].upper()
            if head not in ("SELECT", "WITH ("):
                continue  # writes (the access log, the session) are a few rows each
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            total += plan_rows(plan["Plan"])
    return total


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def sample_ids() -> dict:
    """Ids the filters and record pages use: the busiest program today, a client with many
    records, a department, a date of birth shared by many clients."""
    today = timezone.localdate()
    ids = {
        "program": _one(
            """SELECT program_id FROM snippets_clientprogramenrollment
               WHERE live AND start_date <= %s AND COALESCE(end_date, '9999-12-31') > %s
               GROUP BY program_id ORDER BY count(*) DESC LIMIT 1""",
            [today, today],
        ),
        "client": _one(
            """SELECT client_id FROM snippets_clientprogramenrollment
               WHERE client_id IN (SELECT id FROM snippets_client LIMIT 2000)
               GROUP BY client_id ORDER BY count(*) DESC LIMIT 1"""
        ),
        "department": _one("SELECT id FROM snippets_department ORDER BY name LIMIT 1"),
        "dob": _one("SELECT dob FROM snippets_client LIMIT 1"),
        "restricted_client": _one(
            "SELECT client_id FROM snippets_servicerestriction ORDER BY start_date DESC LIMIT 1"
        ),
        "audit_record": _one("SELECT entity_id FROM audit_log ORDER BY changed_at DESC LIMIT 1"),
        # The oldest item waiting: the queue is read oldest first.
        "possible_match": _one(
            "SELECT id FROM identity_possiblematch WHERE status = 'open' "
            "ORDER BY created_at LIMIT 1"
        ),
        "name": _one("SELECT last_name FROM snippets_client LIMIT 1"),
        "source_id": _one("SELECT uid_external FROM snippets_clientsourceid LIMIT 1"),
    }
    ids["program_department"] = _one(
        "SELECT department_id FROM snippets_program WHERE id = %s", [ids["program"]]
    )
    # A client of the busiest program today: in the program-scoped readers' scope.
    ids["program_client"] = _one(
        """SELECT client_id FROM snippets_clientprogramenrollment
           WHERE live AND program_id = %s AND start_date <= %s
             AND COALESCE(end_date, '9999-12-31') > %s LIMIT 1""",
        [ids["program"], today, today],
    )
    if ids["program"] is None or ids["client"] is None:
        raise CommandError("The registry has no enrollments: run seed_demo --size city first.")
    return ids


def screens(ids: dict) -> list[Screen]:
    today = timezone.localdate()
    month_ago = (today - datetime.timedelta(days=30)).isoformat()
    year_ago = (today - datetime.timedelta(days=365)).isoformat()
    program, client = str(ids["program"]), str(ids["client"])
    out: list[Screen] = []

    def add(name, url, *variants):
        out.append(Screen(name, "default", url, {}))
        for label, params in variants:
            out.append(Screen(name, label, url, params))

    def snippet(model):
        return reverse(SNIPPET_LIST.format(model))

    add(
        "Clients",
        snippet("client"),
        ("sort: date of birth", {"ordering": "dob"}),
        ("ever enrolled in", {"program": program}),
        ("enrolled today", {"enrolled_today": "true"}),
        ("not enrolled today", {"enrolled_today": "false"}),
        ("restricted today", {"restricted_today": "true"}),
        ("date of birth", {"dob": ids["dob"].isoformat()}),
        ("immigration status", {"immigration_status": "refugee_claimant"}),
        ("drafts only", {"live": "false"}),
        ("search: a last name", {"q": ids["name"]}),
        ("search: date of birth", {"q": ids["dob"].isoformat()}),
        ("page 2", {"p": "2"}),
    )
    add(
        "Programs",
        snippet("program"),
        ("sort: enrolled today", {"ordering": "-occupied"}),
        ("department", {"department": str(ids["department"])}),
        ("has a capacity", {"has_capacity": "true"}),
        ("drafts only", {"live": "false"}),
    )
    add("Departments", snippet("department"), ("drafts only", {"live": "false"}))
    client_program = [
        ("program", {"program": program}),
        ("client id", {"client": client}),
        ("drafts only", {"live": "false"}),
    ]
    add(
        "Enrollments",
        snippet("clientprogramenrollment"),
        ("active today", {"active_on": today.isoformat()}),
        ("started last month", {"start_date_after": month_ago}),
        ("program, active today", {"program": program, "active_on": today.isoformat()}),
        *client_program,
        ("page 2", {"p": "2"}),
    )
    add(
        "Intakes",
        snippet("intake"),
        ("intake date last month", {"intake_date_after": month_ago}),
        *client_program,
    )
    add(
        "Discharges",
        snippet("discharge"),
        ("discharge date last month", {"discharge_date_after": month_ago}),
        *client_program,
    )
    restricted = {"client": str(ids["restricted_client"])} if ids["restricted_client"] else {}
    add(
        "Restrictions",
        snippet("servicerestriction"),
        ("status: active", {"status": "active"}),
        ("status: expired", {"status": "expired"}),
        ("status: not yet started", {"status": "upcoming"}),
        ("scope: whole agency", {"scope": "org"}),
        ("program", {"program": program}),
        ("client id", restricted),
        ("started in the last year", {"start_date_after": year_ago}),
        ("drafts only", {"live": "false"}),
    )
    approvals = reverse("approvals:index")
    add(
        "Approvals",
        approvals,
        ("status: any", {"status": ""}),
        ("record type: client", {"entity": "client"}),
        ("waiting over a week", {"older_than": "7"}),
    )
    audit = [
        ("record type: client", {"entity": "client"}),
        ("action: update", {"action": "update"}),
        ("changed by: the system", {"changed_by": "system"}),
        ("from last month", {"date_from": month_ago}),
        ("search: a word", {"q": "shelter"}),
    ]
    if ids["audit_record"]:
        audit.append(("record id", {"record": str(ids["audit_record"])}))
    add("Audit log", reverse("audit:index"), *audit)
    add("Client record access log", reverse("client_record_access:index"))
    add(
        "Possible matches",
        reverse("possible_matches:index"),
        ("kind: records already in the registry", {"kind": "existing_client"}),
        ("kind: rows of an import", {"kind": "import_row"}),
        ("older than a week", {"older_than": "7"}),
        ("score: high", {"score_band": "high"}),
    )
    if ids["possible_match"]:
        out.append(
            Screen(
                "Possible match",
                "an item's page",
                reverse("possible_matches:detail", args=[ids["possible_match"]]),
                {},
            )
        )
    add("Imports", reverse("ingest:runs"))
    add("Home", reverse("wagtailadmin_home"))
    out.append(
        Screen(
            "Client record",
            "inspect (all tabs)",
            reverse(SNIPPET_INSPECT.format("client"), args=[client]),
            {},
        )
    )
    out.append(
        Screen(
            "Program record",
            "inspect",
            reverse(SNIPPET_INSPECT.format("program"), args=[program]),
            {},
        )
    )
    out.append(
        Screen(
            "Program record",
            "enrolled today, page 2",
            reverse(SNIPPET_INSPECT.format("program"), args=[program]),
            {"p": "2"},
        )
    )
    return out


def scoped_screens(ids: dict, staff) -> list[Screen]:
    """What the front desk opens all day, for a program-scoped reader: their clients, a
    search that finds anyone (limited rows outside their scope), a record of theirs, and
    the services lists (their clients' enrollments, intakes, discharges, restrictions),
    also filtered to their busiest program."""
    program, program_client = own_program_and_client(staff)
    clients = reverse(SNIPPET_LIST.format("client"))
    out = [
        Screen("Clients", "default", clients, {}),
        Screen("Clients", "search: a last name", clients, {"q": ids["name"]}),
        Screen("Clients", "search: date of birth", clients, {"q": ids["dob"].isoformat()}),
    ]
    if ids["source_id"]:
        out.append(Screen("Clients", "search: source id", clients, {"q": ids["source_id"]}))
    out.append(Screen("Clients", "page 2", clients, {"p": "2"}))
    if program_client:
        record = reverse(SNIPPET_INSPECT.format("client"), args=[program_client])
        out.append(Screen("Client record", "own program's client", record, {}))
    for name, model in SERVICE_LISTS:
        url = reverse(SNIPPET_LIST.format(model))
        out.append(Screen(name, "default", url, {}))
        if program:
            out.append(Screen(name, "their busiest program", url, {"program": str(program)}))
    return out


SERVICE_LISTS = [
    ("Enrollments", "clientprogramenrollment"),
    ("Intakes", "intake"),
    ("Discharges", "discharge"),
    ("Restrictions", "servicerestriction"),
]

# Program-scoped readers (made by the command, see scoped_reader): their role and what
# they are assigned to. The Manager is the demo login (seed_demo's first six programs).
SCOPED_READERS = {
    "staff": (RoleName.STAFF, "the busiest program"),
    "leader": (RoleName.LEADER, "the busiest program's department"),
    "leader-largest": (RoleName.LEADER, "the department of the most programs"),
}


def largest_department() -> object:
    return _one(
        """SELECT department_id FROM snippets_program WHERE live
           GROUP BY department_id ORDER BY count(*) DESC, department_id LIMIT 1"""
    )


def scoped_reader(role_name: str, ids: dict) -> Staff:
    """The bench's Staff member (assigned to the busiest program) or Leader (assigned to
    its department, or to the department of the most programs), made if missing. No
    password: the bench signs in with force_login."""
    role, _ = SCOPED_READERS[role_name]
    staff = staff_create(
        email=f"bench-{role_name}@bench.registry.test",
        first_name="Bench",
        last_name=role.value,
        password=None,
        roles=[role],
    )
    if role_name == "staff":
        ProgramStaff.objects.get_or_create(program_id=ids["program"], staff=staff)
    else:
        department = ids["program_department"] if role_name == "leader" else largest_department()
        DepartmentStaff.objects.get_or_create(department_id=department, staff=staff)
    return staff


def own_program_and_client(staff) -> tuple:
    """The reader's program with the most enrollments today, and one of its clients."""
    today = timezone.localdate()
    programs = [str(pk) for pk in staff_scope(staff).program_ids]
    row = None
    if programs:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT program_id, min(client_id::text) FROM snippets_clientprogramenrollment
                   WHERE live AND program_id = ANY(%s::uuid[]) AND start_date <= %s
                     AND COALESCE(end_date, '9999-12-31') > %s
                   GROUP BY program_id ORDER BY count(*) DESC LIMIT 1""",
                [programs, today, today],
            )
            row = cursor.fetchone()
    return row if row else (None, None)


def scope_size(staff) -> str:
    """How many programs the reader is assigned and how many clients their scope holds
    (counted here, outside the timed pages)."""
    scope = staff_scope(staff)
    clients = set()
    for services in services_in_window(scope) if scope.program_ids else ():
        clients.update(services.values_list("client_id", flat=True).iterator(chunk_size=20000))
    return f"{len(scope.program_ids):,} programs, {len(clients):,} clients in scope"


def measure(http: HttpClient, screen: Screen, repeat: int) -> Measure:
    """Median server time over ``repeat`` requests after one warm-up (the first request of
    a process pays for imports and caches), then queries and rows from one more."""
    response = http.get(screen.url, screen.params)
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = http.get(screen.url, screen.params)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if timings[-1] > 3000:
            break  # a slow page is slow; no need to wait for it three times
    with CaptureQueriesContext(connection) as captured:
        http.get(screen.url, screen.params)
    sqls = [q["sql"] for q in captured.captured_queries]
    return Measure(
        status=response.status_code,
        ms=statistics.median(timings),
        cpu_ms=statistics.median(cpu),
        queries=len(sqls),
        rows=rows_of_work(sqls),
    )


def profiled(http: HttpClient, screen: Screen, top: int) -> str:
    """One request of ``screen`` under cProfile: total calls and the ``top`` functions by
    own time (call counts do not depend on the machine)."""
    profiler = cProfile.Profile()
    profiler.enable()
    http.get(screen.url, screen.params)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


class Command(BaseCommand):
    help = "Benchmark every admin list and record page: time, SQL queries, rows of work."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Timed requests per page.")
        parser.add_argument(
            "--role",
            action="append",
            choices=["coordinator", "manager", *SCOPED_READERS],
            help="Sign in as this role (default: all). coordinator and manager (the demo "
            "logins: the Manager is program-scoped, assigned seed_demo's first six "
            "programs) open every screen; staff, leader and leader-largest (made here) "
            "are program-scoped and open the front desk's screens and the services lists.",
        )
        parser.add_argument("--only", help="Only screens whose name contains this text.")
        parser.add_argument(
            "--profile",
            type=int,
            default=0,
            metavar="N",
            help="Also profile one request of each screen (cProfile) and print its N "
            "costliest functions by own time.",
        )
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="End with every measured screen as one Markdown table (for docs/), with "
            "the load average.",
        )

    def handle(self, *args, repeat, role, only, profile, markdown, **options):
        ids = sample_ids()
        pages = screens(ids)
        clients = _one("SELECT reltuples::bigint FROM pg_class WHERE relname = 'snippets_client'")
        enrollments = _one(
            "SELECT reltuples::bigint FROM pg_class "
            "WHERE relname = 'snippets_clientprogramenrollment'"
        )
        self.stdout.write(
            f"Admin pages on about {clients:,} clients and {enrollments:,} enrollments "
            f"(median of {repeat} after a warm-up; * = over {BUDGET_MS} ms or "
            f"{BUDGET_ROWS:,} rows); load average {load_average()}"
        )
        table = []
        for role_name in role or ["coordinator", "manager", *SCOPED_READERS]:
            if role_name in SCOPED_READERS:
                staff = scoped_reader(role_name, ids)
                role_pages = scoped_screens(ids, staff)
                reader = f"{role_name.split('-')[0].title()}, {SCOPED_READERS[role_name][1]}"
            else:
                staff = (
                    Staff.objects.filter(groups__name__iexact=role_name, is_active=True)
                    .order_by("email")
                    .first()
                )
                if staff is None:
                    raise CommandError(
                        f"No active {role_name} login: run setup_roles and seed_demo."
                    )
                role_pages = pages
                reader = role_name.title()
            if only:
                role_pages = [s for s in role_pages if only.lower() in s.name.lower()]
            scoped = not staff_scope(staff).agency_wide
            heading = f"Signed in as a {reader}"
            if scoped:
                heading += f" (need to know: {scope_size(staff)})"
            http = HttpClient(HTTP_HOST="localhost")
            http.force_login(staff)
            self.stdout.write(f"\n{heading}")
            self.stdout.write(
                f"  {'screen':<26} {'with':<28} {'status':>6} {'ms':>8} {'cpu ms':>8} "
                f"{'queries':>8} {'rows':>12}"
            )
            for screen in role_pages:
                result = measure(http, screen, repeat)
                over = result.ms > BUDGET_MS or result.rows > BUDGET_ROWS
                self.stdout.write(
                    f"  {screen.name:<26} {screen.label:<28} {result.status:>6} "
                    f"{result.ms:>8.0f} {result.cpu_ms:>8.0f} {result.queries:>8} "
                    f"{result.rows:>12,}{' *' if over and result.status == 200 else ''}"
                )
                table.append((reader, screen, result))
                if profile:
                    self.stdout.write(profiled(http, screen, profile))
        if markdown:
            self.stdout.write(markdown_table(table))


def load_average() -> str:
    try:
        return " ".join(f"{n:.2f}" for n in os.getloadavg())
    except OSError:
        return "unknown"


def markdown_table(table: list) -> str:
    """Every measured screen as one Markdown table: reader, screen, ms, CPU ms, queries,
    rows; over-budget rows in bold."""
    lines = [
        "",
        f"Load average at the end: {load_average()}",
        "",
        "| reader | screen | ms | CPU ms | queries | rows |",
        "|---|---|---:|---:|---:|---:|",
    ]
    previous = None
    for reader, screen, result in table:
        rows = f"{result.rows:,}"
        if result.rows > BUDGET_ROWS:
            rows = f"**{rows}**"
        ms = f"{result.ms:,.0f}"
        if result.ms > BUDGET_MS:
            ms = f"**{ms}**"
        label = screen.name if screen.label == "default" else f"{screen.name}, {screen.label}"
        if result.status != 200:
            label += f" ({result.status})"
        lines.append(
            f"| {reader if reader != previous else ''} | {label} | {ms} | "
            f"{result.cpu_ms:,.0f} | {result.queries} | {rows} |"
        )
        previous = reader
    return "\n".join(lines)
