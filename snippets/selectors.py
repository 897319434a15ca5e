"""Reads of registry data for the admin screens. Every function reads live records only."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import BooleanField, Count, F, Func, OuterRef, Q, Subquery, UUIDField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from .models import (
    Client,
    ClientProgramEnrollment,
    ClientSourceId,
    Discharge,
    Intake,
    Program,
    ProgramCapacity,
    RestrictionScope,
    ServiceRestriction,
    SourceSystem,
)


def source_system_codes() -> list[str]:
    """The codes of the source systems that take imports and new ids (active), in order."""
    return list(SourceSystem.objects.active().values_list("code", flat=True))


# A client record lists at most this many rows per tab; the tab links to the full list.
RECORD_TAB_LIMIT = 50


def restrictions_in_force(*, client: Client, day: datetime.date | None = None):
    """The client's live restrictions in force on ``day`` (default today), newest first."""
    day = day or timezone.localdate()
    return (
        ServiceRestriction.objects.live()
        .active_on(day)
        .filter(client=client)
        .select_related("program")
        .order_by("-start_date")
    )


def restriction_blocking_enrollment(
    *, client_id, program_id, start_date: datetime.date
) -> ServiceRestriction | None:
    """The live restriction that forbids enrolling the client in the program on that day:
    one on the whole agency, or one on that program, in force on the start date."""
    return (
        ServiceRestriction.objects.live()
        .active_on(start_date)
        .filter(client_id=client_id)
        .filter(Q(scope=RestrictionScope.ORG) | Q(program_id=program_id))
        .select_related("program", "client")
        .order_by("-start_date")
        .first()
    )


def client_record(*, client: Client, visible: Q | None = None) -> dict:
    """What the client's record page shows: each tab's live rows, and today's restrictions.
    ``visible`` narrows the rows to the programs the reader may see (access/selectors.py:
    confidential programs, consent to share)."""
    visible = visible if visible is not None else Q()

    def tab(queryset, order):
        return list(
            queryset.live()
            .filter(visible, client=client)
            .select_related("program")
            .order_by(*order)[:RECORD_TAB_LIMIT]
        )

    return {
        "intakes": tab(Intake.objects, ["-intake_date"]),
        "discharges": tab(Discharge.objects, ["-discharge_date"]),
        "enrollments": tab(ClientProgramEnrollment.objects, ["-start_date"]),
        "restrictions": tab(ServiceRestriction.objects, ["-start_date"]),
        "restrictions_in_force": list(restrictions_in_force(client=client)),
        "tab_limit": RECORD_TAB_LIMIT,
    }


def client_and_merged_ids(client_id) -> list:
    """The client's id and the ids of every record merged into it (identity/ merges),
    however many merges deep: one person's records, e.g. for their access history."""
    ids, frontier = [client_id], [client_id]
    while frontier:
        frontier = list(
            Client.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def programs_with_occupancy(queryset=None, *, day: datetime.date | None = None):
    """Programs annotated with ``occupied``: distinct live clients with a live enrollment
    active on ``day`` (today), counted as the Vacancy Tracker counts them; and with
    ``capacity_today``, the capacity in effect on ``day`` from the capacity history (None:
    no period covers the day), as the Vacancy Tracker reads it.

    Sorting the Programs list by it computes it for every program, so each count is an
    index-only range of the program's open enrollments (enrollment_program_open_span, which
    holds the client and end date too), and draft clients are left out by a filter against
    the few drafts, hashed once per query (the report_client_draft partial index), instead
    of looking up each enrolled client in the million-row client table or joining them.
    """
    day = day or timezone.localdate()
    draft_clients = Client.objects.filter(live=False).values("pk")
    occupied = (
        ClientProgramEnrollment.objects.live()
        .active_on(day)
        .filter(program=OuterRef("pk"))
        .exclude(client_id__in=draft_clients)
        .order_by()
        .values("program")
        .annotate(n=Count("client", distinct=True))
        .values("n")
    )
    capacity = (
        ProgramCapacity.objects.in_effect_on(day).filter(program=OuterRef("pk")).values("capacity")
    )
    queryset = Program.objects.all() if queryset is None else queryset
    return queryset.annotate(
        occupied=Coalesce(Subquery(occupied), 0), capacity_today=Subquery(capacity[:1])
    )


def _parse_day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def client_search(*, query: str, queryset=None):
    """Clients matching what front-desk staff type: a name (typos and either word order
    tolerated), a date of birth (YYYY-MM-DD), or an id from any outside system.

    Name matches come best first. Served by the trigram index on ``search_name`` and the
    (source, id) and date-of-birth indexes, so it stays fast at a million clients.
    """
    queryset = Client.objects.all() if queryset is None else queryset
    text = " ".join(query.split())
    if not text:
        return queryset
    day = _parse_day(text)
    if day is not None:
        return queryset.filter(dob=day)
    # Looked up first (an index probe), so the name search below stays index-only: an
    # OR with a subquery would make PostgreSQL scan every client.
    by_source_id = list(
        ClientSourceId.objects.filter(uid_external=text).values_list("client_id", flat=True)
    )
    upper = text.upper()
    matches = Q(search_name__trigram_word_similar=upper) | Q(pk__in=by_source_id)
    if len(upper) >= 3:
        # Part of a name ("KANAGAR"). Shorter text has no trigram to look up, so a
        # substring test would read every client: "LI" finds the Li family by word instead.
        matches |= Q(search_name__contains=upper)
    return (
        queryset.annotate(match=TrigramWordSimilarity(upper, "search_name"))
        .filter(matches)
        .order_by("-match", "last_name", "first_name")
    )


# A person search in a list of records reads the ids of at most this many best-matching
# clients (one trigram-index probe), then the records of those clients (the client-id
# indexes), so it costs the same at a million clients as at a thousand.
CLIENT_MATCH_LIMIT = 200


def client_ids_matching(*, query: str, limit: int = CLIENT_MATCH_LIMIT) -> list:
    """Ids of the clients ``client_search`` finds for ``query``, best first, at most
    ``limit``; empty for empty text."""
    if not " ".join(query.split()):
        return []
    return list(client_search(query=query).values_list("pk", flat=True)[:limit])


def records_of_clients_matching(*, query: str, queryset):
    """Rows of ``queryset`` (intakes, discharges, enrollments, restrictions) whose client
    the client search finds for ``query`` (a name in either order, with typos; a date of
    birth; a source id), or whose program's name contains it."""
    text = " ".join(query.split())
    if not text:
        return queryset
    program_ids = list(
        Program.objects.filter(name__icontains=text).values_list("pk", flat=True)[:50]
    )
    return queryset.filter(
        Q(client_id__in=client_ids_matching(query=text)) | Q(program_id__in=program_ids)
    )


class _AnyOf(Func):
    """``<expression> = ANY(<array>)``."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def any_of(field: str, ids) -> _AnyOf:
    """A condition: ``field`` (a UUID column) is one of ``ids``, sent as one array
    parameter. ``field__in`` sends one parameter per id, and for a few thousand ids Django
    and psycopg spend tens of ms of CPU per query preparing them (a Manager's services
    lists: ~3,500 ids in each of three queries, most of the page's CPU). Same plan: an
    array constant, which PostgreSQL hashes once and tests each row against. The array
    goes as its text (``{id,id,...}``, cast), which psycopg sends as one string instead of
    adapting each id."""
    array = Cast(Value(uuid_array_text(ids)), output_field=ArrayField(UUIDField()))
    return _AnyOf(F(field), array)


def uuid_array_text(ids) -> str:
    """``ids`` (UUIDs) as PostgreSQL's text form of an array, ``{id,id,...}``: one string
    parameter for psycopg to send, instead of one adapted value per id."""
    return "{" + ",".join(str(pk) for pk in ids) + "}"


def with_ids(queryset, ids):
    """``queryset`` filtered to the records whose id is in ``ids`` (UUIDs), as one array
    parameter (``any_of``): for the 5,000 clients of a busy program ``pk__in`` cost ~30 ms
    of CPU per query. Same plan."""
    return queryset.filter(any_of("pk", ids))
