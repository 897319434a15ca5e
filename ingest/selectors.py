"""Reads of import runs for the Imports screen."""

from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

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


# The summary's figures in words (ingest.services writes the keys).
OUTCOME_LABELS = {
    "clients": gettext_lazy("clients"),
    "enrollments": gettext_lazy("enrollments"),
    "intakes": gettext_lazy("intakes"),
    "discharges": gettext_lazy("discharges"),
    "source_ids_added": gettext_lazy("source ids added"),
    "rows_matched": gettext_lazy("rows matched"),
    "rows_for_review": gettext_lazy("rows for a person to review"),
    "review_items_created": gettext_lazy("new items in Possible matches"),
}
PART_LABELS = {
    "inserted": gettext_lazy("inserted"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "by_source_id": gettext_lazy("by source id"),
    "by_decision": gettext_lazy("by an earlier decision"),
    "by_score": gettext_lazy("by match score"),
    "new_client": gettext_lazy("new"),
}


def outcome_counts(run: IngestRun) -> list[tuple[str, str]]:
    """The run's counts by outcome (per kind of record) from its summary, in words, in the
    reader's language: counts only. A key this code does not know is shown by its name."""
    summary = run.summary or {}
    skip = {"rows_read", "rows_taken", "rows_rejected", "rejected_by_reason", "seconds"}
    outcomes = []
    # In the order above (the database gives a JSON object's keys in its own order).
    for key in sorted(summary, key=_order(OUTCOME_LABELS)):
        if key in skip:
            continue
        value = summary[key]
        label = str(OUTCOME_LABELS.get(key, key.replace("_", " ")))
        if isinstance(value, dict):
            value = ", ".join(
                f"{PART_LABELS.get(part, part.replace('_', ' '))} {_number(value[part])}"
                for part in sorted(value, key=_order(PART_LABELS))
            )
        else:
            value = _number(value)
        outcomes.append((label, value))
    return outcomes


def _order(known: dict):
    positions = {key: i for i, key in enumerate(known)}
    return lambda key: (positions.get(key, len(positions)), key)


def _number(value) -> str:
    return number_format(value, force_grouping=True) if isinstance(value, int) else str(value)
