"""The need-to-know rule: which clients' full records a staff member may read, which
fields of them, and which enrollments (docs/personal-data.md).

- Administrators and Coordinators see every client; Analysts read every client, read-only.
- Managers, Leaders and Staff see the full record of a client who has, or had in the last
  ``REGISTRY_SCOPE_MONTHS`` months, an enrollment, intake or discharge in a program they
  are assigned to (ProgramStaff, or DepartmentStaff for the department's programs), whom
  they created, or for whom they hold an unexpired access exception.
- Anyone may find anyone by search, but outside their scope sees only the name, the date of
  birth and whether a restriction is in force today.
- Sensitive fields follow ``REGISTRY_SENSITIVE_FIELD_ROLES``.
- Enrollment in a confidential program is seen only by that program's staff and by
  Administrators. A client who chose "own programs only" shows program staff only the
  services of their own programs.

Each function takes the staff member and reads their roles and assignments once per
request (cached on the user object), so a list of 50 clients costs the same few queries.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from snippets.models import (
    Client,
    ClientProgramEnrollment,
    DepartmentStaff,
    Discharge,
    Intake,
    Program,
    ProgramStaff,
    ServiceRestriction,
    SharingConsent,
)
from snippets.models.enrollment import end_or_open_ended
from snippets.selectors import any_of, uuid_array_text
from staff.roles import RoleName

from .models import AccessException

AGENCY_WIDE_ROLES = frozenset({RoleName.ADMINISTRATOR, RoleName.COORDINATOR, RoleName.ANALYST})
PROGRAM_STAFF = "program staff"  # the token in REGISTRY_SENSITIVE_FIELD_ROLES
SENSITIVE_FIELDS = ("sexual_orientation", "immigration_status", "extra_demographics")
# Shown in place of a sensitive value the reader's role is not granted (diffs, merges).
NOT_SHOWN = _("Not shown to your role")


@dataclass(frozen=True)
class StaffScope:
    """What one staff member's roles and assignments allow, read once per request."""

    staff_id: object
    roles: frozenset
    program_ids: frozenset  # assigned programs, directly or through a department
    confidential_program_ids: frozenset  # every confidential program of the agency
    # What the request has read of the scope already (scope_client_ids).
    cache: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    @property
    def agency_wide(self) -> bool:
        return bool(self.roles & AGENCY_WIDE_ROLES)

    @property
    def administrator(self) -> bool:
        return RoleName.ADMINISTRATOR in self.roles

    @property
    def program_scoped(self) -> bool:
        return not self.agency_wide


def staff_scope(staff) -> StaffScope:
    """The staff member's scope, cached on the user object for the request."""
    cached = getattr(staff, "_registry_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(staff.role_names) if staff.is_authenticated else frozenset()
    direct = ProgramStaff.objects.filter(staff_id=staff.pk).values_list("program_id", flat=True)
    departments = DepartmentStaff.objects.filter(staff_id=staff.pk).values("department_id")
    via_department = Program.objects.filter(department_id__in=departments).values_list(
        "id", flat=True
    )
    scope = StaffScope(
        staff_id=staff.pk,
        roles=roles,
        program_ids=frozenset(direct) | frozenset(via_department),
        confidential_program_ids=frozenset(
            Program.objects.filter(confidential=True).values_list("id", flat=True)
        ),
    )
    staff._registry_scope = scope
    return scope


def scope_since(day: datetime.date | None = None) -> datetime.date:
    """The first day whose services still bring a client into their programs' scope."""
    day = day or timezone.localdate()
    months = settings.REGISTRY_SCOPE_MONTHS
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    # The same day of the month, or the month's last day (31 March - 1 month = 28/29 Feb).
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class ProbedExists(Exists):
    """An ``EXISTS`` that PostgreSQL answers row by row, with an index probe for each row it
    is asked about, never by hashing every matching row first.

    A correlated ``EXISTS`` under an ``OR`` (the scope rule's shape) may be planned either
    way, and PostgreSQL picks by the rows it expects to ask about, not the page it returns:
    for a Leader's Clients list it hashed every intake and discharge of the scope window
    (about 1,100,000 index entries) to return 50 clients. ``OFFSET 0`` is PostgreSQL's
    documented fence: a subquery with an OFFSET is never turned into a hashed ``IN``
    (``simplify_EXISTS_query`` in its planner), so the list walks the clients in name
    order and probes each one's services through the (client, date) indexes.
    """

    template = "EXISTS(%(subquery)s OFFSET 0)"


def services_in_window(scope: StaffScope) -> tuple:
    """The services that bring their client into ``scope``: the live enrollments, intakes
    and discharges of the staff member's programs in the scope window (an enrollment still
    running at its start, or ended since). Every form of the rule below is built on these."""
    since = scope_since()
    # The programs as one array parameter: a Leader's 316-529 programs as one parameter
    # each, in three arms of every query of a page, cost ~100 ms of CPU a page.
    programs = _programs_of(scope)
    return (
        ClientProgramEnrollment.objects.filter(
            programs, GreaterThanOrEqual(end_or_open_ended(), since), live=True
        ),
        Intake.objects.filter(programs, live=True, intake_date__gte=since),
        Discharge.objects.filter(programs, live=True, discharge_date__gte=since),
    )


def _programs_of(scope: StaffScope):
    """A condition on services: in one of the staff member's programs (one parameter)."""
    return any_of("program_id", sorted(scope.program_ids, key=str))


def _exceptions_held(scope: StaffScope):
    return AccessException.objects.filter(staff_id=scope.staff_id, expires_at__gt=timezone.now())


def served_condition(scope: StaffScope, *, client_ref=None) -> Q:
    """True for the clients served by ``scope``'s programs in the scope window: an
    enrollment, intake or discharge in one of them. ``client_ref`` names the client when the
    condition is on another table's rows (e.g. ``OuterRef("client_id")``)."""
    client = client_ref if client_ref is not None else OuterRef("pk")
    if not scope.program_ids:
        return Q(pk__in=[])
    served = Q()
    for services in services_in_window(scope):
        served |= Q(ProbedExists(services.filter(client_id=client)))
    return served


def in_scope_condition(scope: StaffScope, *, client_ref=None) -> Q:
    """A condition on clients (or on rows whose ``client_ref`` names the client): true for
    the clients whose full record ``scope`` may read. Agency-wide roles: always true.

    Evaluated row by row (an index probe or two for each row it is asked about): the form
    for a page's rows, one record, or rows already narrowed down. To pick the rows of a
    whole list, use ``in_scope_filter``."""
    if scope.agency_wide:
        return Q()
    client = client_ref if client_ref is not None else OuterRef("pk")
    excepted = Q(Exists(_exceptions_held(scope).filter(client_id=client)))
    created = (
        Q(created_by_id=scope.staff_id)
        if client_ref is None
        else Q(Exists(Client.objects.filter(pk=client, created_by_id=scope.staff_id)))
    )
    if not scope.program_ids:
        return created | excepted
    return served_condition(scope, client_ref=client_ref) | created | excepted


# A scope whose services, creations and exceptions are at most this many rows is listed by
# its clients' ids (read first); a larger one by probing the list's rows (in_scope_filter).
SCOPE_ROWS_UP_TO = 10_000


def scope_client_ids(scope: StaffScope) -> list | None:
    """The ids of every client in ``scope`` (program-scoped readers), or None when the
    scope is larger than ``SCOPE_ROWS_UP_TO`` rows of services. One query, at most that
    many rows (the programs' (program, date) indexes), read once per request."""
    if "client_ids" in scope.cache:
        return scope.cache["client_ids"]
    arms = [
        services.order_by().values_list("client_id")
        for services in (services_in_window(scope) if scope.program_ids else ())
    ]
    arms.append(Client.objects.filter(created_by_id=scope.staff_id).order_by().values_list("pk"))
    arms.append(_exceptions_held(scope).order_by().values_list("client_id"))
    union = arms[0].union(*arms[1:], all=True)
    rows = [client_id for (client_id,) in union[: SCOPE_ROWS_UP_TO + 1]]
    ids = None if len(rows) > SCOPE_ROWS_UP_TO else sorted(set(rows))
    scope.cache["client_ids"] = ids
    return ids


def in_scope_filter(scope: StaffScope, *, client_field: str = "pk") -> Q:
    """``in_scope_condition`` in the form for picking a list's rows: a condition on
    clients, or (``client_field``, e.g. ``"client_id"``) on rows that name a client.

    A list looks for its first page among a million clients or five million enrollments.
    For a small scope (a program's few hundred clients) probing row after row would read
    tens of thousands of rows to find 50, so the scope's client ids are read first and the
    list fetches just those. For a large one (a department's 160,000 clients, one in six)
    the list walks its rows in order and probes each, stopping at the page's last row."""
    if scope.agency_wide:
        return Q()
    ids = scope_client_ids(scope)
    if ids is None:
        client_ref = None if client_field == "pk" else OuterRef(client_field)
        return in_scope_condition(scope, client_ref=client_ref)
    if not ids:
        # None. (Not "in an empty list", which Django answers without SQL: the paginator
        # asks PostgreSQL for its estimate of the list's SQL.)
        return Q(**{f"{client_field}__isnull": True})
    if client_field == "pk":
        # Clients: one array, unnested, so PostgreSQL fetches those clients by id and sorts
        # them. As a list of constants (IN (...)) it may instead walk every client in name
        # order testing each: with a filter matching few of them, 945,000 clients for 6.
        return Q(pk__in=RawSQL("SELECT unnest(%s::uuid[])", (uuid_array_text(ids),)))
    # Services: an array constant, tested (hashed) on each row of the list's walk in its
    # own order. Unnested, PostgreSQL compared every restriction with every id (5,000,000
    # comparisons for a Staff member's 583 clients). One array parameter, not one per id
    # (``client_id__in``): for a Manager's 3,474 clients Django spent ~100 ms of CPU a
    # page preparing the ids for the count, its estimate and the page.
    return Q(any_of(client_field, ids))


def clients_in_scope(staff, queryset=None):
    """The clients whose full record ``staff`` may read."""
    queryset = Client.objects.all() if queryset is None else queryset
    scope = staff_scope(staff)
    if scope.agency_wide:
        return queryset
    return queryset.filter(in_scope_filter(scope))


def with_scope_flag(staff, queryset):
    """Clients annotated with ``in_scope`` (True where ``staff`` may open the record), for
    search results that show everyone but link only to what the staff member may read."""
    scope = staff_scope(staff)
    if scope.agency_wide:
        return queryset.annotate(in_scope=Value(True), own_client=Value(False))
    # Evaluated for the listed rows only (a page of 50), not the whole table.
    return queryset.annotate(
        in_scope=ExpressionWrapper(in_scope_condition(scope), output_field=BooleanField()),
        own_client=ExpressionWrapper(served_condition(scope), output_field=BooleanField()),
    )


def client_in_scope(staff, client) -> bool:
    """May ``staff`` read ``client``'s full record (now)?"""
    scope = staff_scope(staff)
    if scope.agency_wide:
        return True
    return Client.objects.filter(in_scope_condition(scope), pk=client.pk).exists()


def served_by_own_programs(staff, client) -> bool:
    """Is ``client`` served (in the scope window) by one of ``staff``'s programs? That is
    what "program staff" means for the sensitive fields; an exception does not count."""
    scope = staff_scope(staff)
    return Client.objects.filter(served_condition(scope), pk=client.pk).exists()


def sensitive_field_granted(scope: StaffScope, field: str, *, own_client: bool) -> bool:
    """May ``scope`` see and edit ``field`` of a client (``own_client``: served by one of
    the staff member's programs)?"""
    allowed = settings.REGISTRY_SENSITIVE_FIELD_ROLES.get(field, [])
    return bool(scope.roles & set(allowed)) or (PROGRAM_STAFF in allowed and own_client)


def sensitive_fields_hidden(staff, client) -> set[str]:
    """The sensitive fields of ``client`` that ``staff`` may neither see nor edit."""
    scope = staff_scope(staff)
    own = None
    hidden = set()
    for field in SENSITIVE_FIELDS:
        if sensitive_field_granted(scope, field, own_client=False):
            continue
        if own is None:
            own = client.pk is not None and served_by_own_programs(staff, client)
        if not sensitive_field_granted(scope, field, own_client=own):
            hidden.add(field)
    return hidden


def visible_program_condition(staff, client) -> Q:
    """A condition on a client's services (enrollments, intakes, discharges): the rows
    ``staff`` may see on the client's record. Confidential programs' rows are seen only by
    their own staff and Administrators; "own programs only" consent limits program staff to
    their own programs' rows."""
    scope = staff_scope(staff)
    if scope.administrator:
        return Q()
    condition = Q()
    hidden_confidential = scope.confidential_program_ids - scope.program_ids
    # A restriction on the whole agency has no program and is always shown.
    if hidden_confidential:
        condition &= Q(program_id__isnull=True) | ~Q(program_id__in=list(hidden_confidential))
    if scope.program_scoped and client.sharing_consent == SharingConsent.OWN_PROGRAMS:
        condition &= Q(program_id__isnull=True) | Q(_programs_of(scope))
    return condition


def consent_shares_condition(scope: StaffScope) -> Q:
    """A condition on services (enrollments, intakes, discharges, restrictions) for the
    lists of a program-scoped reader: false for a service of a program not theirs whose
    client chose "own programs only" (``visible_program_condition`` for one client).

    The client's consent is probed for those rows only, through its primary key: joined
    instead, PostgreSQL would hash a million clients to count a list's first 10,000 rows."""
    own_programs_only = Client.objects.filter(
        pk=OuterRef("client_id"), sharing_consent=SharingConsent.OWN_PROGRAMS
    )
    return Q(program_id__isnull=True) | Q(_programs_of(scope)) | ~Q(ProbedExists(own_programs_only))


def service_row_visible(staff, client, row) -> bool:
    """Whether ``row`` (any record that refers to ``client``) may be shown to ``staff`` on
    the client's pages: rows without a program always; a service row only if
    ``visible_program_condition`` lets it through."""
    if getattr(row, "program_id", None) is None:
        return True
    return type(row).objects.filter(visible_program_condition(staff, client), pk=row.pk).exists()


def confidential_programs_hidden(staff) -> frozenset:
    """The confidential programs whose services, rows and names ``staff`` may not see: all
    of them but their own, and none for Administrators."""
    scope = staff_scope(staff)
    if scope.administrator:
        return frozenset()
    return scope.confidential_program_ids - scope.program_ids


def restrictions_in_force_seen_by(staff, *, day: datetime.date | None = None):
    """Live restrictions in force on ``day`` (default today) that ``staff`` may see, newest
    first: a restriction on a confidential program only by its own staff and by
    Administrators, as on every other path. Filter it by client."""
    scope = staff_scope(staff)
    queryset = (
        ServiceRestriction.objects.live()
        .active_on(day or timezone.localdate())
        .select_related("program")
        .order_by("-start_date")
    )
    hidden = scope.confidential_program_ids - scope.program_ids
    if hidden and not scope.administrator:
        queryset = queryset.exclude(program_id__in=list(hidden))
    return queryset


def exception_held(staff, client):
    """The staff member's unexpired access exception for ``client``, if any."""
    return (
        AccessException.objects.filter(
            staff_id=staff.pk, client_id=client.pk, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )
