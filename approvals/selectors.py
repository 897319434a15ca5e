"""Reads for the Approvals screens."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
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


def changes_visible_to(*, staff, queryset):
    """The submissions in ``queryset`` that ``staff`` may read, by the need-to-know rule
    (access/selectors.py): none to a record of a confidential program they do not staff
    (Administrators excepted); for a program-scoped reader, only changes to clients in
    their scope and to those clients' services, besides their own submissions."""
    from access import selectors as access

    Client = model_for_entity("client")
    hidden = access.confidential_programs_hidden(staff)
    scope = access.staff_scope(staff)
    for model in client_service_models():
        entity = model._meta.model_name
        if hidden:
            programs = [str(pk) for pk in hidden]
            rows = model.objects.filter(pk=OuterRef("entity_id"), program_id__in=list(hidden))
            in_hidden = (
                Q(Exists(rows))
                | Q(diff_json__program__after__in=programs)
                | Q(diff_json__program__before__in=programs)
            )
            queryset = queryset.exclude(Q(entity=entity) & in_hidden)
        if scope.program_scoped:
            in_scope = Exists(
                model.objects.filter(pk=OuterRef("entity_id")).filter(
                    access.in_scope_condition(scope, client_ref=OuterRef("client_id"))
                )
            )
            queryset = queryset.exclude(Q(entity=entity) & ~Q(in_scope) & ~Q(requested_by=staff))
    if scope.program_scoped:
        client_in_scope = Exists(
            Client.objects.filter(pk=OuterRef("entity_id")).filter(access.in_scope_condition(scope))
        )
        queryset = queryset.exclude(
            Q(entity="client") & ~Q(client_in_scope) & ~Q(requested_by=staff)
        )
    return queryset


SERVICE_ENTITIES = ("clientprogramenrollment", "intake", "discharge", "servicerestriction")


def client_service_models():
    """The record types that belong to a client and a program."""
    return tuple(model_for_entity(entity) for entity in SERVICE_ENTITIES)


def sensitive_fields_hidden_in(change: PendingChange, staff) -> frozenset:
    """The fields of a client submission whose values ``staff`` may not see."""
    from access import selectors as access

    if change.entity != "client":
        return frozenset()
    Client = model_for_entity("client")
    client = Client.objects.filter(pk=change.entity_id).first() or Client(pk=None)
    return frozenset(access.sensitive_fields_hidden(staff, client))


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


def change_comparison(
    change: PendingChange, *, hidden_fields: frozenset = frozenset()
) -> list[ComparedField]:
    """Per submitted field: the live value now, the proposal, and the value it was proposed
    against (when the live record has moved since, approval will refuse that field). The
    values of ``hidden_fields`` (sensitive fields the reader is not granted) are replaced
    by "not shown"; the row stays, so the reader knows the field changes."""
    from access.selectors import NOT_SHOWN

    model = model_for_entity(change.entity)
    resolver = NameResolver()
    live = model.objects.filter(pk=change.entity_id).first() if model else None
    current = snapshot(live) if live is not None and live.live else {}
    rows = []
    for key, diff in change.diff_json.items():
        now = current.get(key)
        if key in hidden_fields:
            rows.append(
                ComparedField(
                    label=field_label(model, key),
                    current=str(NOT_SHOWN),
                    proposed=str(NOT_SHOWN),
                    at_submission=str(NOT_SHOWN),
                    changed_since_submission=False,
                )
            )
            continue
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


# Drafts and submissions as the editor sees them ---------------------------------------------
#
# A draft is a Wagtail revision of a record, by its author, newer than the record's live
# version (or of a record that was never published). Wagtail's editor opens the latest
# revision whoever wrote it; the registry's editor opens, for each person, their own draft
# or open submission when they have one, and otherwise the live record, so nobody's
# publish picks up a change someone else has not had approved.


def open_change_for(record) -> PendingChange | None:
    """The record's submission awaiting a decision, if any (at most one, by constraint)."""
    return (
        PendingChange.objects.pending()
        .select_related("requested_by")
        .filter(entity=record._meta.model_name, entity_id=record.pk)
        .first()
    )


def record_was_ever_live(record) -> bool:
    """Whether the record ever counted as data: live now, published once, or recorded live
    by the audit log at any time (an import writes live rows without Wagtail's dates).

    The same rule as the database's keep-restrictions trigger (snippets migrations).
    """
    from audit.models import AuditLog

    if record.live or record.first_published_at is not None:
        return True
    return (
        AuditLog.objects.for_record(record.pk)
        .filter(entity=record._meta.model_name)
        .filter(Q(diff_json__live__before=True) | Q(diff_json__live__after=True))
        .exists()
    )


def draft_author(record):
    """Who started a never-published record: the author of its first revision (None when
    no revision records one, as for rows written by an import or a script)."""
    first = record.revisions.order_by("created_at", "pk").select_related("user").first()
    return first.user if first is not None else None


def own_draft_revision(*, record, staff):
    """``staff``'s unsent draft or open submission of a published ``record``, or None.

    Their latest revision newer than the live version; or, while their own submission is
    open, the revision it holds (a Coordinator's direct edit since then is newer, but the
    requester still sees what they sent).
    """
    revisions = record.revisions.filter(user=staff).order_by("-created_at", "-pk")
    if record.live_revision_id is not None:
        newer = revisions.filter(created_at__gt=record.live_revision.created_at).first()
    else:
        newer = revisions.first()
    if newer is not None:
        return newer
    change = open_change_for(record)
    if change is not None and change.requested_by_id == staff.pk:
        return change.revision
    return None


def version_for_editor(*, record, staff):
    """The version of a published ``record`` that ``staff``'s edit form starts from: their
    own draft or open submission when they have one, otherwise the live record."""
    revision = own_draft_revision(record=record, staff=staff)
    return revision.as_object() if revision is not None else record


def revision_is_unapproved_work_of_another(*, revision, staff) -> bool:
    """Whether ``revision`` is someone else's version that never went live: publishing it
    would make their change live without a decision."""
    from wagtail.models import ModelLogEntry

    if revision.user_id is None or revision.user_id == staff.pk:
        return False
    return not ModelLogEntry.objects.filter(revision=revision, action="wagtail.publish").exists()


def draft_discardable_by(*, record, staff) -> bool:
    """Whether ``staff`` may discard ``record``: a draft that never went live, that they
    started, and that is not waiting for a decision. (For restrictions, whose deletion is
    otherwise refused: one that was ever in force is kept ten years.)"""
    if not staff.is_authenticated or not staff.has_perm(
        f"{record._meta.app_label}.change_{record._meta.model_name}"
    ):
        return False
    if record.pk is None or record_was_ever_live(record) or open_change_for(record):
        return False
    author = draft_author(record)
    return author is not None and author.pk == staff.pk
