"""manage.py ingest_quality [--people N] [--rows M] [--seed S]

Measures how well the daily import links people, on synthetic duplicates with the errors
staff make (typos, swapped names, swapped day and month, dropped accents, multilingual
names). Everything happens in one transaction that is rolled back: the registry is left
as it was. Prints, per kind of error: correct automatic links, wrong links (must be 0),
rows flagged for review with the right candidate named, and duplicates created.
"""

import csv
import random
import tempfile
import uuid
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ingest import synthetic
from ingest.services import daily_file_import
from snippets import demo_data
from snippets.models import Client, SourceSystem

SOURCE = "QUALITY"


class Command(BaseCommand):
    help = "Score the import's matching on synthetic duplicates (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=20_000, help="Registry size.")
        parser.add_argument("--rows", type=int, default=5_000, help="Rows in the daily file.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, people, rows, seed, **options):
        if Client.objects.exists():
            # The truth is known only for the clients this command creates: other clients
            # would make rows ambiguous or "link" them to people the scoring cannot judge.
            raise CommandError(
                "ingest_quality needs a registry without clients: point DATABASE_URL at an "
                "empty, migrated database (everything it writes is rolled back)."
            )
        rng = random.Random(seed)
        with transaction.atomic():
            # Its own source system, rolled back with everything else.
            SourceSystem.objects.get_or_create(code=SOURCE, defaults={"name": "Quality check"})
            population = self._population(rng, people)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "quality.csv"
                truths = self._daily_file(rng, population, rows, path)
                result = daily_file_import(
                    path=str(path),
                    source=SOURCE,
                    rejects_path=str(Path(folder) / "rejects.csv"),
                    collect_outcomes=True,
                )
            scores = self._score(truths, result.outcomes)
            transaction.set_rollback(True)
        self._print(scores, people=len(population), rows=len(truths))

    def _population(self, rng, count) -> list[tuple[uuid.UUID, synthetic.Person]]:
        """Registry clients: distinct people, and one in ten has a near-namesake born the
        same day (Maria and Mario), a different person the import must not merge."""
        people, keys = [], set()

        def add(person):
            key = (
                synthetic.name_key(person.first_name),
                synthetic.name_key(person.last_name),
                person.dob,
            )
            if key not in keys:
                keys.add(key)
                people.append((uuid.uuid4(), person))

        while len(people) < count:
            person = synthetic.random_person(rng)
            add(person)
            if rng.random() < 0.1:
                add(
                    synthetic.Person(
                        synthetic.typo(rng, person.first_name), person.last_name, person.dob
                    )
                )
        self.population_keys = keys
        demo_data.copy_records(
            "snippets_client",
            demo_data.CLIENT_COPY_COLUMNS,
            ((pk, p.first_name, p.last_name, p.dob, "", [], "", "", "{}") for pk, p in people),
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE snippets_client")
        return people

    def _daily_file(self, rng, population, count, path) -> list[tuple[str, str, uuid.UUID]]:
        """80% rows for registry clients (each with one kind of error), 20% new people (half
        of them near-namesakes of a client, born the same day). Returns, per row in file
        order: (kind, expected outcome, true client id or None)."""
        variants = synthetic.variants(rng)
        truths, seen = [], set()
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["first_name", "last_name", "dob"])
            while len(truths) < count:
                if rng.random() < 0.8:
                    pk, person = rng.choice(population)
                    label, expected, make = rng.choice(variants)
                    first, last, dob = make(person)
                else:
                    pk, expected = None, "new"
                    _, twin = rng.choice(population)
                    if rng.random() < 0.5:
                        label = "new person, near-namesake of a client"
                        first, last, dob = (
                            synthetic.typo(rng, twin.first_name),
                            twin.last_name,
                            twin.dob,
                        )
                    else:
                        label = "new person"
                        fresh = synthetic.random_person(rng)
                        first, last, dob = fresh.first_name, fresh.last_name, fresh.dob
                    key = (synthetic.name_key(first), synthetic.name_key(last), dob)
                    if key in self.population_keys:
                        continue  # the same name and birthday as a client: not a new person
                if dob is None or (first, last, dob) in seen:
                    continue
                seen.add((first, last, dob))
                writer.writerow([first, last, dob.isoformat()])
                truths.append((label, expected, pk))
        return truths

    def _score(self, truths, outcomes) -> dict:
        scores = defaultdict(Counter)
        for index, (label, _expected, truth) in enumerate(truths):
            client_id, matched_by, reason, candidates = outcomes[index + 2]  # header is row 1
            row = scores[label]
            row["rows"] += 1
            if reason is None and matched_by is not None:  # linked to an existing client
                if truth is not None and client_id == truth:
                    row["correct links"] += 1
                else:
                    row["WRONG links"] += 1
            elif reason is None:  # a new client was created
                if truth is None:
                    row["new, rightly"] += 1
                else:
                    row["duplicates created"] += 1
            elif truth is not None and truth in (candidates or []):
                row["flagged, right candidate named"] += 1
            elif truth is None:
                row["flagged, is a new person"] += 1
            else:
                row["flagged, right candidate missing"] += 1
        return scores

    def _print(self, scores, *, people, rows):
        columns = [
            "rows",
            "correct links",
            "WRONG links",
            "flagged, right candidate named",
            "flagged, right candidate missing",
            "flagged, is a new person",
            "duplicates created",
            "new, rightly",
        ]
        self.stdout.write(f"Registry: {people:,} synthetic clients; daily file: {rows:,} rows.\n")
        self.stdout.write("| kind of row | " + " | ".join(columns) + " |")
        self.stdout.write("|---" * (len(columns) + 1) + "|")
        total = Counter()
        for label, counts in scores.items():
            total.update(counts)
            cells = " | ".join(f"{counts[c]:,}" for c in columns)
            self.stdout.write(f"| {label} | {cells} |")
        cells = " | ".join(f"**{total[c]:,}**" for c in columns)
        self.stdout.write(f"| **all** | {cells} |")
