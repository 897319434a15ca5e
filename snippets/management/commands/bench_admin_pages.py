"""Time every admin list and record page on the registry as it stands (run seed_demo --size
city first), signed in as a Coordinator and as a Manager; then the screens the front desk
opens all day (the Clients list, a search by name, by date of birth and by source id, a
record) as program-scoped readers (issue 13): a Staff member assigned to one program and a
Leader assigned to a department. Those two logins are made here (bench-staff@ and
bench-leader@bench.registry.test, no usable password) and assigned to the busiest program
and its department.

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


def scoped_screens(ids: dict) -> list[Screen]:
    """What the front desk opens all day, for a program-scoped reader: their clients, a
    search that finds anyone (limited rows outside their scope), and a record of theirs."""
    clients = reverse(SNIPPET_LIST.format("client"))
    out = [
        Screen("Clients", "default", clients, {}),
        Screen("Clients", "search: a last name", clients, {"q": ids["name"]}),
        Screen("Clients", "search: date of birth", clients, {"q": ids["dob"].isoformat()}),
    ]
    if ids["source_id"]:
        out.append(Screen("Clients", "search: source id", clients, {"q": ids["source_id"]}))
    if ids["program_client"]:
        record = reverse(SNIPPET_INSPECT.format("client"), args=[ids["program_client"]])
        out.append(Screen("Client record", "own program's client", record, {}))
    return out


# Program-scoped readers: their role and what they are assigned to.
SCOPED_READERS = {
    "staff": (RoleName.STAFF, "one program"),
    "leader": (RoleName.LEADER, "one department"),
}


def scoped_reader(role_name: str, ids: dict) -> Staff:
    """The bench's Staff member (assigned to the busiest program) or Leader (assigned to
    its department), made if missing. No password: the bench signs in with force_login."""
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
        DepartmentStaff.objects.get_or_create(department_id=ids["program_department"], staff=staff)
    return staff


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
            help="Sign in as this role (default: all four; staff and leader are "
            "program-scoped and see the front desk's screens only).",
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

    def handle(self, *args, repeat, role, only, profile, **options):
        ids = sample_ids()
        pages = screens(ids)
        if only:
            pages = [s for s in pages if only.lower() in s.name.lower()]
        clients = _one("SELECT reltuples::bigint FROM pg_class WHERE relname = 'snippets_client'")
        enrollments = _one(
            "SELECT reltuples::bigint FROM pg_class "
            "WHERE relname = 'snippets_clientprogramenrollment'"
        )
        self.stdout.write(
            f"Admin pages on about {clients:,} clients and {enrollments:,} enrollments "
            f"(median of {repeat} after a warm-up; * = over {BUDGET_MS} ms or "
            f"{BUDGET_ROWS:,} rows)"
        )
        for role_name in role or ["coordinator", "manager", *SCOPED_READERS]:
            if role_name in SCOPED_READERS:
                staff = scoped_reader(role_name, ids)
                role_pages = scoped_screens(ids)
                if only:
                    role_pages = [s for s in role_pages if only.lower() in s.name.lower()]
                heading = (
                    f"Signed in as a {role_name.title()} assigned to "
                    f"{SCOPED_READERS[role_name][1]} (need to know)"
                )
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
                heading = f"Signed in as a {role_name.title()}"
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
                if profile:
                    self.stdout.write(profiled(http, screen, profile))
