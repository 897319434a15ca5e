"""The daily import: stage a source system's CSV export, match its rows to clients, and
write clients, source ids, enrollments, intakes and discharges, all in one transaction.

Only ``daily_file_import`` changes data. The file is streamed into a staging table a
chunk of rows at a time (checked as they pass), so memory does not grow with the file.
Matching is set-based SQL (sql.py, identity/linkage/), and so is the writing, which the
snippets app does (snippets.services.registry_records_write): a fixed number of
statements whatever the file's size.
"""

import csv
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from identity.linkage import scoring
from identity.linkage import sql as linkage_sql
from snippets.models import CLIENT_FIELDS, CLIENT_MATCHING_FIELDS, Program
from snippets.selectors import source_system_codes
from snippets.services import registry_records_write

from . import messages, sql
from .contract import CHUNK_ROWS, KNOWN_COLUMNS, CsvFile, FileFault, read_csv_file
from .models import IngestRun, RunStatus

logger = logging.getLogger(__name__)

SOURCE_FORMAT = re.compile(r"^[A-Z0-9_]{1,20}$")
# Two imports at once would race on the same clients; the second one stops instead.
IMPORT_LOCK_KEY = 7_310_402_019
# For the interruption test (and an operator rehearsing a failure): stop and wait at a named
# point of the run, so it can be killed there. Points: staged, matched, written.
PAUSE_VARIABLE = "INGEST_PAUSE_AT"

Progress = Callable[[str], None]


class ImportBusy(Exception):
    """Another import holds the lock: nothing was done."""


@dataclass
class ImportResult:
    run: IngestRun
    summary: dict
    rejects_path: str | None
    warnings: list[str] = field(default_factory=list)
    # Per row, only when asked for (the matching-quality measurement): row number ->
    # (client id or None, how it matched or None, reject reason or None, candidate ids).
    outcomes: dict | None = None


def default_rejects_path(path: str) -> str:
    """Beside the source file: ``smis-2026-11-27.csv`` -> ``smis-2026-11-27.rejects.csv``."""
    source = Path(path)
    return str(source.with_name(f"{source.stem}.rejects.csv"))


def daily_file_import(
    *,
    path: str,
    source: str,
    rejects_path: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    collect_outcomes: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    timings: Progress | None = None,
) -> ImportResult:
    """Import one export file from ``source`` (SMIS, EMH, FFAI, ...).

    Writes, in one transaction: new clients (live, published), changed client fields, the
    source's ids, enrollments, intakes and discharges; the run's record (IngestRun) with its
    summary; rejected rows to ``rejects_path`` (default beside the file). With ``dry_run``
    everything is computed and then rolled back, and no rejects file is written unless
    ``rejects_path`` is given. ``chunk_rows``: rows read, checked and sent to the database
    at a time (memory, not results, depends on it). ``timings``, when given, is told how
    long each SQL statement of the run took (statement names and seconds only).

    Raises FileFault (nothing written) when the file as a whole is unacceptable, and
    ImportBusy when another import is running.
    """
    progress = progress or (lambda message: None)
    source = source.strip().upper()
    if not SOURCE_FORMAT.match(source):
        raise FileFault(messages.text(messages.BAD_SOURCE_NAME, source=repr(source)))
    # A typo would otherwise start a new source system (issue 12 item 13): the list is the
    # agency's, kept by Administrators under Settings > Source systems.
    known = source_system_codes()
    if source not in known:
        raise FileFault(
            messages.text(messages.UNKNOWN_SOURCE, source=source, known=", ".join(known))
        )
    write_rejects_to = rejects_path or (None if dry_run else default_rejects_path(path))

    began = time.monotonic()
    _lock_or_refuse()
    try:
        # Runs still marked running hold no lock, so their process died mid-run; their
        # transaction rolled back.
        IngestRun.objects.filter(status=RunStatus.RUNNING).update(
            status=RunStatus.INTERRUPTED, finished_at=timezone.now()
        )
        # ... and a rejects file that process was writing was never finished.
        _remove_stale_partial(write_rejects_to or default_rejects_path(path))
        run = IngestRun.objects.create(source=source, file_name=os.path.basename(path))
        try:
            csv_file = read_csv_file(path)
        except FileFault as fault:
            _finish_failed(run, str(fault))
            raise
        run.file_sha256 = csv_file.sha256
        run.save(update_fields=["file_sha256"])
        warnings = _file_warnings(csv_file, source=source, run=run)
        renamed = None
        try:
            with transaction.atomic():
                result = _import(
                    run=run,
                    csv_file=csv_file,
                    source=source,
                    rejects_path=write_rejects_to,
                    dry_run=dry_run,
                    progress=progress,
                    collect_outcomes=collect_outcomes,
                    chunk_rows=chunk_rows,
                    timings=timings,
                )
                if dry_run:
                    transaction.set_rollback(True)
                elif result.rejects_path:
                    # Renamed before the commit, not after: a kill in between then rolls
                    # back the run record that names the file (the next run marks the run
                    # interrupted), instead of committing a record of a file that never
                    # got its name.
                    os.replace(_partial(result.rejects_path), result.rejects_path)
                    renamed = result.rejects_path
                    _pause_if_asked("committing")
                committing = time.monotonic()
        except BaseException as exc:
            # Killed processes never get here; an exception (or Ctrl-C) does.
            _finish_failed(
                run,
                str(exc)
                if isinstance(exc, FileFault)
                else messages.text(messages.UNEXPECTED_ERROR, error=f"{type(exc).__name__}: {exc}"),
            )
            if write_rejects_to:
                _remove_stale_partial(write_rejects_to)
            if renamed:
                # The run that wrote it did not commit: its rejects are not the registry's.
                Path(renamed).unlink(missing_ok=True)
            raise
        if dry_run:
            _save_run(run, RunStatus.DRY_RUN, result.summary, result.rejects_path)
        result.warnings = warnings
        # Commit time is mostly PostgreSQL checking the deferred foreign keys of new rows.
        result.summary["seconds"]["commit"] = round(time.monotonic() - committing, 2)
        result.summary["seconds"]["total"] = round(time.monotonic() - began, 2)
        return result
    finally:
        _unlock()


def _import(
    *,
    run,
    csv_file: CsvFile,
    source,
    rejects_path,
    dry_run,
    progress,
    collect_outcomes,
    chunk_rows,
    timings=None,
):
    started = time.monotonic()
    params = {"source": source}
    with connection.cursor() as plain_cursor:
        cursor = _TimedCursor(plain_cursor, timings) if timings else plain_cursor
        # The import acts as the system: audit triggers record no staff member for it.
        cursor.execute("SELECT set_config('registry.actor_id', '', true)")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        # JIT compiling these one-off statements costs more than it saves (seconds each).
        cursor.execute("SET LOCAL jit = off")
        # Whether each of the file's ~100,000 services is already recorded is a lookup in
        # the (client, date) indexes. With the default cost of a random read (4, for
        # spinning disks) the planner instead hashes the millions of rows of the whole table
        # for each kind of service, a second or more each; the registry's indexes are in
        # memory or on SSD, where 1.1 is the usual setting.
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        _more_temp_buffers(cursor)
        cursor.execute(sql.CREATE_STAGING)
        programs = {
            name.strip().lower(): str(pk)
            for pk, name in Program.objects.live().values_list("pk", "name")
        }
        progress(gettext("Reading the file into the staging table…"))
        rows_read, reported = 0, 0
        # One COPY for the whole file, fed a chunk at a time: psycopg sends each chunk's
        # rows as they are written, so only one chunk is ever held here.
        with cursor.copy(sql.COPY_STAGING) as copy:
            for chunk in csv_file.chunks(programs=programs, size=chunk_rows):
                for row in chunk:
                    copy.write_row(_staging_tuple(row))
                rows_read += len(chunk)
                if rows_read - reported >= 20_000:
                    progress(_rows_read(rows_read))
                    reported = rows_read
        if rows_read != reported:
            progress(_rows_read(rows_read))
        progress(gettext("Matching rows to clients…"))
        cursor.execute(sql.MARK_DUPLICATE_ROWS)
        cursor.execute(sql.STAGE_AND_MATCH_BY_SOURCE_ID, params)
        cursor.execute(sql.INDEX_STAGING)
        _pause_if_asked("staged")
        cursor.execute(sql.CHECK_SOURCE_ID_LINKS)
        cursor.execute(sql.APPLY_REMEMBERED_DECISIONS)
        linkage = scoring.score(
            cursor,
            records_select=sql.LINKAGE_RECORDS,
            prefix="ingest",
            extra_pairs=sql.LINKAGE_EXTRA_PAIRS,
        )
        thresholds = linkage.thresholds
        cursor.execute(
            sql.DECIDE_BY_SCORE,
            {**params, "link": thresholds["link"], "review": thresholds["review"]},
        )
        cursor.execute(sql.REJECT_NAME_LINKS_WITH_SEVERAL_IDS)
        cursor.execute(sql.GROUP_NEW_PEOPLE)
        cursor.execute(sql.REJECT_SPLIT_IDS)
        _pause_if_asked("matched")
        matched_at = time.monotonic()

        progress(gettext("Writing clients, enrollments, intakes and discharges…"))
        counts = registry_records_write(cursor=cursor, staged="ingest_staged", source=source)
        evidence = linkage_sql.evidence_sql(linkage, "r")
        cursor.execute(
            sql.INSERT_AUTOMATIC_LINKS.format(evidence=evidence), {**params, "run": run.pk}
        )
        review_items = _create_review_items(cursor, csv_file, linkage, {**params, "run": run.pk})
        _pause_if_asked("written")

        cursor.execute(sql.REJECT_COUNTS)
        rejected = dict(cursor.fetchall())
        for_review = {r: rejected.pop(r) for r in sql.REVIEW_REASONS if r in rejected}
        cursor.execute(sql.MATCH_COUNTS)
        matches = dict(cursor.fetchall())
        summary = {
            "rows_read": rows_read,
            "rows_taken": rows_read - sum(rejected.values()) - sum(for_review.values()),
            "rows_rejected": sum(rejected.values()),
            "rows_for_review": sum(for_review.values()),
            "review_items_created": review_items,
            "rows_matched": {
                "by_source_id": matches.get("uid", 0),
                "by_decision": matches.get("decision", 0),
                "by_score": matches.get("score", 0),
                "new_client": matches.get("new", 0),
            },
            "rejected_by_reason": rejected,
            **counts,
            "seconds": {
                "staging_and_matching": round(matched_at - started, 2),
                "writing": round(time.monotonic() - matched_at, 2),
            },
        }
        written_rejects = None
        if rejects_path:
            progress(gettext("Writing the rejects file…"))
            _write_rejects(cursor, csv_file, _partial(rejects_path))
            written_rejects = rejects_path
            _pause_if_asked("rejects_written")
            if dry_run:
                os.replace(_partial(rejects_path), rejects_path)
        outcomes = None
        if collect_outcomes:
            cursor.execute(sql.ROW_OUTCOMES)
            outcomes = {r[0]: r[1:] for r in cursor.fetchall()}
        cursor.execute(
            "DROP TABLE IF EXISTS ingest_raw, ingest_staged, ingest_review, ingest_records, "
            "ingest_pairs, ingest_scored, ingest_ranked, ingest_review_candidates"
        )
    if not dry_run:
        _save_run(run, RunStatus.SUCCEEDED, summary, written_rejects or "")
        _audit_summary(run, summary)
    return ImportResult(run=run, summary=summary, rejects_path=written_rejects, outcomes=outcomes)


def _create_review_items(cursor, csv_file: CsvFile, linkage, params) -> int:
    """Store each row for a person as a possible match (kind import_row) with its ranked
    candidates, their scores and evidence; returns how many items were created. The row's
    cells are kept as read, keyed by the contract's column names (PossibleMatch.row_values),
    so a decision can apply its enrollment, intake and discharge later."""
    # The row numbers only (a few bytes each): the COPY below keeps the connection busy,
    # so they cannot be fetched while the file is walked.
    cursor.execute(sql.REVIEW_ROWS)
    wanted = {row_number for (row_number,) in cursor.fetchall()}
    if not wanted:
        return 0
    cursor.execute(
        "SELECT count(*) FROM (" + sql.REVIEW_UNSCORED_RECORDS + ") x"  # noqa: S608
    )
    if cursor.fetchone()[0]:
        scoring.score(
            cursor,
            records_select=sql.REVIEW_UNSCORED_RECORDS,
            prefix="ingest_review_scoring",
            params=linkage,
            extra_pairs=sql.REVIEW_UNSCORED_PAIRS,
        )
        cursor.execute(sql.MERGE_UNSCORED_RANKED)
    columns = [
        (name.strip().lower(), i)
        for i, name in enumerate(csv_file.header)
        if name.strip().lower() in KNOWN_COLUMNS
    ]
    cursor.execute(sql.CREATE_REVIEW)
    with cursor.copy(sql.COPY_REVIEW) as copy:
        for row_number, cells in csv_file.raw_rows():
            if row_number not in wanted:
                continue
            values = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns}
            copy.write_row((row_number, uuid.uuid4(), json.dumps(values, ensure_ascii=False)))
    cursor.execute(sql.DROP_ALREADY_WAITING)
    cursor.execute(
        sql.REVIEW_CANDIDATES.format(evidence=linkage_sql.evidence_sql(linkage, "r")),
        {"candidate": linkage.thresholds["candidate"]},
    )
    cursor.execute("SELECT count(*) FROM ingest_review")
    created = cursor.fetchone()[0]
    cursor.execute(sql.INSERT_REVIEW_ITEMS, params)
    return created


# The import's statements by the names sql.py gives them, for the timings.
_STATEMENT_NAMES = {
    text: name for name, text in vars(sql).items() if name.isupper() and isinstance(text, str)
}
# Statements built elsewhere (identity/linkage/, snippets.services) are named by what they
# create or change.
_STATEMENT_TARGET = re.compile(
    r"\b(CREATE TEMP TABLE|UPDATE|INSERT INTO|DELETE FROM|COPY)\s+(\w+)", re.IGNORECASE
)


class _TimedCursor:
    """The import's cursor, telling ``report`` how long each statement took: where the
    matching spends its time is a question for every registry size (ingest_daily -v2).
    Reports names and seconds only, never a statement's arguments."""

    def __init__(self, cursor, report: Progress):
        self._cursor = cursor
        self._report = report

    def execute(self, statement, args=None):
        began = time.monotonic()
        try:
            return self._cursor.execute(statement, args)
        finally:
            self._report(
                gettext("%(statement)s: %(seconds)s s")
                % {
                    "statement": _statement_name(statement),
                    "seconds": f"{time.monotonic() - began:.2f}",
                }
            )

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def _statement_name(statement) -> str:
    if isinstance(statement, str) and statement in _STATEMENT_NAMES:
        return _STATEMENT_NAMES[statement]
    target = _STATEMENT_TARGET.search(str(statement))
    if target:
        return f"{target.group(1).upper()} {target.group(2)}"
    return str(statement).split(None, 1)[0].upper() if str(statement).strip() else "?"


def _staging_tuple(row) -> tuple:
    if row.reject_reason:
        return (
            (row.row_number,) + (None,) * 18 + (row.reject_reason, row.reject_message, row.digest)
        )
    v = row.values
    return (
        row.row_number,
        v["uid_external"],
        *(v[name] for name in (*CLIENT_FIELDS, *CLIENT_MATCHING_FIELDS)),
        v["program_id"],
        v["enrollment_start"],
        v["enrollment_end"],
        v["intake_date"],
        v["discharge_date"],
        v["discharge_reason"],
        None,
        None,
        row.digest,
    )


REJECT_COLUMNS = ["reject_row", "reject_reason", "reject_message", "candidate_client_ids"]


def _write_rejects(cursor, csv_file: CsvFile, path: str) -> None:
    """Why each row was rejected and the candidates' ids, then the row's original cells.

    The reasons come first so a malformed row's extra cells cannot push them out of place;
    the cells are written as they came, so the corrected file can be imported again (the
    import ignores the reject_* columns). The cells are read again from the file rather
    than kept in the staging table: sending every row's cells to the database cost more
    than the rest of the reading.
    """
    # Owner-only (0600) from the first byte: the rows hold names and dates of birth.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_TRUNC
    with open(descriptor, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*REJECT_COLUMNS, *csv_file.header])
        for (row_number, reason, message, candidates), cells in _file_rows_of(
            csv_file, sql.REJECTED_ROWS
        ):
            ids = ";".join(str(c) for c in candidates or [])
            writer.writerow([row_number, reason, message, ids, *cells])


def _file_rows_of(csv_file: CsvFile, select: str):
    """(database row, the file's cells for it) for each row ``select`` gives (its first
    column a row number; in file order). Both are walked once, side by side: the database
    rows through a server-side cursor, the file from disk, so neither is held whole."""
    original = csv_file.raw_rows()
    # A named (server-side) cursor: rows arrive a batch at a time, in the transaction.
    with connection.connection.cursor(name="ingest_rows_of") as rows:
        rows.itersize = 2_000
        rows.execute(select)
        for row in rows:
            cells = next(cells for number, cells in original if number == row[0])
            yield row, cells


def _rows_read(count: int) -> str:
    return "  " + gettext("%(count)s rows read") % {
        "count": number_format(count, force_grouping=True)
    }


def _partial(path: str) -> str:
    return f"{path}.partial"


def _remove_stale_partial(rejects_path: str) -> None:
    """Remove the unfinished rejects file a killed or failed run left beside the export."""
    Path(_partial(rejects_path)).unlink(missing_ok=True)


def _file_warnings(csv_file: CsvFile, *, source: str, run: IngestRun) -> list[str]:
    warnings = []
    if csv_file.unknown_columns:
        warnings.append(
            gettext("Ignored unknown column(s): %(columns)s.")
            % {"columns": ", ".join(csv_file.unknown_columns)}
        )
    earlier = (
        IngestRun.objects.filter(
            source=source, file_sha256=csv_file.sha256, status=RunStatus.SUCCEEDED
        )
        .exclude(pk=run.pk)
        .first()
    )
    if earlier:
        local = timezone.localtime(earlier.started_at)
        warnings.append(
            gettext(
                "This file was already imported on %(when)s; importing it again changes "
                "nothing that is still as it left it."
            )
            % {"when": f"{local:%Y-%m-%d %H:%M}"}
        )
    return warnings


def _save_run(run: IngestRun, status: str, summary: dict, rejects_path: str) -> None:
    run.status = status
    run.summary = summary
    run.rows_read = summary["rows_read"]
    run.rows_rejected = summary["rows_rejected"]
    run.rejects_path = rejects_path or ""
    run.finished_at = timezone.now()
    run.save()


def _finish_failed(run: IngestRun, error: str) -> None:
    IngestRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:2000]
    )


def _audit_summary(run: IngestRun, summary: dict) -> None:
    """The run's summary in the AuditLog, in the run's transaction: one "import" row whose
    diff holds each figure as an "after" value (the import's own writes are audited row by
    row by the triggers, with the system as actor)."""
    from audit.models import AuditAction, AuditLog

    AuditLog.objects.create(
        entity="ingest_run",
        entity_id=run.pk,
        row_id=str(run.pk),
        action=AuditAction.IMPORT,
        diff_json={
            key: {"before": None, "after": value}
            for key, value in {"source": run.source, "file": run.file_name, **summary}.items()
        },
    )


def _more_temp_buffers(cursor) -> None:
    """Keep the staging tables in memory (the default 8 MB spills a 100,000-row file to
    disk). PostgreSQL allows this only before the session's first temporary table, so a
    session that already used one (a test, a second import) keeps its setting."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL temp_buffers = '128MB'")
    except DatabaseError:
        pass


def _lock_or_refuse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise ImportBusy(
                gettext("Another daily import is running; nothing was imported. Try later.")
            )


def _unlock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])


def _pause_if_asked(point: str) -> None:
    if os.environ.get(PAUSE_VARIABLE) == point:
        print(f"ingest: paused at {point}", file=sys.stderr, flush=True)
        time.sleep(3600)
