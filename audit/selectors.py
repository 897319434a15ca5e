"""Reads of the audit log: filtered, newest first, one page at a time by keyset.

Pages are addressed by the last row seen (changed_at, audit_id), not by an offset, so the
thousandth page costs what the first does: an index range scan of ``page_size`` rows.
No total is counted (a COUNT over millions of rows is the slow part of offset paging).
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from staff.models import Staff

from .models import AuditLog, SearchableValues

PAGE_SIZE = 50

# Audit rows about one client: their record (filed under the client's id), their ids in
# outside systems (filed under the client too), and their services (filed under the
# service row's own id; the client is the row's client_id).
CLIENT_ENTITIES = ("client", "clientsourceid")
SERVICE_ENTITIES = ("clientprogramenrollment", "intake", "discharge", "servicerestriction")
# Identity decisions and merges name two clients at once.
IDENTITY_ENTITIES = ("possiblematch", "clientmerge")


@dataclass
class AuditPage:
    entries: list
    newer_cursor: str | None
    older_cursor: str | None


def cursor_for(entry: AuditLog) -> str:
    return f"{entry.changed_at.isoformat()}_{entry.audit_id}"


def _parse_cursor(cursor: str | None):
    if not cursor or "_" not in cursor:
        return None
    stamp, _, audit_id = cursor.rpartition("_")
    changed_at = parse_datetime(stamp)
    try:
        return (changed_at, uuid.UUID(audit_id)) if changed_at else None
    except ValueError:
        return None


def _as_uuid(text: str):
    try:
        return uuid.UUID(text.strip())
    except (ValueError, AttributeError):
        return None


def audit_entries_filtered(
    *,
    entity: str | None = None,
    record_id=None,
    changed_by=None,
    system_only: bool = False,
    action: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str | None = None,
    search_client_values: bool = True,
):
    """The audit rows matching every given filter (dates inclusive, in local time).
    ``search_client_values=False``: the text search does not look into the values of
    clients' rows (for a reader not granted the sensitive fields: a search for a value
    would tell whose records hold it)."""
    queryset = AuditLog.objects.all()
    if entity:
        queryset = queryset.filter(entity=entity)
    if record_id:
        queryset = queryset.filter(entity_id=record_id)
    if changed_by:
        queryset = queryset.filter(changed_by=changed_by)
    if system_only:
        queryset = queryset.filter(changed_by__isnull=True)
    if action:
        queryset = queryset.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        queryset = queryset.filter(changed_at__gte=start)
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        queryset = queryset.filter(changed_at__lt=end)
    if search:
        queryset = queryset.alias(searchable_values=SearchableValues("diff_json")).filter(
            _search_condition(search.strip(), client_values=search_client_values)
        )
    return queryset


def _search_condition(term: str, *, client_values: bool = True) -> Q:
    """A record or entry id finds that record's history; other text finds the history of
    the clients the client search finds (name in either order, typos tolerated), changes
    made, approved or requested by staff of that name or email, and changes whose
    before/after values contain it."""
    if (as_id := _as_uuid(term)) is not None:
        return Q(entity_id=as_id) | Q(audit_id=as_id) | Q(row_id=str(as_id))
    staff_ids = list(
        Staff.objects.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        ).values_list("pk", flat=True)[:200]
    )
    # The client list's rule, clients first: a bounded list of ids (the audit_record index).
    # The registry's tables carry audit's triggers; the audit log searches people by the
    # client search's rule (one rule): an inherent cycle, resolved when called.
    from snippets.selectors import client_ids_matching  # cycle: one client search rule

    client_ids = client_ids_matching(query=term)
    # icontains compiles to UPPER(values) LIKE UPPER('%term%'): the audit_words_trgm index.
    return (
        Q(entity_id__in=client_ids)
        | Q(changed_by__in=staff_ids)
        | Q(requested_by__in=staff_ids)  # the partial audit_by_requester index
        | (
            Q(searchable_values__icontains=term)
            if client_values
            else Q(searchable_values__icontains=term)
            & ~Q(entity__in=(*CLIENT_ENTITIES, "clientmerge"))
        )
    )


def audit_entries_visible_to(*, staff, queryset):
    """The rows of ``queryset`` that ``staff`` may read by the need-to-know rule
    (access/selectors.py):

    - rows of services in a confidential program the reader does not staff are left out,
      for everyone but Administrators (the program before or after the change);
    - a program-scoped reader (only if an agency grants one the audit log) sees the rows
      of clients in their scope and of those clients' services, and no identity decisions.
    """
    from access import selectors as access  # cycle: the rule reads the registry's tables
    from snippets.models import Client  # cycle: the audit log reads the rows it audits

    hidden = [str(pk) for pk in access.confidential_programs_hidden(staff)]
    if hidden:
        queryset = queryset.exclude(
            Q(entity__in=SERVICE_ENTITIES)
            & (
                Q(diff_json__program_id__before__in=hidden)
                | Q(diff_json__program_id__after__in=hidden)
            )
        )
    scope = access.staff_scope(staff)
    if scope.program_scoped:
        from audit.display import model_for_entity

        clients = Client.objects.filter(pk=OuterRef("entity_id")).filter(
            access.in_scope_condition(scope)
        )
        visible = ~Q(entity__in=(*CLIENT_ENTITIES, *SERVICE_ENTITIES, *IDENTITY_ENTITIES))
        visible |= Q(entity__in=CLIENT_ENTITIES) & Q(Exists(clients))
        for entity in SERVICE_ENTITIES:
            model = model_for_entity(entity)
            rows = model.objects.filter(pk=OuterRef("entity_id")).filter(
                access.in_scope_condition(scope, client_ref=OuterRef("client_id"))
            )
            visible |= Q(entity=entity) & Q(Exists(rows))
        queryset = queryset.filter(visible)
    return queryset


def audit_page(
    queryset,
    *,
    older_than: str | None = None,
    newer_than: str | None = None,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """One page of ``queryset``, newest first, after (``older_than``) or before
    (``newer_than``) a cursor. Cursors for the neighbouring pages come with it."""
    if (position := _parse_cursor(newer_than)) is not None:
        changed_at, audit_id = position
        rows = list(
            queryset.filter(changed_at__gte=changed_at)
            .exclude(changed_at=changed_at, audit_id__lte=audit_id)
            .order_by("changed_at", "audit_id")[: page_size + 1]
        )
        has_newer = len(rows) > page_size
        entries = list(reversed(rows[:page_size]))
        has_older = True
    else:
        queryset = queryset.order_by("-changed_at", "-audit_id")
        if (position := _parse_cursor(older_than)) is not None:
            changed_at, audit_id = position
            # changed_at <= t AND NOT (changed_at = t AND audit_id >= id): an index range.
            queryset = queryset.filter(changed_at__lte=changed_at).exclude(
                changed_at=changed_at, audit_id__gte=audit_id
            )
        rows = list(queryset[: page_size + 1])
        entries = rows[:page_size]
        has_older = len(rows) > page_size
        has_newer = position is not None
    return AuditPage(
        entries=entries,
        newer_cursor=cursor_for(entries[0]) if entries and has_newer else None,
        older_cursor=cursor_for(entries[-1]) if entries and has_older else None,
    )
