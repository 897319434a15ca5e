"""manage.py ingest_benchmark [--clients 1000000] [--rows 100000] [--naive-rows 1000]

Builds (or tops up) a city-scale registry with seed_demo, writes a realistic daily file
(mostly known clients with new services, about 10% new people, about 5% with typos), and
times the import as cron runs it: its own process, wall time, peak memory of that process
and of its database backend. It also times the same matching done naively, an ORM query
per row, on a slice of the file, and prints the speed ratio.

Not a test: figures depend on the machine. The import is real (its new clients stay), so a
second benchmark runs against a slightly bigger registry; --dry-run measures without
keeping anything.
"""

import csv
import datetime
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Concat

from ingest import synthetic
from snippets import demo_data
from snippets.models import Client, ClientSourceId, Program

SOURCE = "SMIS"


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
        parser.add_argument("--naive-rows", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--dry-run", action="store_true", help="Roll the import back.")
        parser.add_argument(
            "--file", default=str(Path(settings.BASE_DIR) / "bench-output" / "daily.csv")
        )

    def handle(self, *args, clients, enrollments, rows, naive_rows, seed, dry_run, file, **kw):
        rng = random.Random(seed)
        started = time.perf_counter()
        call_command(
            "seed_demo", size="city", clients=clients, enrollments=enrollments, stdout=self.stdout
        )
        self.stdout.write(f"Registry ready in {time.perf_counter() - started:.0f} s.")

        path = Path(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        file_rows = self._daily_rows(rng, rows)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(file_rows[0]))
            writer.writeheader()
            writer.writerows(file_rows)
        self.stdout.write(f"Daily file: {len(file_rows):,} rows in {path}.")

        naive_seconds = self._naive(file_rows[:naive_rows])
        naive_per_row = naive_seconds / max(1, min(naive_rows, len(file_rows)))
        self.stdout.write(
            f"Naive matching (ORM, a query or more per row): {naive_per_row * 1000:.2f} ms per "
            f"row over {min(naive_rows, len(file_rows)):,} rows, so about "
            f"{naive_per_row * len(file_rows):.0f} s for the whole file."
        )

        command = [sys.executable, "manage.py", "ingest_daily", "--src", str(path)]
        command += [f"--source={SOURCE}", "--verbosity=2"] + (["--dry-run"] if dry_run else [])
        began = time.perf_counter()
        process = subprocess.run(
            command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - began
        peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.stdout.write(process.stdout)
        self.stdout.write(process.stderr)
        if process.returncode:
            self.stderr.write(process.stderr)
            return
        matching = re.search(r"staging and matching ([\d.]+) s", process.stderr)
        in_all = re.search(r"in all ([\d.]+) s", process.stderr)
        backend = re.search(r"database backend (\S+ MB)", process.stderr)
        set_based = float(matching.group(1)) if matching else wall
        self.stdout.write(
            f"Import of {len(file_rows):,} rows against {Client.objects.count():,} clients: "
            f"{wall:.1f} s wall; peak memory {peak_child:.0f} MB (import process), "
            f"{backend.group(1) if backend else 'unknown'} (its database backend)."
        )
        if in_all:
            self.stdout.write(
                f"Of the wall time, {float(in_all.group(1)):.1f} s is the import itself and "
                f"{wall - float(in_all.group(1)):.1f} s starting Python, Django and Wagtail."
            )
        self.stdout.write(
            f"Set-based reading + matching: {set_based:.1f} s for {len(file_rows):,} rows; "
            f"naive matching would take about {naive_per_row * len(file_rows):.0f} s: "
            f"{naive_per_row * len(file_rows) / set_based:.0f}x slower."
        )

    def _daily_rows(self, rng, count) -> list[dict]:
        """85% known clients with new services (by their SMIS id when they have one, else
        by name and birthday), 5% known clients with a typo and no id, 10% new people."""
        file_tag = f"{rng.randrange(16**6):06X}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [rng.random()])
            cursor.execute(
                """
                SELECT c.first_name, c.last_name, c.dob, sid.uid_external
                FROM snippets_client c
                LEFT JOIN snippets_clientsourceid sid ON sid.client_id = c.id AND sid.source = %s
                WHERE c.live ORDER BY random() LIMIT %s
                """,
                [SOURCE, int(count * 0.9)],
            )
            known = cursor.fetchall()
        programs = list(Program.objects.live().values_list("name", flat=True))
        today = datetime.date.today()
        rows = []
        for index in range(count):
            if index < len(known) and rng.random() < 0.945:
                first, last, dob, uid = known[index]
            elif index < len(known):
                first, last, dob, uid = known[index]
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
            rows.append(row)
        return rows

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
