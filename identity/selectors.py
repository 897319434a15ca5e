"""Reads for "Possible matches", the merge form and the client record's identity panel.

Each function reads a fixed number of queries however many items, candidates or records
there are, and every query is served by an index (identity/models.py, snippets models), so
the screens stay fast at a million clients.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from access.selectors import NOT_SHOWN
from ingest.contract import IMMIGRATION_STATUS_CODES  # cycle: a decided row is an import row
from ingest.models import IngestRun  # cycle: review items belong to import runs
from snippets.models import (
    Client,
    ClientProgramEnrollment,
    ClientSourceId,
    ImmigrationStatus,
    ServiceRestriction,
)

from . import fields as identity_fields
from .models import WAITING, ClientMerge, MatchCandidate, MatchKind, PossibleMatch

# Bands of the best candidate's match weight (log2 of the odds that the records are one
# person, identity/linkage/): each point doubles the odds, so 20 points is about a
# million to one for, and items under 10 rest on little evidence.
SCORE_BANDS = {
    "high": (gettext_lazy("High (20 or more)"), 20, None),
    "middle": (gettext_lazy("Middle (10 to 20)"), 10, 20),
    "low": (gettext_lazy("Low (under 10)"), None, 10),
}
# A person's enrollments shown beside a candidate: the most recent ones.
ENROLLMENTS_SHOWN = 10

# Evidence levels (identity/linkage/) in words.
LEVEL_WORDS = {
    "exact": gettext_lazy("the same"),
    "typo": gettext_lazy("a small typo apart"),
    "phonetic": gettext_lazy("sound the same"),
    "initial": gettext_lazy("the same initial"),
    "swapped": gettext_lazy("day and month swapped"),
    "swapped_names": gettext_lazy("first and last name swapped"),
    "partial": gettext_lazy("partly the same"),
    "different": gettext_lazy("different"),
    "missing": gettext_lazy("missing on one side"),
}

# The notes the linkage SQL stores beside a level, in words.
NOTE_WORDS = {
    "rare": gettext_lazy("rare"),
    "common": gettext_lazy("common"),
    "first and last swapped": gettext_lazy("first and last swapped"),
}


def possible_matches_waiting(
    *,
    kind: str | None = None,
    source: str | None = None,
    run_id=None,
    older_than_days: int | None = None,
    score_band: str | None = None,
):
    """Possible matches waiting for a decision (open or "not sure yet"), oldest first, with
    their import run, client and ranked candidates (with clients) fetched alongside."""
    queryset = PossibleMatch.objects.filter(status__in=WAITING)
    if kind:
        queryset = queryset.filter(kind=kind)
    if source:
        queryset = queryset.filter(source=source)
    if run_id:
        queryset = queryset.filter(run_id=run_id)
    if older_than_days:
        queryset = queryset.filter(
            created_at__lt=timezone.now() - datetime.timedelta(days=older_than_days)
        )
    if score_band in SCORE_BANDS:
        _, low, high = SCORE_BANDS[score_band]
        if low is not None:
            queryset = queryset.filter(top_score__gte=low)
        if high is not None:
            queryset = queryset.filter(top_score__lt=high)
    return (
        queryset.select_related("run", "client")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=MatchCandidate.objects.select_related("client").order_by("rank"),
            )
        )
        .order_by("created_at", "id")
    )


def possible_matches_waiting_count() -> int:
    """How many possible matches wait for a person (for the dashboard)."""
    return PossibleMatch.objects.filter(status__in=WAITING).count()


def sources_waiting() -> list[str]:
    """The sources that have waiting import rows, for the filter."""
    return list(
        PossibleMatch.objects.filter(status__in=WAITING)
        .exclude(source="")
        .order_by("source")
        .values_list("source", flat=True)
        .distinct()
    )


def runs_waiting():
    """Import runs with rows still waiting, newest first, for the filter."""
    waiting = PossibleMatch.objects.filter(run=OuterRef("pk"), status__in=WAITING)
    return IngestRun.objects.filter(Exists(waiting)).order_by("-started_at")


# --- One item ----------------------------------------------------------------------------


@dataclass
class Person:
    """One side of the comparison: the import row, or a client record."""

    label: str
    values: dict[str, str]  # identity field -> value as a person reads it
    client: Client | None = None
    candidate: MatchCandidate | None = None
    source_ids: list = field(default_factory=list)
    enrollments: list = field(default_factory=list)
    more_enrollments: int = 0
    restrictions: list = field(default_factory=list)
    differs: dict[str, bool] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # an import row's, in words


def client_people(
    clients: list[Client],
    *,
    day: datetime.date | None = None,
    hidden_programs: frozenset = frozenset(),
) -> dict:
    """For each client: its source ids, live enrollments (most recent first) with their
    programs, and live restrictions in force on ``day`` (today). Three queries in all.
    Enrollments and restrictions in ``hidden_programs`` (the confidential programs the
    reader does not staff, access.selectors.confidential_programs_hidden) are left out."""
    day = day or timezone.localdate()
    ids = [c.pk for c in clients]
    people = {
        c.pk: {"client": c, "source_ids": [], "enrollments": [], "restrictions": []}
        for c in clients
    }
    for source_id in ClientSourceId.objects.filter(client_id__in=ids).order_by("source"):
        people[source_id.client_id]["source_ids"].append(source_id)
    enrollments = (
        ClientProgramEnrollment.objects.live()
        .filter(client_id__in=ids)
        .exclude(program_id__in=list(hidden_programs))
        .select_related("program")
        .order_by("client_id", "-start_date")
    )
    for enrollment in enrollments:
        people[enrollment.client_id]["enrollments"].append(enrollment)
    restrictions = (
        ServiceRestriction.objects.live()
        .active_on(day)
        .filter(client_id__in=ids)
        .exclude(program_id__in=list(hidden_programs))
        .select_related("program")
        .order_by("-start_date")
    )
    for restriction in restrictions:
        people[restriction.client_id]["restrictions"].append(restriction)
    return people


def _row_display(values: dict, name: str) -> str:
    """An import row's cell as a person reads it."""
    raw = (values.get(name) or "").strip()
    if not raw:
        return "—"
    if name == "languages":
        return ", ".join(p.strip() for p in raw.split(";") if p.strip())
    if name == "immigration_status":
        code = IMMIGRATION_STATUS_CODES.get(raw.lower())
        return str(ImmigrationStatus(code).label) if code else raw
    return raw


def evidence_in_words(evidence: list[dict]) -> list[str]:
    """["Last name: the same (rare), +7.9", ...] from a candidate's per-field evidence."""
    words = []
    for item in evidence or []:
        name = item.get("field", "")
        try:
            label = identity_fields.field_label(name)
        except Exception:  # a field the model does not have (yet): its name in words
            label = name.replace("_", " ").capitalize()
        level = item.get("level", "")
        text = gettext("%(field)s: %(level)s") % {
            "field": label,
            "level": LEVEL_WORDS.get(level, level.replace("_", " ")),
        }
        if item.get("note"):
            # Stored in English by the linkage SQL (identity/linkage/sql.py): "rare",
            # "common", "first and last swapped", or two of them joined by ", ".
            notes = [str(NOTE_WORDS.get(n, n)) for n in item["note"].split(", ")]
            text += f" ({', '.join(notes)})"
        weight = item.get("weight")
        if isinstance(weight, int | float):
            sign = "−" if weight < 0 else "+"
            text += f", {sign}{number_format(abs(weight), decimal_pos=1)}"
        words.append(text)
    return words


def _mark_differences(left: Person, right: Person, names: list[str]) -> None:
    for name in names:
        a, b = left.values[name], right.values[name]
        right.differs[name] = (
            a != "—" and b != "—" and identity_fields.comparable(a) != identity_fields.comparable(b)
        )


def possible_match_review(
    *,
    possible_match: PossibleMatch,
    hidden_programs: frozenset = frozenset(),
    hidden_fields: frozenset = frozenset(),
) -> dict:
    """What the item's page shows: the row (or the client, for a pair of records) and each
    ranked candidate side by side, with the differing fields marked, and each candidate's
    score and evidence in words. Five queries, however many candidates. Services in
    ``hidden_programs`` and the fields ``hidden_fields`` (sensitive fields the reader's
    role is not granted) are left out."""
    names = [n for n in identity_fields.identity_fields() if n not in hidden_fields]
    candidates = list(
        possible_match.candidates.select_related("client__merged_into").order_by("rank")
    )
    clients = [c.client for c in candidates]
    if possible_match.client_id:
        clients.append(possible_match.client)
    people = client_people(clients, hidden_programs=hidden_programs)

    def person(client: Client, label: str, candidate=None) -> Person:
        extra = people[client.pk]
        return Person(
            label=label,
            values={n: identity_fields.display(client, n) for n in names},
            client=client,
            candidate=candidate,
            source_ids=extra["source_ids"],
            enrollments=extra["enrollments"][:ENROLLMENTS_SHOWN],
            more_enrollments=max(0, len(extra["enrollments"]) - ENROLLMENTS_SHOWN),
            restrictions=extra["restrictions"],
            evidence=evidence_in_words(candidate.evidence) if candidate else [],
        )

    if possible_match.kind == MatchKind.IMPORT_ROW:
        values = possible_match.row_values
        subject = Person(
            label=gettext("Row %(number)s of the %(source)s import")
            % {"number": possible_match.row_number or "?", "source": possible_match.source},
            values={n: _row_display(values, n) for n in names},
        )
        uid = (values.get("uid_external") or "").strip()
        subject.source_ids = [f"{possible_match.source}: {uid}"] if uid else []
        subject.services = _row_services_in_words(values)
    else:
        subject = person(possible_match.client, gettext("This client"))
    others = [
        person(c.client, gettext("Candidate %(number)s") % {"number": i}, c)
        for i, c in enumerate(candidates, 1)
    ]
    for other in others:
        _mark_differences(subject, other, names)
    rows = [
        {
            "label": identity_fields.field_label(name),
            "subject": subject.values[name],
            "others": [(o.values[name], o.differs[name]) for o in others],
        }
        for name in names
    ]
    return {"subject": subject, "candidates": others, "rows": rows}


def _row_services_in_words(values: dict) -> list[str]:
    program = (values.get("program") or "").strip()
    if not program:
        return []
    words = []
    if values.get("enrollment_start"):
        start = values["enrollment_start"]
        if values.get("enrollment_end"):
            words.append(
                gettext("Enrollment in %(program)s from %(start)s until %(end)s")
                % {"program": program, "start": start, "end": values["enrollment_end"]}
            )
        else:
            words.append(
                gettext("Enrollment in %(program)s from %(start)s")
                % {"program": program, "start": start}
            )
    if values.get("intake_date"):
        words.append(
            gettext("Intake to %(program)s on %(date)s")
            % {"program": program, "date": values["intake_date"]}
        )
    if values.get("discharge_date"):
        reason = f" ({values['discharge_reason']})" if values.get("discharge_reason") else ""
        words.append(
            gettext("Discharge from %(program)s on %(date)s")
            % {"program": program, "date": values["discharge_date"]}
            + reason
        )
    return words


# --- Merge --------------------------------------------------------------------------------


def merge_comparison(
    *, first: Client, second: Client, hidden_fields: frozenset = frozenset()
) -> list[dict]:
    """The fields a merge chooses between, each with both records' values and whether
    they differ (only differing fields need a choice). The values of ``hidden_fields``
    (sensitive fields the reader's role is not granted) are shown as "not shown"; the
    choice between them is still offered, so a merge keeps one of them."""
    rows = []
    for name in identity_fields.merge_fields():
        a, b = identity_fields.display(first, name), identity_fields.display(second, name)
        if name in hidden_fields:
            a = b = str(NOT_SHOWN)
        rows.append(
            {
                "name": name,
                "label": identity_fields.field_label(name),
                "first": a,
                "second": b,
                "differs": getattr(first, name) != getattr(second, name),
            }
        )
    return rows


def merge_partners_search(*, client: Client, query: str, limit: int = 20) -> list[Client]:
    """Live, unmerged clients other than ``client`` matching what was typed (a name, a date
    of birth or a source id), best first."""
    from snippets.selectors import client_search

    if not query.strip():
        return []
    queryset = Client.objects.live().filter(merged_into__isnull=True).exclude(pk=client.pk)
    return list(client_search(query=query, queryset=queryset)[:limit])


# --- The client's record -------------------------------------------------------------------


def client_identity(*, client: Client) -> dict:
    """For a client's record: the other records it may be the same person as (waiting
    pairs), the records merged into it (with their merges, to undo), and the record it
    was merged into. Four queries."""
    waiting_pairs = PossibleMatch.objects.filter(kind=MatchKind.EXISTING_CLIENT, status__in=WAITING)
    as_subject = list(
        MatchCandidate.objects.filter(
            possible_match__in=waiting_pairs.filter(client=client)
        ).select_related("client", "possible_match")
    )
    as_candidate = list(
        MatchCandidate.objects.filter(
            client=client, possible_match__in=waiting_pairs
        ).select_related("possible_match__client")
    )
    maybe = [(c.client, c.possible_match) for c in as_subject]
    maybe += [(c.possible_match.client, c.possible_match) for c in as_candidate]
    merges = list(
        ClientMerge.objects.filter(Q(survivor=client) | Q(merged=client), undone_at__isnull=True)
        .select_related("survivor", "merged", "merged_by")
        .order_by("-merged_at")
    )
    return {
        "maybe_same_person": [(other, pair) for other, pair in maybe if other.pk != client.pk],
        "merged_here": [m for m in merges if m.survivor_id == client.pk],
        "merged_away": next((m for m in merges if m.merged_id == client.pk), None),
    }
