"""manage.py ingest_daily --src FILE.csv --source=SMIS [--rejects PATH] [--dry-run]

The nightly import of a source system's export (docs/ingest.md). Exit status: 0 when the
file was imported (rejected rows are listed in the rejects file), 1 when nothing was
imported (a file-level fault, another import running, or an error)."""

import os
import resource
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.formats import number_format
from django.utils.translation import gettext

from ingest.contract import CHUNK_ROWS, FileFault
from ingest.services import ImportBusy, daily_file_import


class Command(BaseCommand):
    help = "Import a daily CSV export from SMIS, EMH, FFAI, ... (see docs/ingest.md)."

    def add_arguments(self, parser):
        parser.add_argument("--src", required=True, help="The CSV file to import.")
        parser.add_argument(
            "--source", required=True, help="The system that exported it: SMIS, EMH, FFAI, ..."
        )
        parser.add_argument(
            "--rejects",
            help="Where to write the rejected rows (default: FILE.rejects.csv beside the file).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would happen and write nothing (no rejects file unless "
            "--rejects is given).",
        )
        parser.add_argument(
            "--chunk-rows",
            type=int,
            default=CHUNK_ROWS,
            help=f"Rows read and sent to the database at a time (default {CHUNK_ROWS:,}); "
            "changes memory use, never the result.",
        )

    def handle(self, *args, src, source, rejects, dry_run, chunk_rows, verbosity, **options):
        if chunk_rows < 1:
            raise CommandError(gettext("--chunk-rows must be at least 1."))
        show_progress = verbosity >= 2 or (verbosity >= 1 and sys.stderr.isatty())

        def progress(message):
            if show_progress:
                self.stderr.write(message)

        try:
            result = daily_file_import(
                path=src,
                source=source,
                rejects_path=rejects,
                dry_run=dry_run,
                progress=progress,
                chunk_rows=chunk_rows,
                timings=progress if verbosity >= 2 else None,
            )
        except (FileFault, ImportBusy) as problem:
            raise CommandError(str(problem)) from problem

        for warning in result.warnings:
            self.stderr.write(
                self.style.WARNING(gettext("Warning: %(warning)s") % {"warning": warning})
            )
        self.stdout.write(self._report(result.summary, dry_run=dry_run))
        if result.rejects_path:
            self.stdout.write(gettext("Rejected rows: %(path)s") % {"path": result.rejects_path})
        if verbosity >= 2:
            seconds = result.summary["seconds"]
            self.stderr.write(
                gettext(
                    "Time: reading, staging and matching %(staging_and_matching)s s; "
                    "writing %(writing)s s; commit %(commit)s s; in all %(total)s s."
                )
                % seconds
            )
            self.stderr.write(self._memory())

    def _report(self, summary: dict, *, dry_run: bool) -> str:
        # Counts only: this output goes to cron mail and logs, so no names, no birthdays.
        title = gettext("Dry run: nothing was written") if dry_run else gettext("Import finished")
        matched = {key: _grouped(value) for key, value in summary["rows_matched"].items()}
        lines = [
            f"{title}.",
            gettext(
                "Rows read: %(read)s; taken: %(taken)s; rejected: %(rejected)s; for a person "
                "to review: %(review)s (new items in Possible matches: %(items)s)."
            )
            % {
                "read": _grouped(summary["rows_read"]),
                "taken": _grouped(summary["rows_taken"]),
                "rejected": _grouped(summary["rows_rejected"]),
                "review": _grouped(summary["rows_for_review"]),
                "items": _grouped(summary["review_items_created"]),
            },
            gettext(
                "Matched: %(by_source_id)s by source id, %(by_decision)s by an earlier "
                "decision, %(by_score)s by match score, %(new_client)s new."
            )
            % matched,
        ]
        kinds = {
            "clients": gettext("Clients"),
            "enrollments": gettext("Enrollments"),
            "intakes": gettext("Intakes"),
            "discharges": gettext("Discharges"),
        }
        for kind, label in kinds.items():
            counts = summary[kind]
            lines.append(
                gettext(
                    "%(kind)s inserted %(inserted)s  updated %(updated)s  unchanged %(unchanged)s"
                )
                % {
                    "kind": f"{label:<12}",
                    "inserted": f"{_grouped(counts['inserted']):>7}",
                    "updated": f"{_grouped(counts['updated']):>7}",
                    "unchanged": f"{_grouped(counts['unchanged']):>7}",
                }
            )
        lines.append(
            gettext("Source ids added: %(count)s")
            % {"count": _grouped(summary["source_ids_added"])}
        )
        for reason, count in summary["rejected_by_reason"].items():
            lines.append(
                gettext("Rejected (%(reason)s): %(count)s")
                % {"reason": reason, "count": _grouped(count)}
            )
        return "\n".join(lines)

    def _memory(self) -> str:
        """Peak memory and CPU time of this process and of its database backend (the
        backend's only when PostgreSQL runs on this host, readable by this user). CPU time
        is what a loaded machine changes least: the benchmark compares it with the floor."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        own, own_cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        backend = backend_cpu = gettext("unknown")
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        backend = f"{int(line.split()[1]) / 1024:.0f} MB"
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            backend_cpu = f"{ticks / os.sysconf('SC_CLK_TCK'):.1f} s"
        except OSError:
            pass  # the database runs on another host or as another user
        return gettext(
            "Peak memory: this process %(own)s MB; database backend %(backend)s.\n"
            "CPU time: this process %(own_cpu)s s; database backend %(backend_cpu)s."
        ) % {
            "own": f"{own:.0f}",
            "backend": backend,
            "own_cpu": f"{own_cpu:.1f}",
            "backend_cpu": backend_cpu,
        }


def _grouped(count: int) -> str:
    """A count with the thousands separator of the commands' language (LANGUAGE_CODE)."""
    return number_format(count, force_grouping=True)
