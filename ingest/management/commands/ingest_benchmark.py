"""manage.py ingest_benchmark [--rows 100000] [--million] [--naive-rows 1000] [--skip-seed]

Builds (or tops up) a city-scale registry with seed_demo, writes a realistic daily file
(mostly known clients with new services, about 10% new people, about 5% with typos), and
times the import as cron runs it: its own process, wall time, rows per second, peak memory
of that process and of its database backend. Beside it, the floor for the same file in the
same kind of process (ingest_copy_floor: a bare COPY of the file, then one INSERT of its
rows into an indexed copy of the clients table), and the import's ratio to it. It also
times the same matching done naively, an ORM query per row, on a slice of the file.

``--million`` does the same for a 1,000,000-row file, rolled back (a dry run), to show
that the import's memory does not grow with the file.

Not a test: figures depend on the machine. The import is real (its new clients stay), so a
second benchmark runs against a slightly bigger registry; --dry-run measures without
keeping anything.
"""

import csv
import datetime
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Concat

from ingest import synthetic
from snippets import demo_data
from snippets.models import Client, ClientSourceId, Program

SOURCE = "SMIS"
MILLION = 1_000_000


class NameKey(Func):
    function = "registry_name_key"
    output_field = CharField()


class Command(BaseCommand):
    help = "Time the daily import on a city-scale registry (see docs/ingest.md)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=1_000_000)
        parser.add_argument(
            "--enrollments", type=int, default=1_000_000, help="Passed to seed_demo."
        )
        parser.add_argument("--rows", type=int, default=100_000, help="Rows in the daily file.")
        parser.add_argument(
            "--million",
            action="store_true",
            help="Also import a 1,000,000-row file (rolled back) and its floor.",
        )
        parser.add_argument("--naive-rows", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--dry-run", action="store_true", help="Roll the import back.")
        parser.add_argument(
            "--skip-seed", action="store_true", help="Use the registry as it is (no seed_demo)."
        )
        parser.add_argument(
            "--file", default=str(Path(settings.BASE_DIR) / "bench-output" / "daily.csv")
        )

    def handle(
        self,
        *args,
        clients,
        enrollments,
        rows,
        million,
        naive_rows,
        seed,
        dry_run,
        skip_seed,
        file,
        **kw,
    ):
        rng = random.Random(seed)
        if not skip_seed:
            started = time.perf_counter()
            call_command(
                "seed_demo",
                size="city",
                clients=clients,
                enrollments=enrollments,
                stdout=self.stdout,
            )
            self.stdout.write(f"Registry ready in {time.perf_counter() - started:.0f} s.")

        path = Path(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        first_rows = self._write_daily_file(rng, rows, path, keep=naive_rows)
        self.stdout.write(f"Daily file: {rows:,} rows in {path}.")

        naive_seconds = self._naive(first_rows)
        naive_per_row = naive_seconds / max(1, len(first_rows))
        self.stdout.write(
            f"Naive matching (ORM, a query or more per row): {naive_per_row * 1000:.2f} ms per "
            f"row over {len(first_rows):,} rows, so about "
            f"{naive_per_row * rows:.0f} s for the whole file."
        )
        figures = self._import_and_floor(path, rows, dry_run=dry_run)
        if figures is None:
            return
        self.stdout.write(
            f"Set-based reading + matching: {figures['matching']:.1f} s for {rows:,} rows; "
            f"naive matching would take about {naive_per_row * rows:.0f} s: "
            f"{naive_per_row * rows / max(figures['matching'], 0.01):.0f}x slower."
        )
        if million:
            big = path.with_name(f"{path.stem}-1m{path.suffix}")
            self._write_daily_file(rng, MILLION, big, keep=0)
            self.stdout.write(f"Daily file: {MILLION:,} rows in {big} (imported as a dry run).")
            self._import_and_floor(big, MILLION, dry_run=True)

    def _import_and_floor(self, path: Path, rows: int, *, dry_run: bool) -> dict | None:
        """Run the import and the floor for ``path`` in their own processes; print both and
        their ratios. Returns the import's figures, or None when it failed."""
        command = [sys.executable, "manage.py", "ingest_daily", "--src", str(path)]
        command += [f"--source={SOURCE}", "--verbosity=2"] + (["--dry-run"] if dry_run else [])
        began = time.perf_counter()
        process = subprocess.run(
            command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - began
        self.stdout.write(process.stdout)
        self.stdout.write(process.stderr)
        if process.returncode:
            self.stderr.write(f"The import failed (exit status {process.returncode}).")
            return None
        began = time.perf_counter()
        floor = subprocess.run(
            [sys.executable, "manage.py", "ingest_copy_floor", "--src", str(path)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        floor_wall = time.perf_counter() - began
        self.stdout.write(floor.stdout)
        if floor.returncode:
            self.stderr.write(floor.stderr)

        def number(pattern, text, default=None):
            found = re.search(pattern, text)
            return float(found.group(1)) if found else default

        peak = number(r"this process ([\d.]+) MB", process.stderr)
        backend = re.search(r"database backend (\S+ MB)", process.stderr)
        in_all = number(r"in all ([\d.]+) s", process.stderr)
        matching = number(r"staging and matching ([\d.]+) s", process.stderr, wall)
        floor_peak = number(r"this process ([\d.]+) MB", floor.stdout)
        floor_copy = number(r"COPY ([\d.]+) s", floor.stdout)
        floor_together = number(r"together ([\d.]+) s", floor.stdout)
        cpu_both = [
            sum(float(x) for x in m.groups()) if m else None
            for m in (
                re.search(r"CPU time: this process ([\d.]+) s; database backend ([\d.]+) s", t)
                for t in (process.stderr, floor.stdout)
            )
        ]
        self.stdout.write(
            f"Import of {rows:,} rows against {Client.objects.count():,} clients"
            f"{' (dry run)' if dry_run else ''}: {wall:.1f} s wall, {rows / wall:,.0f} rows/s; "
            f"peak memory {peak or 0:.0f} MB (import process), "
            f"{backend.group(1) if backend else 'unknown'} (its database backend)."
        )
        if in_all is not None:
            self.stdout.write(
                f"Of the wall time, {in_all:.1f} s is the import itself and "
                f"{wall - in_all:.1f} s starting Python, Django and Wagtail."
            )
        if floor_together is not None and floor_peak:
            self.stdout.write(
                f"Floor for the same file: {floor_wall:.1f} s wall "
                f"(COPY {floor_copy:.1f} s, with the INSERT {floor_together:.1f} s), "
                f"{rows / floor_wall:,.0f} rows/s; peak memory {floor_peak:.0f} MB."
            )
            self.stdout.write(
                f"Import / floor: {wall / floor_wall:.1f}x the wall time, "
                f"{(peak or 0) / floor_peak:.2f}x the peak memory."
            )
        if all(cpu_both):
            self.stdout.write(
                f"CPU time, process and database backend together: import "
                f"{cpu_both[0]:.1f} s, floor {cpu_both[1]:.1f} s: "
                f"{cpu_both[0] / cpu_both[1]:.1f}x (less changed by a loaded machine than wall)."
            )
        return {"wall": wall, "matching": matching, "peak": peak}

    def _write_daily_file(self, rng, count: int, path: Path, *, keep: int) -> list[dict]:
        """Write ``count`` rows (_daily_rows) to ``path``, a row at a time; returns the
        first ``keep`` of them."""
        kept = []
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = None
            for row in self._daily_rows(rng, count):
                if writer is None:
                    writer = csv.DictWriter(handle, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                if len(kept) < keep:
                    kept.append(row)
        return kept

    def _daily_rows(self, rng, count):
        """85% known clients with new services (by their SMIS id when they have one, else
        by name and birthday), 5% known clients with a typo and no id, 10% new people.
        Yields the rows one at a time (the known clients come through a server-side
        cursor), so a file of a million rows is never held here."""
        file_tag = f"{rng.randrange(16**6):06X}"
        programs = list(Program.objects.live().values_list("name", flat=True))
        today = datetime.date.today()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [rng.random()])
            known = connection.connection.cursor(name="benchmark_known_clients")
            known.itersize = 5_000
            known.execute(
                """
                SELECT c.first_name, c.last_name, c.dob, sid.uid_external
                FROM snippets_client c
                LEFT JOIN snippets_clientsourceid sid ON sid.client_id = c.id AND sid.source = %s
                WHERE c.live ORDER BY random() LIMIT %s
                """,
                [SOURCE, int(count * 0.9)],
            )
            yield from self._rows_for(rng, count, known, file_tag, programs, today)
            known.close()

    def _rows_for(self, rng, count, known, file_tag, programs, today):
        known = iter(known)
        for index in range(count):
            client = next(known, None)
            if client is not None and rng.random() < 0.945:
                first, last, dob, uid = client
            elif client is not None:
                first, last, dob, uid = client
                first, uid = synthetic.typo(rng, first), None
            else:
                person = synthetic.random_person(rng)
                first, last, dob = person.first_name, person.last_name, person.dob
                # Unique to this file, so every run brings genuinely new people (an id
                # reused from an earlier run's file would match that run's person).
                uid = f"NEW{file_tag}{index:07d}"
            start = today - datetime.timedelta(days=rng.randrange(0, 30))
            ended = rng.random() < 0.3
            row = {
                "uid_external": uid or "",
                "first_name": first,
                "last_name": last,
                "dob": dob.isoformat(),
                "gender": "",
                "languages": "English;French" if rng.random() < 0.1 else "",
                "program": rng.choice(programs),
                "enrollment_start": start.isoformat(),
                "enrollment_end": (start + datetime.timedelta(days=1)).isoformat() if ended else "",
                "intake_date": start.isoformat(),
                "discharge_date": (start + datetime.timedelta(days=1)).isoformat() if ended else "",
                "discharge_reason": rng.choice(demo_data.DISCHARGE_REASONS) if ended else "",
            }
            yield row

    def _naive(self, rows) -> float:
        """The same three rules, one row at a time through the ORM; returns seconds."""
        began = time.perf_counter()
        live = Client.objects.live()
        for row in rows:
            if row["uid_external"] and (
                ClientSourceId.objects.filter(source=SOURCE, uid_external=row["uid_external"])
                .values_list("client_id", flat=True)
                .first()
            ):
                continue
            first, last = NameKey(Value(row["first_name"])), NameKey(Value(row["last_name"]))
            dob = datetime.date.fromisoformat(row["dob"])
            keyed = live.annotate(fk=NameKey(F("first_name")), lk=NameKey(F("last_name")))
            if list(keyed.filter(lk=last, fk=first, dob=dob).values_list("id", flat=True)[:2]):
                continue
            full = Concat(F("fk"), Value(" "), F("lk"), output_field=CharField())
            wanted = Concat(first, Value(" "), last, output_field=CharField())
            days = [dob] + ([dob.replace(month=dob.day, day=dob.month)] if dob.day <= 12 else [])
            list(
                keyed.filter(dob__in=days)
                .annotate(similar=TrigramSimilarity(full, wanted))
                .filter(similar__gte=0.5)
                .values_list("id", flat=True)[:10]
            )
            list(keyed.filter(lk=last, fk=first).values_list("id", "dob")[:50])
        return time.perf_counter() - began
