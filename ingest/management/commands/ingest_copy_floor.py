"""manage.py ingest_copy_floor --src FILE.csv

The floor the import benchmark compares the daily import with, in the same kind of
process (Python, Django and Wagtail loaded): the file's bytes sent to PostgreSQL with
COPY ... (FORMAT csv) into a temporary table of text columns, a block at a time, with no
checking in Python; then one INSERT of its rows into an empty copy of the clients table
with all its indexes. Prints the time of each and the peak memory of this process.
Everything is rolled back. Not for cron: ingest_benchmark runs it.
"""

import csv
import os
import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ingest.contract import READ_BLOCK
from snippets.bulk_sql import PUBLISHED_COLUMNS, PUBLISHED_VALUES


class Command(BaseCommand):
    help = "Time a bare COPY of a daily file, the floor for ingest_benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--src", required=True)

    def handle(self, *args, src, **options):
        with open(src, encoding="utf-8-sig", newline="") as handle:
            header = [name.strip().lower() for name in next(csv.reader(handle))]
        columns = ", ".join(f'"{name}" text' for name in header)
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE floor_raw ({columns}) ON COMMIT DROP")
            copy_sql = "COPY floor_raw FROM STDIN (FORMAT csv, HEADER true)"
            with open(src, "rb") as handle, cursor.copy(copy_sql) as copy:
                while block := handle.read(READ_BLOCK):
                    copy.write(block)
            copied = time.perf_counter()
            cursor.execute("SELECT count(*) FROM floor_raw")
            rows = cursor.fetchone()[0]
            cursor.execute(
                "CREATE TEMP TABLE floor_clients (LIKE snippets_client INCLUDING ALL) "
                "ON COMMIT DROP"
            )
            cursor.execute(
                f"""
                INSERT INTO floor_clients (id, first_name, last_name, dob, gender, languages,
                  sexual_orientation, immigration_status, extra_demographics, {PUBLISHED_COLUMNS})
                SELECT registry_uuid7(), left(first_name, 150), left(last_name, 150), dob::date,
                  '', '{{}}', '', '', '{{}}', {PUBLISHED_VALUES}
                FROM floor_raw
                """  # noqa: S608
            )
            inserted = time.perf_counter()
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
            transaction.set_rollback(True)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        self.stdout.write(
            f"Floor: {rows:,} rows; COPY {copied - began:.2f} s; "
            f"INSERT into an indexed copy of the clients table {inserted - copied:.2f} s; "
            f"together {inserted - began:.2f} s."
        )
        self.stdout.write(f"Peak memory: this process {peak:.0f} MB.")
        try:
            with open(f"/proc/{backend_pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            backend_cpu = f"{(int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK'):.1f} s"
        except OSError:
            backend_cpu = "unknown"
        self.stdout.write(f"CPU time: this process {cpu:.1f} s; database backend {backend_cpu}.")
