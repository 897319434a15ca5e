"""Fill the registry with synthetic demo data, from a few hundred clients to city scale."""

import random
import time
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from audit.context import audit_suspended_for_synthetic_data
from snippets import demo_data
from snippets.models import (
    Client,
    ClientProgramEnrollment,
    Department,
    Program,
    ProgramCapacity,
    ProgramStaff,
)
from staff.roles import RoleName, role_label
from staff.services import roles_ensure, staff_create

SIZES = {
    # name: (clients, enrollments, programs)
    "demo": (300, 700, None),
    "city": (1_000_000, 5_000_000, 2_000),
}
DEMO_PASSWORD = "registry-demo-2026"


def demo_login_email(role: str) -> str:
    return f"{role.lower()}@demo.registry.test"


class Command(BaseCommand):
    help = (
        "Load synthetic demo data (idempotent: tops up to the requested size). "
        "--size demo (default) gives ~20 programs and a few hundred clients; --size city gives "
        "1,000,000 clients, 5,000,000 enrollments and 2,000 programs for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="demo")
        parser.add_argument("--clients", type=int, help="Override the number of clients.")
        parser.add_argument("--enrollments", type=int, help="Override the number of enrollments.")
        parser.add_argument("--programs", type=int, help="Override the number of programs.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable).")
        parser.add_argument("--timing", action="store_true", help="Print each step's time.")

    def handle(self, *args, size, clients, enrollments, programs, seed, timing, **options):
        target_clients, target_enrollments, target_programs = SIZES[size]
        target_clients = clients if clients is not None else target_clients
        target_enrollments = enrollments if enrollments is not None else target_enrollments
        target_programs = programs if programs is not None else target_programs
        if min(target_clients, target_enrollments) < 0:
            raise CommandError(gettext("Sizes cannot be negative."))
        self.seed = seed
        self.rng = random.Random(seed)
        self.timing = timing
        self.started = time.perf_counter()

        with self.step("roles"):
            roles_ensure()
        with self.step("departments and programs"), transaction.atomic():
            program_ids = self.seed_programs(target_programs)
        logins = []
        if getattr(settings, "REGISTRY_DEMO_LOGINS", False):
            with self.step("demo logins"), transaction.atomic():
                logins = self.seed_logins()
        clients_since = timezone.now()
        # Each step is one transaction. Synthetic bulk rows skip the per-row audit (millions
        # of audit rows would multiply the load time); departments, programs and logins above
        # are audited like any write.
        with self.step("clients"), audit_suspended_for_synthetic_data():
            added_clients = self.seed_clients(target_clients)
        with self.step("enrollments, intakes, discharges"), audit_suspended_for_synthetic_data():
            added_enrollments = self.seed_enrollments(target_enrollments, program_ids)
        with self.step("restrictions"), audit_suspended_for_synthetic_data():
            added_restrictions = self.seed_restrictions(added_clients, since=clients_since)
        with self.step("vacuum and analyze"), connection.cursor() as cursor:
            # VACUUM marks the freshly loaded pages all-visible, so the reports read their
            # covering indexes without visiting the table (autovacuum would do it later;
            # a benchmark straight after seeding should not measure that gap). VACUUM cannot
            # run inside a transaction (a test's), where ANALYZE alone does.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")

        self.stdout.write(
            gettext(
                "Registry now holds %(clients)s clients, %(enrollments)s enrollments, "
                "%(programs)s programs (added %(added_clients)s clients, %(added_enrollments)s "
                "enrollments, %(added_restrictions)s restrictions)."
            )
            % {
                key: number_format(value, force_grouping=True)
                for key, value in {
                    "clients": Client.objects.count(),
                    "enrollments": ClientProgramEnrollment.objects.count(),
                    "programs": Program.objects.count(),
                    "added_clients": added_clients,
                    "added_enrollments": added_enrollments,
                    "added_restrictions": added_restrictions,
                }.items()
            }
        )
        if timing:
            self.stdout.write(
                gettext("Total: %(seconds)s s")
                % {"seconds": f"{time.perf_counter() - self.started:.1f}"}
            )
        if logins:
            self.stdout.write(
                "\n"
                + gettext("Demo logins (dev only), password %(password)s:")
                % {"password": DEMO_PASSWORD}
            )
            for role, email in logins:
                self.stdout.write(f"  {role_label(role):<14} {email}")

    @contextmanager
    def step(self, name):
        started = time.perf_counter()
        yield
        if self.timing:
            self.stdout.write(f"  {name}: {time.perf_counter() - started:.1f} s")

    def seed_programs(self, target_programs):
        today = timezone.localdate()
        programs = []
        for department_name, entries in demo_data.DEPARTMENTS.items():
            department, _ = Department.objects.get_or_create(
                name=department_name,
                defaults={"owner": "Director, " + department_name, "live": True},
            )
            for index, (program_name, capacity) in enumerate(entries):
                program, _ = Program.objects.get_or_create(
                    name=program_name,
                    defaults={
                        "department": department,
                        "location": demo_data.LOCATIONS[index % len(demo_data.LOCATIONS)],
                        "capacity_current": capacity,
                        "capacity_effective_date": today.replace(month=1, day=1)
                        if capacity
                        else None,
                        "live": True,
                    },
                )
                programs.append(program)
        existing = Program.objects.count()
        if target_programs and existing < target_programs:
            # City scale: more sites of the same kinds of program, named by site number.
            templates = programs
            rows = []
            for number in range(existing + 1, target_programs + 1):
                template = templates[number % len(templates)]
                rows.append(
                    Program(
                        name=f"{template.name} – Site {number:04d}",
                        department_id=template.department_id,
                        location=self.rng.choice(demo_data.LOCATIONS),
                        capacity_current=template.capacity_current,
                        capacity_effective_date=template.capacity_effective_date,
                        live=True,
                    )
                )
            Program.objects.bulk_create(rows, batch_size=1000)
        # Each capacity is the open-ended latest entry of the program's capacity history, as
        # the data migration leaves an existing program: the reports read it from there.
        ProgramCapacity.objects.bulk_create(
            (
                ProgramCapacity(
                    program_id=pk, capacity=capacity, effective_from=since, sort_order=0
                )
                for pk, capacity, since in Program.objects.filter(
                    capacity_current__isnull=False, capacity_history__isnull=True
                ).values_list("id", "capacity_current", "capacity_effective_date")
            ),
            batch_size=1000,
        )
        return list(Program.objects.live().values_list("id", flat=True))

    def seed_logins(self):
        logins = []
        for role in RoleName:
            email = demo_login_email(role.value)
            staff_create(
                email=email,
                first_name=f"Demo {role.value}",
                last_name="Account",
                password=DEMO_PASSWORD,
                roles=[role.value],
            )
            logins.append((role.value, email))
        # Each demo program has its staff; the demo Manager manages the first few.
        manager = demo_login_email(RoleName.MANAGER)
        worker = demo_login_email(RoleName.STAFF)
        for program in Program.objects.filter(name__in=self.demo_program_names())[:6]:
            for email, is_manager in ((manager, True), (worker, False)):
                ProgramStaff.objects.get_or_create(
                    program=program,
                    staff_id=self._staff_id(email),
                    defaults={"is_manager": is_manager},
                )
        return logins

    @staticmethod
    def demo_program_names():
        return [name for entries in demo_data.DEPARTMENTS.values() for name, _ in entries]

    @staticmethod
    def _staff_id(email):
        from staff.models import Staff

        return Staff.objects.only("id").get(email=email).id

    def seed_clients(self, target):
        existing = Client.objects.count()
        to_add = max(0, target - existing)
        if not to_add:
            return 0
        ids = []
        with self.bulk(to_add, ["snippets_client", "snippets_clientsourceid"]):
            self._copy_clients(to_add, existing, ids)
        return to_add

    def _copy_clients(self, to_add, existing, ids):
        # A top-up continues the sequence rather than repeating it: seeded by how many
        # clients exist, so topping up never recreates the same synthetic people.
        rng = random.Random(f"{self.seed}-{existing}")
        demo_data.copy_records(
            "snippets_client",
            demo_data.CLIENT_COPY_COLUMNS,
            demo_data.client_rows(rng, to_add, ids),
        )
        demo_data.copy_plain(
            "snippets_clientsourceid",
            ("client_id", "source", "uid_external", "sort_order"),
            demo_data.source_id_rows(rng, ids, start_number=existing + 1),
        )

    # From this many rows, rebuilding plain indexes after the load beats updating them.
    bulk_threshold = 100_000

    def bulk(self, rows, tables):
        """Large loads rebuild plain indexes afterwards instead of row by row."""
        if rows >= self.bulk_threshold:
            return demo_data.indexes_rebuilt_after(tables)
        return nullcontext()

    def seed_enrollments(self, target, program_ids):
        existing = ClientProgramEnrollment.objects.count()
        to_add = max(0, target - existing)
        if not to_add or not program_ids:
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM snippets_client WHERE live")
            client_ids = [row[0] for row in cursor.fetchall()]
        if not client_ids:
            return 0
        started_at = timezone.now()
        tables = ["snippets_clientprogramenrollment", "snippets_intake", "snippets_discharge"]
        with self.bulk(to_add, tables):
            self._copy_enrollments(to_add, client_ids, program_ids, started_at)
        return to_add

    def _copy_enrollments(self, to_add, client_ids, program_ids, started_at):
        demo_data.copy_records(
            "snippets_clientprogramenrollment",
            ("id", "client_id", "program_id", "start_date", "end_date"),
            demo_data.enrollment_rows(
                self.rng, client_ids, program_ids, to_add, timezone.localdate()
            ),
        )
        # Intakes and discharges follow the new enrollments, set-based in SQL: half the
        # recorded enrollments have an intake; most that ended have a discharge.
        state = "true, false, false, false, now(), now(), now(), now()"
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(self.rng.random() * 2) - 1])
            cursor.execute(
                f"""
                INSERT INTO snippets_intake (id, client_id, program_id, intake_date,
                    source_system, live, has_unpublished_changes, expired, locked,
                    first_published_at, last_published_at, created_at, updated_at)
                SELECT gen_random_uuid(), client_id, program_id, start_date,
                    (ARRAY['SMIS', 'EMH', 'FFAI', ''])[1 + floor(random() * 4)::int], {state}
                FROM snippets_clientprogramenrollment
                WHERE created_at >= %s AND random() < 0.5
                """,
                [started_at],
            )
            cursor.execute(
                f"""
                INSERT INTO snippets_discharge (id, client_id, program_id, discharge_date,
                    reason, live, has_unpublished_changes, expired, locked,
                    first_published_at, last_published_at, created_at, updated_at)
                SELECT gen_random_uuid(), client_id, program_id, end_date,
                    (%s::text[])[1 + floor(random() * %s)::int], {state}
                FROM snippets_clientprogramenrollment
                WHERE created_at >= %s AND end_date IS NOT NULL AND random() < 0.6
                """,
                [list(demo_data.DISCHARGE_REASONS), len(demo_data.DISCHARGE_REASONS), started_at],
            )

    def seed_restrictions(self, added_clients, *, since):
        if not added_clients:
            return 0
        state = "true, false, false, false, now(), now(), now(), now()"
        share = 0.01 if added_clients > 1000 else 0.04
        with connection.cursor() as cursor:
            # About one client in a hundred has a restriction: most agency-wide and ended,
            # some on one program, some still in force.
            cursor.execute(
                f"""
                WITH picked AS (
                    SELECT c.id AS client_id, random() AS r, random() AS r2,
                        current_date - (floor(random() * 3650))::int AS start_date
                    FROM snippets_client c
                    WHERE c.created_at >= %s AND random() < %s
                )
                INSERT INTO snippets_servicerestriction (id, client_id, scope, program_id,
                    start_date, end_date, reason, live, has_unpublished_changes, expired,
                    locked, first_published_at, last_published_at, created_at, updated_at)
                SELECT gen_random_uuid(), client_id,
                    CASE WHEN r < 0.6 THEN 'org' ELSE 'program' END,
                    CASE WHEN r < 0.6 THEN NULL ELSE
                        (SELECT id FROM snippets_program ORDER BY id
                         OFFSET floor(r2 * (SELECT count(*) FROM snippets_program)) LIMIT 1)
                    END,
                    start_date,
                    CASE WHEN r2 < 0.8 THEN start_date + 90 ELSE NULL END,
                    (%s::text[])[1 + floor(r2 * %s)::int], {state}
                FROM picked
                """,
                [
                    since,
                    share,
                    list(demo_data.RESTRICTION_REASONS),
                    len(demo_data.RESTRICTION_REASONS),
                ],
            )
            return cursor.rowcount
