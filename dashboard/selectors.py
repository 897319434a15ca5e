"""Reads for each role's home (the admin dashboard). Every function reads a bounded number
of rows through an index, so the whole home stays fast at a million clients.

The figures come from the apps that own them (approvals, identity, ingest, reports,
snippets, backups); this module only picks and limits.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from access.models import AccessException
from approvals.models import ChangeStatus, PendingChange
from approvals.selectors import changes_visible_to
from identity.models import WAITING, PossibleMatch
from ingest.models import IngestRun, RunStatus
from reports.selectors import VacancyTracker, vacancy_tracker
from snippets.models import (
    Client,
    ClientRecordAccess,
    Discharge,
    Intake,
    Program,
    ServiceRestriction,
)

# How many rows each list on the home shows; each links to the full list.
PANEL_ROWS = 5
RECENT_CLIENTS = 8
# A source's import is "missing" when its last run started longer ago than this: the
# import runs nightly, so a day and a half covers a late run without hiding a skipped one.
IMPORT_EXPECTED_WITHIN = datetime.timedelta(hours=36)
FAILED_RUN_STATUSES = (RunStatus.FAILED, RunStatus.INTERRUPTED)


def recent_clients(*, staff, limit: int = RECENT_CLIENTS) -> list[Client]:
    """The clients ``staff`` opened most recently (record or edit form), newest first,
    each once. Reads the last few access-log rows through its (staff, time) index."""
    client_ids = []
    for client_id in (
        ClientRecordAccess.objects.filter(staff=staff)
        .order_by("-accessed_at")
        .values_list("client_id", flat=True)[: limit * 5]
    ):
        if client_id not in client_ids:
            client_ids.append(client_id)
        if len(client_ids) == limit:
            break
    found = Client.objects.in_bulk(client_ids)
    return [found[pk] for pk in client_ids if pk in found]


@dataclass
class Approvals:
    waiting: int
    oldest: list[PendingChange]


def approvals_waiting(*, limit: int = PANEL_ROWS, staff=None) -> Approvals:
    """Changes sent to a Coordinator for approval and not yet decided, oldest first; with
    ``staff``, only those the need-to-know rule lets them read (approvals.selectors)."""
    queue = PendingChange.objects.filter(status=ChangeStatus.PENDING)
    if staff is not None:
        queue = changes_visible_to(staff=staff, queryset=queue)
    return Approvals(
        waiting=queue.count(),
        oldest=list(
            queue.select_related("requested_by").order_by("requested_at", "change_id")[:limit]
        ),
    )


@dataclass
class RestrictionsThisWeek:
    week_start: datetime.date
    week_end: datetime.date
    starting: list[ServiceRestriction]
    ending: list[ServiceRestriction]


def restrictions_this_week(
    *,
    today: datetime.date | None = None,
    limit: int = PANEL_ROWS,
    hidden_programs: frozenset = frozenset(),
) -> RestrictionsThisWeek:
    """Live restrictions that start, or end, from Monday to Sunday of this week, but none
    of ``hidden_programs`` (the confidential programs the reader does not staff)."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    live = (
        ServiceRestriction.objects.live()
        .exclude(program_id__in=list(hidden_programs))
        .select_related("client", "program")
    )
    return RestrictionsThisWeek(
        week_start=monday,
        week_end=sunday,
        starting=list(
            live.filter(start_date__range=(monday, sunday)).order_by("start_date")[:limit]
        ),
        ending=list(live.filter(end_date__range=(monday, sunday)).order_by("end_date")[:limit]),
    )


def fewest_places(tracker: VacancyTracker, *, limit: int = PANEL_ROWS) -> list:
    """Programs with a capacity, fewest places vacant today first (full ones first)."""
    programs = [
        program
        for department in tracker.departments
        for program in department.programs
        if program.vacant is not None
    ]
    return sorted(programs, key=lambda p: (p.vacant, p.program))[:limit]


def todays_vacancies(*, today: datetime.date | None = None) -> VacancyTracker:
    """Today's Vacancy Tracker (the report's own selector): one grouped count."""
    return vacancy_tracker(as_of=today or timezone.localdate())


def programs_of(*, staff, tracker: VacancyTracker | None = None, limit: int = 20) -> list:
    """The live programs ``staff`` is assigned to, each with today's places. ``tracker``:
    today's Vacancy Tracker when the home has already made it for another panel; otherwise
    the tracker of these programs only, so a Staff member's home counts one program's
    places rather than the agency's."""
    mine = list(
        Program.objects.live()
        .filter(staff_assignments__staff=staff)
        .distinct()
        .order_by("name")
        .values_list("pk", flat=True)[:limit]
    )
    if not mine:
        return []
    if tracker is None:
        tracker = vacancy_tracker(as_of=timezone.localdate(), program_ids=mine)
    by_id = {
        program.program_id: program
        for department in tracker.departments
        for program in department.programs
    }
    return [(pk, by_id[pk]) for pk in mine if pk in by_id]


@dataclass
class MonthHeadlines:
    month_start: datetime.date
    intakes: int
    discharges: int
    capacity: int
    occupied: int
    vacant: int


def month_headlines(
    *, tracker: VacancyTracker, today: datetime.date | None = None
) -> MonthHeadlines:
    """This month's intakes and discharges (live rows, by their dates) and today's places,
    as the Org Summary and the Vacancy Tracker count them."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return MonthHeadlines(
        month_start=first,
        intakes=Intake.objects.live().filter(intake_date__range=(first, today)).count(),
        discharges=Discharge.objects.live().filter(discharge_date__range=(first, today)).count(),
        capacity=tracker.capacity,
        occupied=tracker.occupied,
        vacant=tracker.vacant,
    )


@dataclass
class SourceImport:
    source: str
    run: IngestRun | None
    review_items: int
    failed: bool
    missing: bool

    @property
    def alarming(self) -> bool:
        return self.failed or self.missing


def known_sources() -> list[str]:
    """The source systems the agency keeps, when that list exists; else those seen in
    import runs."""
    try:
        from ingest.models import SourceSystem  # added with the Source systems screen
    except ImportError:
        SourceSystem = None
    if SourceSystem is not None:
        return list(SourceSystem.objects.order_by("name").values_list("name", flat=True))
    return list(IngestRun.objects.order_by("source").values_list("source", flat=True).distinct())


def last_imports(*, now: datetime.datetime | None = None) -> list[SourceImport]:
    """Each source's last import run, whether it failed, and whether last night's is
    missing; with the possible matches it left for review."""
    now = now or timezone.now()
    sources = known_sources()
    last = {
        run.source: run
        for run in IngestRun.objects.filter(source__in=sources)
        .exclude(status=RunStatus.DRY_RUN)
        .order_by("source", "-started_at")
        .distinct("source")
    }
    review = dict(
        PossibleMatch.objects.filter(run__in=[r.pk for r in last.values()], status__in=WAITING)
        .values_list("run")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("run", "n")
    )
    rows = []
    for source in sources:
        run = last.get(source)
        rows.append(
            SourceImport(
                source=source,
                run=run,
                review_items=review.get(run.pk, 0) if run else 0,
                failed=run is not None and run.status in FAILED_RUN_STATUSES,
                missing=run is None or run.started_at < now - IMPORT_EXPECTED_WITHIN,
            )
        )
    return rows


@dataclass
class LastBackup:
    taken_at: datetime.datetime | None
    verified: bool
    problem: str


def last_backup() -> LastBackup:
    """The newest backup in the bucket, and whether its checksum was verified after upload
    (backups.selectors); or what stopped the registry from knowing."""
    from backups.selectors import BackupError, backups_list

    if "backups" not in settings.STORAGES:
        return LastBackup(None, False, _("No backup bucket is configured (BACKUP_S3_BUCKET)."))
    try:
        backups = backups_list()
    except BackupError as exc:
        return LastBackup(None, False, str(exc))
    if not backups:
        return LastBackup(None, False, _("The backup bucket holds no backup yet."))
    newest = backups[-1]
    return LastBackup(newest.taken_at, newest.complete, "")


def lockouts_to_review(*, limit: int = PANEL_ROWS):
    """Sign-in lockouts in force (django-axes): e-mail and address locked out, newest
    first; with how many there are."""
    from staff.selectors import locked_sign_ins

    locked = locked_sign_ins()
    return locked.count(), list(locked.values("username", "ip_address", "attempt_time")[:limit])


# Access exceptions granted this long ago or less are "to review" on the Administrator's
# home: a week covers a weekend's exceptions without listing the whole log.
ACCESS_EXCEPTIONS_REVIEW_DAYS = 7


def access_exceptions_to_review(*, limit: int = PANEL_ROWS):
    """Exceptions granted in the last ``ACCESS_EXCEPTIONS_REVIEW_DAYS`` days, newest
    first, with how many there are. Who looked and why, never whom by name; the count
    reads the ``granted_at`` index."""
    since = timezone.now() - datetime.timedelta(days=ACCESS_EXCEPTIONS_REVIEW_DAYS)
    recent = AccessException.objects.filter(granted_at__gte=since).select_related("staff")
    return recent.count(), list(recent.order_by("-granted_at", "-id")[:limit])


def records_list_url(model_name: str, **params) -> str:
    """The list of a registry record type, filtered by ``params``."""
    url = reverse(f"wagtailsnippets_snippets_{model_name}:list")
    return f"{url}?{urlencode(params)}" if params else url
