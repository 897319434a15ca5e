"""Reads of import runs for the Imports screen."""

from pathlib import Path

from .models import IngestRun

RUNS_PER_PAGE = 25


def import_runs():
    """Every import run, newest first."""
    return IngestRun.objects.order_by("-started_at")


def rejects_file(run: IngestRun) -> Path | None:
    """The run's rejects file, if it names one that exists on this server."""
    if not run.rejects_path:
        return None
    path = Path(run.rejects_path)
    return path if path.is_file() else None


def outcome_counts(run: IngestRun) -> list[tuple[str, object]]:
    """The run's counts by outcome (per kind of record) from its summary: counts only."""
    summary = run.summary or {}
    skip = {"rows_read", "rows_taken", "rows_rejected", "rejected_by_reason", "seconds"}
    return [(key.replace("_", " "), value) for key, value in summary.items() if key not in skip]
