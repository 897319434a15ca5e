"""Reads for the Approvals screens."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from audit.display import NameResolver, display_value, field_label, model_for_entity

from .diff import snapshot
from .models import ChangeStatus, PendingChange


def pending_changes_for_review(
    *, status=ChangeStatus.PENDING, entity=None, requested_by=None, older_than_days=None
):
    """The review queue, oldest first, with optional filters."""
    queryset = PendingChange.objects.select_related("requested_by", "reviewed_by").oldest_first()
    if status:
        queryset = queryset.filter(status=status)
    if entity:
        queryset = queryset.filter(entity=entity)
    if requested_by:
        queryset = queryset.filter(requested_by=requested_by)
    if older_than_days:
        cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
        queryset = queryset.filter(requested_at__lte=cutoff)
    return queryset


def submissions_of(*, staff):
    """A requester's own submissions, newest first."""
    return (
        PendingChange.objects.filter(requested_by=staff)
        .select_related("reviewed_by")
        .order_by("-requested_at")
    )


def record_name(change: PendingChange, resolver: NameResolver | None = None) -> str:
    model = model_for_entity(change.entity)
    if model is None:
        return str(change.entity_id)
    resolver = resolver or NameResolver()
    name = resolver.name(model, change.entity_id)
    if name.startswith("(removed"):
        return change.revision.object_str if change.revision else name
    return name


@dataclass
class ComparedField:
    label: str
    current: str
    proposed: str
    at_submission: str
    changed_since_submission: bool


def change_comparison(change: PendingChange) -> list[ComparedField]:
    """Per submitted field: the live value now, the proposal, and the value it was proposed
    against (when the live record has moved since, approval will refuse that field)."""
    model = model_for_entity(change.entity)
    resolver = NameResolver()
    live = model.objects.filter(pk=change.entity_id).first() if model else None
    current = snapshot(live) if live is not None and live.live else {}
    rows = []
    for key, diff in change.diff_json.items():
        now = current.get(key)
        rows.append(
            ComparedField(
                label=field_label(model, key),
                current=display_value(model, key, now, resolver),
                proposed=display_value(model, key, diff.get("after"), resolver),
                at_submission=display_value(model, key, diff.get("before"), resolver),
                changed_since_submission=bool(current)
                and now != diff.get("before")
                and now != diff.get("after"),
            )
        )
    return rows
