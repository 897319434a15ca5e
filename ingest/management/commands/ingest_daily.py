"""manage.py ingest_daily --src FILE.csv --source=SMIS [--rejects PATH] [--dry-run]

The nightly import of a source system's export (docs/ingest.md). Exit status: 0 when the
file was imported (rejected rows are listed in the rejects file), 1 when nothing was
imported (a file-level fault, another import running, or an error)."""

import resource
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext

from ingest.contract import FileFault
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

    def handle(self, *args, src, source, rejects, dry_run, verbosity, **options):
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
                f"Time: reading, staging and matching {seconds['staging_and_matching']} s; "
                f"writing {seconds['writing']} s; commit {seconds['commit']} s; "
                f"in all {seconds['total']} s."
            )
            self.stderr.write(self._memory())

    def _report(self, summary: dict, *, dry_run: bool) -> str:
        # Counts only: this output goes to cron mail and logs, so no names, no birthdays.
        title = gettext("Dry run: nothing was written") if dry_run else gettext("Import finished")
        matched = {key: f"{value:,}" for key, value in summary["rows_matched"].items()}
        lines = [
            f"{title}.",
            gettext(
                "Rows read: %(read)s; taken: %(taken)s; rejected: %(rejected)s; for a person "
                "to review: %(review)s (new items in Possible matches: %(items)s)."
            )
            % {
                "read": f"{summary['rows_read']:,}",
                "taken": f"{summary['rows_taken']:,}",
                "rejected": f"{summary['rows_rejected']:,}",
                "review": f"{summary['rows_for_review']:,}",
                "items": f"{summary['review_items_created']:,}",
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
                    "inserted": f"{counts['inserted']:>7,}",
                    "updated": f"{counts['updated']:>7,}",
                    "unchanged": f"{counts['unchanged']:>7,}",
                }
            )
        lines.append(
            gettext("Source ids added: %(count)s") % {"count": f"{summary['source_ids_added']:,}"}
        )
        for reason, count in summary["rejected_by_reason"].items():
            lines.append(
                gettext("Rejected (%(reason)s): %(count)s")
                % {"reason": reason, "count": f"{count:,}"}
            )
        return "\n".join(lines)

    def _memory(self) -> str:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        backend = "unknown"
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        backend = f"{int(line.split()[1]) / 1024:.0f} MB"
        except OSError:
            pass  # the database runs on another host or as another user
        return f"Peak memory: this process {own:.0f} MB; database backend {backend}."
