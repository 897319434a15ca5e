"""The numbers behind the reports. Pages, CSV exports, the benchmark and the tests all call
these functions, so the screen and the file can never disagree.

Counting rules, in the agency's words:

- A record counts only when it is live (published) and so is every record it hangs off:
  an enrollment counts when the enrollment, its client, its program and the program's
  department are all live. Drafts and unapproved proposals are never data.
- A client is *served* in a period when one of their enrollments overlaps it
  (``EnrollmentQuerySet.overlapping``) and *occupies* a place on a day when an enrollment
  is active that day (``EnrollmentQuerySet.active_on``). Those two helpers are the only
  definitions; the SQL below is compiled from them.
- People are counted once: the total and the demographics count clients (each client row
  once, found through their served enrollments); each program and each department counts
  its distinct clients. So one client in two programs counts once in each program and
  once in the total, and a subtotal column does not add up to the total. The Vacancy
  Tracker counts distinct clients per program.

Each breakdown is one GROUP BY in the database; no Python loop runs over clients or
enrollments.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Value,
    When,
)
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from snippets.models import (
    Client,
    ClientProgramEnrollment,
    Department,
    Discharge,
    ImmigrationStatus,
    Intake,
    Program,
    ProgramCapacity,
)

NOT_RECORDED = gettext_lazy("Not recorded")

# Age bands at the end of the period. Lower bounds, in years; the last band is open.
AGE_BAND_STARTS = (0, 18, 25, 35, 45, 55, 65)


# Built at import, so translated when shown: "65 and over", "65 ans et plus".
_and_over = lazy(lambda age: gettext("%(age)s and over") % {"age": age}, str)


def _age_band_labels() -> list[str]:
    labels = []
    for start, next_start in zip(AGE_BAND_STARTS, AGE_BAND_STARTS[1:], strict=False):
        labels.append(f"{start}–{next_start - 1}")
    labels.append(_and_over(AGE_BAND_STARTS[-1]))
    return labels


AGE_BAND_LABELS = _age_band_labels()


@dataclass(frozen=True)
class Answer:
    """One line of a breakdown: an answer and how many distinct clients gave it."""

    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    rows: list[Answer]
    note: str = ""


@dataclass(frozen=True)
class ProgramActivity:
    department: str
    program: str
    clients_served: int
    intakes: int
    discharges: int


@dataclass(frozen=True)
class OrgSummary:
    date_from: datetime.date
    date_to: datetime.date
    clients_served: int
    demographics: list[Breakdown]
    by_department: Breakdown
    programs: list[ProgramActivity]
    intakes: int
    discharges: int


@dataclass(frozen=True)
class ProgramVacancy:
    """One program on one day. ``capacity`` is the capacity in effect that day (None: the
    program has no capacity recorded for that day; ``has_capacity_history`` says whether it
    has one for other days); ``capacity_from``/``capacity_to`` the period it belongs to
    (None: open). ``occupied`` counts distinct people, ``enrollments`` their active
    enrollments: they differ when someone holds two at once, and ``multiple_holders``
    then says how: ``((2, 2),)`` is "2 people hold 2 enrollments each"."""

    as_of: datetime.date
    program: str
    capacity: int | None
    capacity_from: datetime.date | None
    capacity_to: datetime.date | None
    occupied: int
    enrollments: int = 0
    program_id: object = None
    has_capacity_history: bool = False
    confidential: bool = False
    # (enrollments each, people) for the people holding more than one, fewest first.
    multiple_holders: tuple[tuple[int, int], ...] = ()

    @property
    def vacant(self) -> int | None:
        """Places free; negative when over capacity; None when the program has no capacity."""
        return None if self.capacity is None else self.capacity - self.occupied

    @property
    def double_enrolled(self) -> bool:
        """Someone holds more than one active enrollment here: a data-quality flag."""
        return self.enrollments > self.occupied


@dataclass(frozen=True)
class DepartmentVacancy:
    department: str
    programs: list[ProgramVacancy]

    # Totals count like with like: capacity, occupied and vacant add up the programs that
    # have a capacity (so vacant = capacity − occupied in every total line); the places
    # occupied in programs without one (a drop-in) are their own figure, never subtracted
    # from a shelter's beds.

    @property
    def capacity(self) -> int:
        """Places in the programs that have a capacity."""
        return sum(p.capacity for p in self.programs if p.capacity is not None)

    @property
    def occupied(self) -> int:
        """Places occupied in the programs that have a capacity."""
        return sum(p.occupied for p in self.programs if p.capacity is not None)

    @property
    def enrollments(self) -> int:
        """Active enrollments in the programs that have a capacity."""
        return sum(p.enrollments for p in self.programs if p.capacity is not None)

    @property
    def vacant(self) -> int:
        return self.capacity - self.occupied

    @property
    def has_programs_without_capacity(self) -> bool:
        return any(p.capacity is None for p in self.programs)

    @property
    def enrollments_without_capacity(self) -> int:
        return sum(p.enrollments for p in self.programs if p.capacity is None)

    @property
    def occupied_without_capacity(self) -> int:
        """Places occupied in the programs without a fixed capacity."""
        return sum(p.occupied for p in self.programs if p.capacity is None)


@dataclass(frozen=True)
class VacancyTracker:
    as_of: datetime.date
    departments: list[DepartmentVacancy]

    @property
    def capacity(self) -> int:
        return sum(d.capacity for d in self.departments)

    @property
    def occupied(self) -> int:
        return sum(d.occupied for d in self.departments)

    @property
    def enrollments(self) -> int:
        return sum(d.enrollments for d in self.departments)

    @property
    def vacant(self) -> int:
        return self.capacity - self.occupied

    @property
    def has_programs_without_capacity(self) -> bool:
        return any(d.has_programs_without_capacity for d in self.departments)

    @property
    def occupied_without_capacity(self) -> int:
        return sum(d.occupied_without_capacity for d in self.departments)

    @property
    def enrollments_without_capacity(self) -> int:
        return sum(d.enrollments_without_capacity for d in self.departments)


# ---------------------------------------------------------------------------------------
# Org Summary


def _countable(model):
    """Live rows of ``model`` (enrollments, intakes, discharges) whose client, program and
    department are live too.

    Checked against small sets (the ~2,000 countable programs; the few draft clients, found
    through the client_draft partial index) rather than by joining the million-row client
    table; NOT EXISTS rather than NOT IN keeps the scan eligible for parallel workers.
    """
    countable_programs = Program.objects.live().filter(department__live=True).values("id")
    draft_client = Client.objects.filter(live=False, pk=OuterRef("client_id"))
    return (
        model.objects.live().filter(program_id__in=countable_programs).filter(~Exists(draft_client))
    )


def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


@contextmanager
def _report_query():
    """A cursor for one big read, with settings for its transaction only:

    - work_mem: hash tables big enough for a city-scale period (4 MB spills to disk);
    - no JIT, which spends seconds compiling a plan that runs once;
    - no nested loops: for hundreds of thousands of served clients the planner would
      otherwise be tempted to look them up one index probe at a time instead of hashing.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        yield cursor


def _age_band_thresholds(day: datetime.date) -> list[datetime.date]:
    """Birth dates that split people into AGE_BAND_STARTS on ``day``, oldest band first.

    Someone is N or older on ``day`` when born on or before ``day`` N years earlier (a
    29 February birthday counts from 28 February in other years, as PostgreSQL's age()
    does); so each threshold is the day after that. width_bucket(dob, thresholds) is then
    0 for the oldest band, 1 for the next, ... and len(thresholds) for the youngest: one
    comparison per client instead of an age() calculation.
    """

    def years_before(years: int) -> datetime.date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February in a year without one
            return day.replace(year=day.year - years, day=28)

    return [
        years_before(start) + datetime.timedelta(days=1)
        for start in sorted(AGE_BAND_STARTS[1:], reverse=True)
    ]


def org_summary(*, date_from: datetime.date, date_to: datetime.date) -> OrgSummary:
    """Distinct clients served from ``date_from`` to ``date_to`` (both included), their
    demographics, the breakdowns by department and program, and the period's intakes and
    discharges by program.

    Raises ValueError when ``date_from`` is after ``date_to``.
    """
    if date_from > date_to:
        raise ValueError("The start date must be on or before the end date.")

    # The served enrollments, compiled from the shared overlap definition.
    served = _countable(ClientProgramEnrollment).overlapping(date_from, date_to).order_by()
    age_band = Case(
        When(dob__gt=date_to, then=None),
        default=Func(
            F("dob"),
            Value(_age_band_thresholds(date_to), output_field=ArrayField(DateField())),
            function="width_bucket",
        ),
        output_field=IntegerField(),
    )
    # People served, grouped by their answers exactly as recorded (so the database
    # groups on plain columns): every demographic breakdown is a sum over these groups.
    people_sql, people_params = _sql(
        Client.objects.live()
        .filter(pk__in=served.values("client_id"))
        .annotate(age_band=age_band)
        .values("gender", "sexual_orientation", "immigration_status", "age_band", "languages")
        .annotate(n=Count("*"))
    )
    programs_sql, programs_params = _sql(
        served.values("program_id").annotate(n=Count("client_id", distinct=True))
    )
    # Distinct (department, client) pairs, counted per department: hashing the pairs is
    # cheaper than count(DISTINCT), which sorts each department's clients.
    department_pairs_sql, departments_params = _sql(
        served.values("client_id", department_id=F("program__department_id")).distinct()
    )
    departments_sql = (
        f"SELECT department_id, count(*) AS n FROM ({department_pairs_sql}) pairs "
        "GROUP BY department_id"
    )
    intakes_sql, intakes_params = _sql(
        _countable(Intake)
        .filter(intake_date__range=(date_from, date_to))
        .order_by()
        .values("program_id")
        .annotate(n=Count("*"))
    )
    discharges_sql, discharges_params = _sql(
        _countable(Discharge)
        .filter(discharge_date__range=(date_from, date_to))
        .order_by()
        .values("program_id")
        .annotate(n=Count("*"))
    )

    # One statement. Its five independent parts are branches of one UNION ALL, which
    # PostgreSQL runs side by side in parallel workers (Parallel Append): the people
    # served with their answers; distinct clients per program; distinct clients per
    # department; intakes and discharges per program. The demographics are then summed
    # from the people's groups (tens of thousands at city scale, not one per person).
    # Each output row is (breakdown, key, label, count).
    sql = f"""
    WITH parts AS MATERIALIZED (
        SELECT 'people' AS part, gender, sexual_orientation, immigration_status, age_band,
               languages, NULL::uuid AS key, n
        FROM ({people_sql}) people
        UNION ALL
        SELECT 'program', NULL, NULL, NULL, NULL, NULL, program_id, n FROM ({programs_sql}) p
        UNION ALL
        SELECT 'department', NULL, NULL, NULL, NULL, NULL, department_id, n
        FROM ({departments_sql}) d
        UNION ALL
        SELECT 'intakes', NULL, NULL, NULL, NULL, NULL, program_id, n FROM ({intakes_sql}) i
        UNION ALL
        SELECT 'discharges', NULL, NULL, NULL, NULL, NULL, program_id, n
        FROM ({discharges_sql}) x
    ),
    people AS (SELECT * FROM parts WHERE part = 'people')
    SELECT 'total', NULL, NULL, COALESCE(sum(n), 0)::bigint FROM people
    UNION ALL
    -- Answers written differently ("Woman", "woman ") are one answer.
    SELECT 'gender', lower(btrim(gender)), min(btrim(gender)), sum(n)::bigint
        FROM people GROUP BY lower(btrim(gender))
    UNION ALL
    SELECT 'sexual_orientation', lower(btrim(sexual_orientation)),
           min(btrim(sexual_orientation)), sum(n)::bigint
        FROM people GROUP BY lower(btrim(sexual_orientation))
    UNION ALL
    SELECT 'immigration_status', immigration_status, NULL, sum(n)::bigint
        FROM people GROUP BY immigration_status
    UNION ALL
    SELECT 'age_band', age_band::text, NULL, sum(n)::bigint FROM people GROUP BY age_band
    UNION ALL
    -- Each client counts once under each language they speak: a language written twice
    -- on one record ("English", "english ") counts once; no language is one "not recorded".
    SELECT 'language', language_key, min(language), sum(n)::bigint
        FROM (SELECT lower(btrim(language)) AS language_key, min(btrim(language)) AS language,
                     min(n) AS n
              FROM (SELECT languages, sum(n) AS n FROM people GROUP BY languages) same_languages,
                   unnest(CASE WHEN cardinality(languages) > 0 THEN languages
                               ELSE ARRAY[NULL]::varchar[] END) AS language
              GROUP BY languages, lower(btrim(language))) spoken
        GROUP BY language_key
    UNION ALL
    SELECT part, key::text, NULL, n FROM parts WHERE part <> 'people'
    """
    params = (
        *people_params,
        *programs_params,
        *departments_params,
        *intakes_params,
        *discharges_params,
    )
    with _report_query() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _org_summary_from_rows(rows, date_from=date_from, date_to=date_to)


def _answer_rows(rows, *, labels: dict | None = None) -> list[Answer]:
    """Largest first; the not-recorded row last, as its own line."""
    known, unknown = [], 0
    for key, label, n in rows:
        if key in (None, ""):
            unknown += n
            continue
        shown = labels.get(key, key) if labels is not None else (label or key)
        known.append(Answer(shown, n))
    known.sort(key=lambda c: (-c.count, c.label.lower()))
    if unknown:
        known.append(Answer(NOT_RECORDED, unknown))
    return known


def _org_summary_from_rows(rows, *, date_from, date_to) -> OrgSummary:
    grouped: dict[str, list[tuple]] = {}
    for breakdown, key, label, n in rows:
        grouped.setdefault(breakdown, []).append((key, label, n))

    total = grouped["total"][0][2]
    age_rows = [
        # width_bucket numbered the bands from the oldest (0) to the youngest.
        (AGE_BAND_LABELS[len(AGE_BAND_LABELS) - 1 - int(key)] if key is not None else None, None, n)
        for key, _, n in grouped.get("age_band", [])
    ]
    age_order = {label: i for i, label in enumerate(AGE_BAND_LABELS)}
    ages = [Answer(label, n) for label, _, n in age_rows if label is not None]
    ages.sort(key=lambda c: age_order[c.label])
    unknown_age = sum(n for label, _, n in age_rows if label is None)
    if unknown_age:
        ages.append(Answer(NOT_RECORDED, unknown_age))

    demographics = [
        Breakdown("gender", gettext("Gender"), _answer_rows(grouped.get("gender", []))),
        Breakdown(
            "sexual_orientation",
            gettext("Sexual orientation"),
            _answer_rows(grouped.get("sexual_orientation", [])),
        ),
        Breakdown(
            "immigration_status",
            gettext("Immigration status"),
            _answer_rows(
                grouped.get("immigration_status", []), labels=dict(ImmigrationStatus.choices)
            ),
        ),
        Breakdown(
            "languages",
            gettext("Languages"),
            _answer_rows(grouped.get("language", [])),
            note=gettext(
                "A client who speaks two languages is counted under each, so these rows "
                "add up to more than the number of clients."
            ),
        ),
        Breakdown(
            "age",
            gettext("Age on %(day)s") % {"day": date_format(date_to, "SHORT_DATE_FORMAT")},
            ages,
        ),
    ]

    # Names for the handful of departments and programs that appear, in one query each.
    served_by_program = {key: n for key, _, n in grouped.get("program", [])}
    intakes_by_program = {key: n for key, _, n in grouped.get("intakes", [])}
    discharges_by_program = {key: n for key, _, n in grouped.get("discharges", [])}
    program_ids = set(served_by_program) | set(intakes_by_program) | set(discharges_by_program)
    programs = [
        ProgramActivity(
            department=department_name,
            program=name,
            clients_served=served_by_program.get(str(pk), 0),
            intakes=intakes_by_program.get(str(pk), 0),
            discharges=discharges_by_program.get(str(pk), 0),
        )
        for pk, name, department_name in Program.objects.filter(pk__in=program_ids)
        .order_by("department__name", "name")
        .values_list("pk", "name", "department__name")
    ]
    served_by_department = {key: n for key, _, n in grouped.get("department", [])}
    departments = [
        Answer(name, served_by_department[str(pk)])
        for pk, name in Department.objects.filter(pk__in=list(served_by_department))
        .order_by("name")
        .values_list("pk", "name")
    ]
    return OrgSummary(
        date_from=date_from,
        date_to=date_to,
        clients_served=total,
        demographics=demographics,
        by_department=Breakdown(
            "department",
            gettext("Clients served by department"),
            departments,
            note=gettext(
                "Each department counts its own clients once. A client served by two "
                "departments counts in both, so the departments add up to more than the total."
            ),
        ),
        programs=programs,
        intakes=sum(intakes_by_program.values()),
        discharges=sum(discharges_by_program.values()),
    )


# ---------------------------------------------------------------------------------------
# Vacancy Tracker


def capacities_on(day: datetime.date, *, program_ids=None) -> dict:
    """``{program_id: (capacity, from, to)}`` for the capacity periods in effect on ``day``
    (at most one per program: the periods of a program never overlap)."""
    periods = ProgramCapacity.objects.in_effect_on(day)
    if program_ids is not None:
        periods = periods.filter(program_id__in=program_ids)
    return {
        program_id: (capacity, start, end)
        for program_id, capacity, start, end in periods.values_list(
            "program_id", "capacity", "effective_from", "effective_to"
        )
    }


def vacancy_tracker(*, as_of: datetime.date) -> VacancyTracker:
    """Per live program, grouped by department: the capacity in effect on ``as_of``, places
    occupied that day (distinct clients with an enrollment active that day), the active
    enrollments behind them, how many people hold more than one, and places vacant. Every
    live program of a live department has a row, with zeros when nothing is active."""
    active = _countable(ClientProgramEnrollment).active_on(as_of).order_by()
    active_sql, active_params = _sql(
        active.values("program_id").annotate(
            n=Count("client_id", distinct=True), enrollments=Count("*")
        )
    )
    with _report_query() as cursor:
        cursor.execute(active_sql, active_params)
        occupied = {program_id: (n, e) for program_id, n, e in cursor.fetchall()}
    # Where someone holds more than one (a data-quality problem, so a few programs), how
    # many people hold how many: a second look at those programs only, so the common case
    # costs no more than counting.
    doubled = [pk for pk, (people, enrollments) in occupied.items() if enrollments > people]
    multiple: dict = {}
    if doubled:
        held_sql, held_params = _sql(
            active.filter(program_id__in=doubled)
            .values("program_id", "client_id")
            .annotate(held=Count("*"))
            .filter(held__gt=1)
        )
        with _report_query() as cursor:
            cursor.execute(
                f"SELECT program_id, held, count(*) FROM ({held_sql}) h GROUP BY program_id, held",
                held_params,
            )
            for program_id, held, people in cursor.fetchall():
                multiple.setdefault(program_id, []).append((held, people))
    capacities = capacities_on(as_of)
    departments: dict[str, list[ProgramVacancy]] = {}
    for department, name, pk, confidential, has_history in (
        Program.objects.live()
        .filter(department__live=True)
        .annotate(has_history=Exists(ProgramCapacity.objects.filter(program_id=OuterRef("pk"))))
        .order_by("department__name", "name")
        .values_list("department__name", "name", "pk", "confidential", "has_history")
    ):
        capacity, start, end = capacities.get(pk, (None, None, None))
        people, enrollments = occupied.get(pk, (0, 0))
        departments.setdefault(department, []).append(
            ProgramVacancy(
                as_of=as_of,
                program=name,
                capacity=capacity,
                capacity_from=start,
                capacity_to=end,
                occupied=people,
                enrollments=enrollments,
                program_id=pk,
                has_capacity_history=has_history,
                confidential=confidential,
                multiple_holders=tuple(sorted(multiple.get(pk, ()))),
            )
        )
    return VacancyTracker(
        as_of=as_of,
        departments=[DepartmentVacancy(name, programs) for name, programs in departments.items()],
    )
