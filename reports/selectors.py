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

from .served import CLIENT, DEPARTMENT, PROGRAM
from .served import TABLE as SERVED_TABLE

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
    program_id: object = None
    department_id: object = None
    confidential: bool = False


@dataclass(frozen=True)
class DepartmentActivity:
    """A department's distinct clients served, and its programs' intakes and discharges."""

    department: str
    clients_served: int
    intakes: int
    discharges: int
    department_id: object = None


@dataclass(frozen=True)
class MonthActivity:
    """One calendar month of the window, cut to the window (``day_from`` to ``day_to``):
    distinct clients served in it, its intakes and discharges, and on its last day
    (``day_to``) the places occupied in the programs with a capacity in effect that day
    (distinct people per program, as the Vacancy Tracker counts them) against that
    capacity. ``capacity`` is 0 when no program had one."""

    month: datetime.date
    day_from: datetime.date
    day_to: datetime.date
    clients_served: int
    intakes: int
    discharges: int
    occupied: int
    capacity: int

    @property
    def occupancy_rate(self) -> float | None:
        if not self.capacity:
            return None
        return round(100 * self.occupied / self.capacity, 1)


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
    departments: list[DepartmentActivity] = ()
    months: list[MonthActivity] = ()


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


REPORT_QUERY_SETTINGS = {"work_mem": "256MB", "jit": "off", "enable_nestloop": "off"}


@contextmanager
def _report_query():
    """A cursor for one big read, with settings for its transaction only:

    - work_mem: hash tables big enough for a city-scale period (4 MB spills to disk);
    - no JIT, which spends seconds compiling a plan that runs once;
    - no nested loops: for hundreds of thousands of served clients the planner would
      otherwise be tempted to look them up one index probe at a time instead of hashing.

    Inside a caller's transaction (a test, a benchmark, a request made atomic) SET LOCAL
    would last to the end of that transaction and plan every later query without nested
    loops (a home page's 15 restrictions joined by hashing 1,000,000 clients): the values
    before are put back when the read is done. An error needs nothing: rolling back the
    savepoint undoes the settings.
    """
    names = list(REPORT_QUERY_SETTINGS)
    set_all = "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names), names)
        before = cursor.fetchone()
        cursor.execute(set_all, [v for item in REPORT_QUERY_SETTINGS.items() for v in item])
        yield cursor
        cursor.execute(set_all, [v for item in zip(names, before, strict=True) for v in item])


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


def window_months(date_from: datetime.date, date_to: datetime.date) -> list[tuple]:
    """The calendar months the window touches, each cut to the window: (first day of the
    month, first day counted, last day counted)."""
    months = []
    month = date_from.replace(day=1)
    while month <= date_to:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        months.append(
            (month, max(month, date_from), min(following - datetime.timedelta(days=1), date_to))
        )
        month = following
    return months


def _month_index_sql(column: str, date_from: datetime.date) -> str:
    """The month of ``column`` as its number in the window (0 for date_from's month)."""
    base = date_from.year * 12 + date_from.month
    return f"(extract(year FROM {column})::int * 12 + extract(month FROM {column})::int - {base})"


# Months and departments are carried as bits of bigint masks, 60 to a mask (a window of
# ten years has 121 months).
MASK_BITS = 60


def _bits_sql(lo: str, hi: str, chunk: int) -> str:
    """The mask (chunk ``chunk``) with the bits from ``lo`` to ``hi`` set (SQL)."""
    start = chunk * MASK_BITS
    a = f"greatest({lo} - {start}, 0)"
    b = f"least({hi} - {start}, {MASK_BITS - 1})"
    return (
        f"(CASE WHEN {a} > {b} THEN 0::bigint "
        f"ELSE (1::bigint << ({b} + 1)) - (1::bigint << {a}) END)"
    )


def org_summary(*, date_from: datetime.date, date_to: datetime.date) -> OrgSummary:
    """Distinct clients served from ``date_from`` to ``date_to`` (both included), their
    demographics, the breakdowns by department and program (every live program, zeros
    included), the period's intakes and discharges by program, and the same headline
    figures month by month, with the occupancy on each month's last day.

    Raises ValueError when ``date_from`` is after ``date_to``.

    Read from the served intervals (``reports.ServedInterval``, kept by triggers in
    reports/served.py): the same numbers as counting the enrollments
    (``org_summary_from_enrollments``, which the tests and the benchmark compare it
    with), without deduplicating them. One statement, a UNION ALL whose branches each read
    one range of the ``served_interval_span`` index (intervals ending on or after
    ``date_from``, starting by ``date_to``):

    - the clients counted (their interval whose previous one ended before the window),
      joined to their answers and grouped by them: every demographic is summed from those
      groups, as before;
    - per client interval, the months of the window it counts in (from the month it starts,
      or the month after the previous interval ended, to the month it ends), grouped by
      (first, last) month: each month's distinct clients without a pass per month;
    - per department, its counted (client, department) intervals;
    - per (program, first, last) month-end held: the program's counted clients, and a
      difference array over the month-ends from which the places occupied on each one
      are read (a (client, program) interval holds a place on d iff start <= d < end);
    - intakes and discharges per program and month, as before.
    """
    if date_from > date_to:
        raise ValueError("The start date must be on or before the end date.")
    months = window_months(date_from, date_to)
    month_ends = [day_to for _, _, day_to in months]
    n_months = len(months)

    # Dates written into the statement (dates, not text from the request).
    f = f"DATE '{date_from:%Y-%m-%d}'"
    t = f"DATE '{date_to:%Y-%m-%d}'"
    table = SERVED_TABLE
    # An interval overlapping the window; the one a client (program, department) is
    # counted by: the previous one ended before the window.
    in_window = f"end_date >= {f} AND start_date <= {t}"
    counted = f"(previous_end IS NULL OR previous_end < {f})"
    s_in_window = f"s.end_date >= {f} AND s.start_date <= {t}"
    s_counted = f"(s.previous_end IS NULL OR s.previous_end < {f})"

    base = date_from.year * 12 + date_from.month

    def month(column: str) -> str:
        # date_part (a float) rather than extract (a numeric since PostgreSQL 14): the
        # months are worked out for every interval read, and numeric is several times
        # slower.
        return (
            f"(date_part('year', {column})::int * 12 + date_part('month', {column})::int - {base})"
        )

    # The clients counted, each one row of the served intervals, joined to their answers
    # (a join, not IN: the planner cannot know the rows are already one per client).
    thresholds = ", ".join(f"DATE '{day:%Y-%m-%d}'" for day in _age_band_thresholds(date_to))
    client = Client._meta.db_table
    people_sql = f"""
        SELECT c.gender, c.sexual_orientation, c.immigration_status,
               CASE WHEN c.dob > {t} THEN NULL
                    ELSE width_bucket(c.dob, ARRAY[{thresholds}]::date[]) END AS age_band,
               c.languages, count(*) AS n
        FROM {table} s JOIN {client} c ON c.id = s.client_id AND c.live
        WHERE s.scope = {CLIENT} AND {s_in_window} AND {s_counted}
        GROUP BY 1, 2, 3, 4, 5"""
    people_params = ()
    intakes_sql, intakes_params = _sql(
        _countable(Intake)
        .filter(intake_date__range=(date_from, date_to))
        .order_by()
        .values("program_id", "intake_date")
    )
    discharges_sql, discharges_params = _sql(
        _countable(Discharge)
        .filter(discharge_date__range=(date_from, date_to))
        .order_by()
        .values("program_id", "discharge_date")
    )
    ends = "ARRAY[" + ", ".join(f"DATE '{day:%Y-%m-%d}'" for day in month_ends) + "]::date[]"
    # A client interval counts in month i (cut to the window) when it overlaps it and the
    # client's previous interval ended before the month (before the window, for the first).
    first_month = (
        f"greatest({month(f'greatest(start_date, {f})')}, CASE WHEN {counted} THEN 0 "
        f"ELSE {month('previous_end')} + 1 END)"
    )
    last_month = month(f"least(end_date, {t})")
    # A (client, program) interval holds a place on month-end i (the month's last day, the
    # window's last day for the last month) when start <= that day < end.
    first_held = f"greatest({month('start_date')}, 0)"
    last_held = (
        f"CASE WHEN end_date > {t} THEN {n_months - 1} "
        f"ELSE least({month('end_date')} - 1, {n_months - 2}) END"
    )
    sql = f"""
    WITH people AS MATERIALIZED ({people_sql}),
    client_months AS (
        SELECT lo, hi, count(*) AS n
        FROM (SELECT {first_month} AS lo, {last_month} AS hi FROM {table}
              WHERE scope = {CLIENT} AND {in_window}) s
        WHERE lo <= hi GROUP BY lo, hi
    ),
    -- One pass over the (client, program) intervals, three small groupings: per program
    -- and first month-end held, per program and last one (the two ends of a difference
    -- array: far fewer groups than every (first, last) pair), and per program its clients
    -- counted.
    program_spans AS MATERIALIZED (
        SELECT unit_id, lo, hi, GROUPING(lo, hi) AS g,
               count(*) FILTER (WHERE lo <= hi) AS n, count(*) FILTER (WHERE counted) AS counted
        FROM (SELECT unit_id, {first_held} AS lo, {last_held} AS hi, {counted} AS counted
              FROM {table} WHERE scope = {PROGRAM} AND {in_window}) s
        GROUP BY GROUPING SETS ((unit_id, lo), (unit_id, hi), (unit_id))
    ),
    capacity AS (
        SELECT i, c.program_id AS unit_id, c.capacity
        FROM generate_series(0, {n_months - 1}) i
        JOIN {ProgramCapacity._meta.db_table} c
          ON (c.effective_from IS NULL OR c.effective_from <= ({ends})[i + 1])
         AND (c.effective_to IS NULL OR c.effective_to >= ({ends})[i + 1])
        JOIN {Program._meta.db_table} p ON p.id = c.program_id AND p.live
        JOIN {Department._meta.db_table} d ON d.id = p.department_id AND d.live
    ),
    -- Places held per (program, month-end): a difference array (+n from the first
    -- month-end held, -n after the last), with a zero on every (program, month-end) that
    -- has a capacity so that the running sum has a row there.
    held AS (
        SELECT unit_id, i, sum(sum(d)) OVER (PARTITION BY unit_id ORDER BY i) AS n
        FROM (SELECT unit_id, lo AS i, n AS d FROM program_spans WHERE g = 1
              UNION ALL
              SELECT unit_id, hi + 1, -n FROM program_spans WHERE g = 2
              UNION ALL
              SELECT unit_id, i, 0 FROM capacity) x
        GROUP BY unit_id, i
    )
    SELECT 'total', NULL, NULL, NULL::int, COALESCE(sum(n), 0)::bigint FROM people
    UNION ALL
    -- Answers written differently ("Woman", "woman ") are one answer.
    SELECT 'gender', lower(btrim(gender)), min(btrim(gender)), NULL, sum(n)::bigint
        FROM people GROUP BY lower(btrim(gender))
    UNION ALL
    SELECT 'sexual_orientation', lower(btrim(sexual_orientation)),
           min(btrim(sexual_orientation)), NULL, sum(n)::bigint
        FROM people GROUP BY lower(btrim(sexual_orientation))
    UNION ALL
    SELECT 'immigration_status', immigration_status, NULL, NULL, sum(n)::bigint
        FROM people GROUP BY immigration_status
    UNION ALL
    SELECT 'age_band', age_band::text, NULL, NULL, sum(n)::bigint FROM people GROUP BY age_band
    UNION ALL
    -- Each client counts once under each language they speak: a language written twice
    -- on one record ("English", "english ") counts once; no language is one "not recorded".
    SELECT 'language', language_key, min(language), NULL, sum(n)::bigint
        FROM (SELECT lower(btrim(language)) AS language_key, min(btrim(language)) AS language,
                     min(n) AS n
              FROM (SELECT languages, sum(n) AS n FROM people GROUP BY languages) same_languages,
                   unnest(CASE WHEN cardinality(languages) > 0 THEN languages
                               ELSE ARRAY[NULL]::varchar[] END) AS language
              GROUP BY languages, lower(btrim(language))) spoken
        GROUP BY language_key
    UNION ALL
    SELECT 'month', NULL, NULL, i, sum(n)::bigint
        FROM client_months, generate_series(lo, hi) i GROUP BY i
    UNION ALL
    SELECT 'department', unit_id::text, NULL, NULL, count(*)
        FROM {table} WHERE scope = {DEPARTMENT} AND {in_window} AND {counted}
        GROUP BY unit_id
    UNION ALL
    SELECT 'program', unit_id::text, NULL, NULL, counted
        FROM program_spans WHERE g = 3 AND counted > 0
    UNION ALL
    SELECT 'occupied', NULL, NULL, capacity.i, sum(held.n)::bigint
        FROM capacity JOIN held ON held.unit_id = capacity.unit_id AND held.i = capacity.i
        GROUP BY capacity.i
    UNION ALL
    SELECT 'capacity', NULL, NULL, i, sum(capacity)::bigint FROM capacity GROUP BY i
    UNION ALL
    SELECT 'intakes', program_id::text, NULL, {month("intake_date")}, count(*)
        FROM ({intakes_sql}) i GROUP BY program_id, {month("intake_date")}
    UNION ALL
    SELECT 'discharges', program_id::text, NULL, {month("discharge_date")}, count(*)
        FROM ({discharges_sql}) x GROUP BY program_id, {month("discharge_date")}
    """
    with _report_query() as cursor:
        cursor.execute(sql, (*people_params, *intakes_params, *discharges_params))
        rows = cursor.fetchall()
    return _org_summary_from_rows(rows, date_from=date_from, date_to=date_to, months=months)


def org_summary_from_enrollments(*, date_from: datetime.date, date_to: datetime.date) -> OrgSummary:
    """The Org Summary counted from the enrollments themselves, as it was before the served
    intervals: kept to check ``org_summary`` against (the tests and ``bench_reports``
    compare the two, number by number). Not used by any page.

    Distinct clients served from ``date_from`` to ``date_to`` (both included), their
    demographics, the breakdowns by department and program (every live program, zeros
    included), the period's intakes and discharges by program, and the same headline
    figures month by month, with the occupancy on each month's last day.

    Raises ValueError when ``date_from`` is after ``date_to``.

    One statement, whose parts are branches of one UNION ALL that PostgreSQL runs side by
    side in its parallel workers (Parallel Append), each reading the served enrollments
    once through the span index:

    - the people served with their answers (clients semi-joined to their enrollments,
      grouped by the answers as recorded), from which every demographic is summed;
    - one row per served client, with a mask of the window's months they were served in
      and of the departments that served them (``bit_or`` over their enrollments), then
      counted per distinct pair of masks: a few thousand groups give the distinct clients
      of every month and of every department, without a pass per month;
    - one row per (program, client), with a mask of the month-ends the person held a
      place on, counted per program and per (program, mask): the distinct clients per
      program and the places occupied on each month's last day;
    - intakes and discharges per program and month.
    """
    if date_from > date_to:
        raise ValueError("The start date must be on or before the end date.")
    months = window_months(date_from, date_to)
    month_ends = [day_to for _, _, day_to in months]
    chunks = range((len(months) + MASK_BITS - 1) // MASK_BITS)
    department_ids = list(Department.objects.live().order_by("pk").values_list("pk", flat=True))
    by_pairs = len(department_ids) > MASK_BITS  # too many for one mask: count pairs

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
    people_sql, people_params = _sql(
        Client.objects.live()
        .filter(pk__in=served.values("client_id"))
        .annotate(age_band=age_band)
        .values("gender", "sexual_orientation", "immigration_status", "age_band", "languages")
        .annotate(n=Count("*"))
    )
    spans_sql, spans_params = _sql(
        served.values(
            "client_id",
            "program_id",
            "start_date",
            "end_date",
            department_id=F("program__department_id"),
        )
    )
    intakes_sql, intakes_params = _sql(
        _countable(Intake)
        .filter(intake_date__range=(date_from, date_to))
        .order_by()
        .values("program_id", "intake_date")
    )
    discharges_sql, discharges_params = _sql(
        _countable(Discharge)
        .filter(discharge_date__range=(date_from, date_to))
        .order_by()
        .values("program_id", "discharge_date")
    )
    # Dates written into the statement (they are dates, not text from the request): each
    # appears several times in the month expressions.
    first = _month_index_sql(f"greatest(start_date, DATE '{date_from:%Y-%m-%d}')", date_from)
    last = _month_index_sql(
        f"least(COALESCE(end_date, '9999-12-31'), DATE '{date_to:%Y-%m-%d}')", date_from
    )
    ends = "ARRAY[" + ", ".join(f"DATE '{day:%Y-%m-%d}'" for day in month_ends) + "]::date[]"
    # Held a place on month-end i: i from `first` to `last`, the last one only if the
    # enrollment had not ended by that day (active_on: end > day).
    last_held = (
        f"({last} - CASE WHEN COALESCE(end_date, '9999-12-31') > ({ends})[{last} + 1] "
        "THEN 0 ELSE 1 END)"
    )
    served_masks = [f"{_bits_sql(first, last, c)} AS m{c}" for c in chunks]
    held_masks = [f"{_bits_sql(first, last_held, c)} AS m{c}" for c in chunks]
    m_or = ", ".join(f"bit_or(m{c}) AS m{c}" for c in chunks)
    m_cols = ", ".join(f"m{c}" for c in chunks)
    null_masks = ", ".join("NULL::bigint" for _ in chunks)
    dept_ids = "ARRAY[" + ", ".join(f"'{pk}'" for pk in department_ids) + "]::uuid[]"
    extra = ", NULL, NULL, NULL, NULL::int, NULL::varchar[]"
    if by_pairs:
        dept_bit, dept_part = (
            "0::bigint",
            (
                f"SELECT 'department', {null_masks}, NULL::bigint, department_id::text, "
                f"NULL::int, count(*){extra} FROM (SELECT DISTINCT department_id, client_id "
                f"FROM ({spans_sql}) s) pairs GROUP BY department_id"
            ),
        )
    else:
        dept_bit = f"(1::bigint << (array_position({dept_ids}, department_id) - 1))"
        dept_part = None
    intake_month = _month_index_sql("intake_date", date_from)
    discharge_month = _month_index_sql("discharge_date", date_from)
    n_months = len(months)

    parts = [
        f"""SELECT 'clients', {m_cols}, dm, NULL::text, NULL::int, count(*){extra}
        FROM (SELECT client_id, {m_or}, bit_or(dm) AS dm
              FROM (SELECT client_id, {", ".join(served_masks)}, {dept_bit} AS dm
                    FROM ({spans_sql}) s) e
              GROUP BY client_id) c
        GROUP BY {m_cols}, dm""",
        f"""SELECT 'held', {m_cols}, NULL::bigint, program_id::text, NULL::int, count(*){extra}
        FROM (SELECT program_id, client_id, {m_or}
              FROM (SELECT program_id, client_id, {", ".join(held_masks)}
                    FROM ({spans_sql}) s) e
              GROUP BY program_id, client_id) p
        GROUP BY program_id, {m_cols}""",
        f"""SELECT 'intakes', {null_masks}, NULL::bigint, program_id::text, {intake_month},
               count(*){extra}
        FROM ({intakes_sql}) i GROUP BY program_id, {intake_month}""",
        f"""SELECT 'discharges', {null_masks}, NULL::bigint, program_id::text,
               {discharge_month}, count(*){extra}
        FROM ({discharges_sql}) x GROUP BY program_id, {discharge_month}""",
    ]
    params = [*spans_params, *spans_params, *intakes_params, *discharges_params]
    if by_pairs:
        parts.append(dept_part)
        params += spans_params
    union = "\n        UNION ALL\n        ".join(parts)
    # Expanding a row's masks into the months they hold: bit j of mask c is month 60c + j.
    # Only the bits from the lowest set one to the highest are tried (a stay touches a
    # few months, not the whole window).
    values = ", ".join(f"({c}, m{c})" for c in chunks)
    bits = f"""LATERAL (
        SELECT v.c * {MASK_BITS} + j AS i
        FROM (VALUES {values}) v(c, m),
             generate_series(64 - length(rtrim(v.m::bit(64)::text, '0')),
                             64 - position('1' IN v.m::bit(64)::text)) j
        WHERE v.m <> 0 AND ((v.m >> j) & 1) = 1) x"""
    sql = f"""
    WITH parts AS MATERIALIZED (
        SELECT 'people' AS part, {", ".join(f"NULL::bigint AS m{c}" for c in chunks)},
               NULL::bigint AS dm, NULL::text AS key, NULL::int AS month, n,
               gender, sexual_orientation, immigration_status, age_band, languages
        FROM ({people_sql}) people
        UNION ALL
        {union}
    ),
    people AS (SELECT * FROM parts WHERE part = 'people'),
    capacity AS (
        SELECT i, c.program_id::text AS key, c.capacity
        FROM generate_series(0, {n_months - 1}) i
        JOIN {ProgramCapacity._meta.db_table} c
          ON (c.effective_from IS NULL OR c.effective_from <= ({ends})[i + 1])
         AND (c.effective_to IS NULL OR c.effective_to >= ({ends})[i + 1])
        JOIN {Program._meta.db_table} p ON p.id = c.program_id AND p.live
        JOIN {Department._meta.db_table} d ON d.id = p.department_id AND d.live
    )
    SELECT 'total', NULL, NULL, NULL::int, COALESCE(sum(n), 0)::bigint FROM people
    UNION ALL
    -- Answers written differently ("Woman", "woman ") are one answer.
    SELECT 'gender', lower(btrim(gender)), min(btrim(gender)), NULL, sum(n)::bigint
        FROM people GROUP BY lower(btrim(gender))
    UNION ALL
    SELECT 'sexual_orientation', lower(btrim(sexual_orientation)),
           min(btrim(sexual_orientation)), NULL, sum(n)::bigint
        FROM people GROUP BY lower(btrim(sexual_orientation))
    UNION ALL
    SELECT 'immigration_status', immigration_status, NULL, NULL, sum(n)::bigint
        FROM people GROUP BY immigration_status
    UNION ALL
    SELECT 'age_band', age_band::text, NULL, NULL, sum(n)::bigint FROM people GROUP BY age_band
    UNION ALL
    -- Each client counts once under each language they speak: a language written twice
    -- on one record ("English", "english ") counts once; no language is one "not recorded".
    SELECT 'language', language_key, min(language), NULL, sum(n)::bigint
        FROM (SELECT lower(btrim(language)) AS language_key, min(btrim(language)) AS language,
                     min(n) AS n
              FROM (SELECT languages, sum(n) AS n FROM people GROUP BY languages) same_languages,
                   unnest(CASE WHEN cardinality(languages) > 0 THEN languages
                               ELSE ARRAY[NULL]::varchar[] END) AS language
              GROUP BY languages, lower(btrim(language))) spoken
        GROUP BY language_key
    UNION ALL
    SELECT 'month', NULL, NULL, i, sum(n)::bigint
        FROM (SELECT {m_cols}, sum(n) AS n FROM parts WHERE part = 'clients'
              GROUP BY {m_cols}) p, {bits}
        GROUP BY i
    UNION ALL
    SELECT 'department', ({dept_ids})[k + 1]::text, NULL, NULL, sum(n)::bigint
        FROM (SELECT dm, sum(n) AS n FROM parts WHERE part = 'clients' GROUP BY dm) p,
             generate_series(0, {max(len(department_ids) - 1, 0)}) k
        WHERE {"false" if by_pairs else "(dm & (1::bigint << k)) <> 0"}
        GROUP BY k
    UNION ALL
    SELECT 'occupied', NULL, NULL, o.i, sum(o.n)::bigint
        FROM (SELECT x.i, p.key, sum(p.n) AS n
              FROM (SELECT * FROM parts WHERE part = 'held') p CROSS JOIN {bits}
              GROUP BY x.i, p.key) o
        JOIN capacity ON capacity.i = o.i AND capacity.key = o.key
        GROUP BY o.i
    UNION ALL
    SELECT 'capacity', NULL, NULL, i, sum(capacity)::bigint FROM capacity GROUP BY i
    UNION ALL
    -- Distinct clients per program: every (program, client) once, whatever its mask.
    SELECT 'program', key, NULL, NULL, sum(n)::bigint FROM parts WHERE part = 'held'
        GROUP BY key
    UNION ALL
    SELECT part, key, NULL, month, n FROM parts
    WHERE part IN ('intakes', 'discharges', 'department')
    """
    with _report_query() as cursor:
        cursor.execute(sql, (*people_params, *params))
        rows = cursor.fetchall()
    return _org_summary_from_rows(rows, date_from=date_from, date_to=date_to, months=months)


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


def _org_summary_from_rows(rows, *, date_from, date_to, months) -> OrgSummary:
    grouped: dict[str, list[tuple]] = {}
    for breakdown, key, label, month, n in rows:
        grouped.setdefault(breakdown, []).append((key, label, month, n))

    total = grouped["total"][0][3]
    age_rows = [
        # width_bucket numbered the bands from the oldest (0) to the youngest.
        (AGE_BAND_LABELS[len(AGE_BAND_LABELS) - 1 - int(key)] if key is not None else None, None, n)
        for key, _, _, n in grouped.get("age_band", [])
    ]
    age_order = {label: i for i, label in enumerate(AGE_BAND_LABELS)}
    ages = [Answer(label, n) for label, _, n in age_rows if label is not None]
    ages.sort(key=lambda c: age_order[c.label])
    unknown_age = sum(n for label, _, n in age_rows if label is None)
    if unknown_age:
        ages.append(Answer(NOT_RECORDED, unknown_age))

    def answers(name):
        return [(key, label, n) for key, label, _, n in grouped.get(name, [])]

    demographics = [
        Breakdown("gender", gettext("Gender"), _answer_rows(answers("gender"))),
        Breakdown(
            "sexual_orientation",
            gettext("Sexual orientation"),
            _answer_rows(answers("sexual_orientation")),
        ),
        Breakdown(
            "immigration_status",
            gettext("Immigration status"),
            _answer_rows(answers("immigration_status"), labels=dict(ImmigrationStatus.choices)),
        ),
        Breakdown(
            "languages",
            gettext("Languages"),
            _answer_rows(answers("language")),
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

    served_by_program = {key: n for key, _, _, n in grouped.get("program", [])}
    served_by_department = {key: n for key, _, _, n in grouped.get("department", [])}
    intakes_by_program: dict = {}
    discharges_by_program: dict = {}
    intakes_by_month = [0] * len(months)
    discharges_by_month = [0] * len(months)
    for name, by_program, by_month in (
        ("intakes", intakes_by_program, intakes_by_month),
        ("discharges", discharges_by_program, discharges_by_month),
    ):
        for key, _, month, n in grouped.get(name, []):
            by_program[key] = by_program.get(key, 0) + n
            by_month[month] += n
    served_by_month = [0] * len(months)
    for _, _, month, n in grouped.get("month", []):
        served_by_month[month] = n
    occupied_by_month = [0] * len(months)
    for _, _, month, n in grouped.get("occupied", []):
        occupied_by_month[month] = n
    capacity_by_month = [0] * len(months)
    for _, _, month, n in grouped.get("capacity", []):
        capacity_by_month[month] = n

    # Every live program of a live department has a row, zeros included.
    programs = []
    departments: dict = {}
    for pk, name, confidential, department_pk, department_name in (
        Program.objects.live()
        .filter(department__live=True)
        .order_by("department__name", "name")
        .values_list("pk", "name", "confidential", "department_id", "department__name")
    ):
        key = str(pk)
        program = ProgramActivity(
            department=department_name,
            program=name,
            clients_served=served_by_program.get(key, 0),
            intakes=intakes_by_program.get(key, 0),
            discharges=discharges_by_program.get(key, 0),
            program_id=pk,
            department_id=department_pk,
            confidential=confidential,
        )
        programs.append(program)
        departments.setdefault((department_name, department_pk), []).append(program)
    department_rows = [
        DepartmentActivity(
            department=name,
            clients_served=served_by_department.get(str(pk), 0),
            intakes=sum(p.intakes for p in in_department),
            discharges=sum(p.discharges for p in in_department),
            department_id=pk,
        )
        for (name, pk), in_department in departments.items()
    ]
    return OrgSummary(
        date_from=date_from,
        date_to=date_to,
        clients_served=total,
        demographics=demographics,
        by_department=Breakdown(
            "department",
            gettext("Clients served by department"),
            [Answer(d.department, d.clients_served) for d in department_rows],
            note=gettext(
                "Each department counts its own clients once. A client served by two "
                "departments counts in both, so the departments add up to more than the total."
            ),
        ),
        programs=programs,
        intakes=sum(intakes_by_month),
        discharges=sum(discharges_by_month),
        departments=department_rows,
        months=[
            MonthActivity(
                month=month,
                day_from=day_from,
                day_to=day_to,
                clients_served=served_by_month[i],
                intakes=intakes_by_month[i],
                discharges=discharges_by_month[i],
                occupied=occupied_by_month[i],
                capacity=capacity_by_month[i],
            )
            for i, (month, day_from, day_to) in enumerate(months)
        ],
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


def vacancy_tracker_sql(*, as_of: datetime.date, program_ids=None) -> tuple[str, tuple]:
    """The tracker's one statement: per live program of a live department, its capacity in
    effect on ``as_of`` (the capacity history's range lookup) and, from one pass over the
    places occupied that day, how many people hold how many active enrollments there.

    Rows ``(department, program, id, confidential, has_history, capacity, from, to, held,
    people)`` ordered by department and program: one row per program and number of
    enrollments held (``held`` None when nobody is enrolled), so a program where everyone
    holds one is one row, and the double-enrollment flag costs no second look.
    ``program_ids`` limits it to those programs (a person's own, on their home page).
    """
    # Compiled from the shared definitions: live(), active_on(), in_effect_on().
    programs = Program.objects.live().filter(department__live=True)
    enrollments = ClientProgramEnrollment.objects.live().active_on(as_of)
    if program_ids is not None:
        programs = programs.filter(pk__in=list(program_ids))
        enrollments = enrollments.filter(program_id__in=list(program_ids))
    programs_sql, programs_params = _sql(
        programs.order_by().values(
            "id",
            "confidential",
            department_name=F("department__name"),
            program_name=F("name"),
            has_history=Exists(ProgramCapacity.objects.filter(program_id=OuterRef("pk"))),
        )
    )
    capacity_sql, capacity_params = _sql(
        ProgramCapacity.objects.in_effect_on(as_of)
        .order_by()
        .values("program_id", "capacity", "effective_from", "effective_to")
    )
    # The places occupied that day, each read once from report_enrollment_span: the few
    # draft clients a hashed filter on that scan (NOT IN over the client_draft index)
    # rather than a join per row; draft programs and departments drop out at the join
    # with the live programs below. The pairs give people and enrollments in one pass.
    held_sql, held_params = _sql(
        enrollments.exclude(client_id__in=Client.objects.filter(live=False).values("id"))
        .order_by()
        .values("program_id", "client_id")
        .annotate(held=Count("*"))
    )
    sql = f"""
    SELECT pr.department_name, pr.program_name, pr.id, pr.confidential, pr.has_history,
           c.capacity, c.effective_from, c.effective_to, o.held, o.people
    FROM ({programs_sql}) pr
    LEFT JOIN ({capacity_sql}) c ON c.program_id = pr.id
    LEFT JOIN (SELECT program_id, held, count(*) AS people FROM ({held_sql}) h
               GROUP BY program_id, held) o ON o.program_id = pr.id
    ORDER BY pr.department_name, pr.program_name, pr.id, o.held
    """
    return sql, (*programs_params, *capacity_params, *held_params)


def vacancy_tracker(*, as_of: datetime.date, program_ids=None) -> VacancyTracker:
    """Per live program, grouped by department: the capacity in effect on ``as_of``, places
    occupied that day (distinct clients with an enrollment active that day), the active
    enrollments behind them, how many people hold more than one, and places vacant. Every
    live program of a live department has a row, with zeros when nothing is active. One
    statement (``vacancy_tracker_sql``)."""
    sql, params = vacancy_tracker_sql(as_of=as_of, program_ids=program_ids)
    with _report_query() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    departments: dict[str, list[ProgramVacancy]] = {}
    program = None
    for department, name, pk, confidential, has_history, capacity, start, end, held, people in rows:
        if program is None or program[2] != pk:
            if program is not None:
                departments.setdefault(program[0], []).append(_program_vacancy(as_of, *program))
            program = [department, name, pk, confidential, has_history, capacity, start, end, []]
        if held is not None:
            program[8].append((held, people))
    if program is not None:
        departments.setdefault(program[0], []).append(_program_vacancy(as_of, *program))
    return VacancyTracker(
        as_of=as_of,
        departments=[DepartmentVacancy(name, programs) for name, programs in departments.items()],
    )


def _program_vacancy(
    as_of, department, name, pk, confidential, has_history, capacity, start, end, holders
) -> ProgramVacancy:
    """A program's line from its (held, people) pairs: people = Σ people, enrollments =
    Σ held × people; those holding more than one are the data-quality flag."""
    return ProgramVacancy(
        as_of=as_of,
        program=name,
        capacity=capacity,
        capacity_from=start,
        capacity_to=end,
        occupied=sum(people for _, people in holders),
        enrollments=sum(held * people for held, people in holders),
        program_id=pk,
        has_capacity_history=has_history,
        confidential=confidential,
        multiple_holders=tuple((held, people) for held, people in holders if held > 1),
    )
