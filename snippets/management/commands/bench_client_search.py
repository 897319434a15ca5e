"""Time the admin's client search on the registry as it stands (run seed_demo --size city
first). Prints percentiles per kind of query; never prints who was searched for."""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from snippets.models import Client
from snippets.selectors import client_search

PAGE = 50  # the client list shows 50 per page, with a total count


def typo(rng, word):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]  # one letter missed


class Command(BaseCommand):
    help = "Benchmark client search (name with typos and swapped order, date of birth, id)."

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=60, help="Clients to search for.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, samples, seed, **options):
        total = Client.objects.count()
        if total == 0:
            raise CommandError("The registry has no clients: run seed_demo first.")
        rng = random.Random(seed)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [seed / 100])
            cursor.execute(
                """
                SELECT c.first_name, c.last_name, c.dob,
                    (SELECT s.uid_external FROM snippets_clientsourceid s
                     WHERE s.client_id = c.id LIMIT 1)
                FROM snippets_client c TABLESAMPLE BERNOULLI (%s) LIMIT %s
                """,
                [min(100.0, samples * 400 / total), samples],
            )
            people = cursor.fetchall()
        queries = []
        for first, last, dob, source_id in people:
            queries += [
                ("full name", f"{first} {last}"),
                ("swapped order", f"{last} {first}"),
                ("typo", f"{first} {typo(rng, last)}"),
                ("last name start", last[:5]),
                ("date of birth", dob.isoformat()),
            ]
            if source_id:
                queries.append(("source id", source_id))
        timings: dict[str, list[float]] = {}
        for kind, text in queries:
            started = time.perf_counter()
            found = client_search(query=text)
            list(found[:PAGE])
            found.count()
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        everything = [t for values in timings.values() for t in values]
        self.stdout.write(f"Client search on {total:,} clients, {len(everything)} searches")
        if not everything:
            raise CommandError("No clients were sampled; try a larger --samples.")
        for kind, values in [*timings.items(), ("all", everything)]:
            values.sort()
            p95 = values[max(0, round(0.95 * len(values)) - 1)]
            self.stdout.write(
                f"  {kind:<16} n={len(values):<4} median {statistics.median(values):7.1f} ms"
                f"   p95 {p95:7.1f} ms   max {values[-1]:7.1f} ms"
            )
