"""What a report shows: the selectors' numbers laid out as tables, with small counts hidden
when asked. The page template and the CSV export both read these tables, so a number
(or its "<5") is decided once and is the same on screen and in the file."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import Answer, OrgSummary, VacancyTracker

# Counts of 1 to 4 people can identify someone once a report leaves the agency. Zero is
# shown: it identifies no one, and funders need to see empty programs.
SMALL_COUNT = 5
SUPPRESSED = "<5"


def shown(count: int, *, suppress: bool) -> int | str:
    """The count as it is displayed: the number, or "<5" when hiding small counts."""
    if suppress and 0 < count < SMALL_COUNT:
        return SUPPRESSED
    return count


@dataclass(frozen=True)
class Bar:
    """A chart bar. ``percent`` is None when the count is hidden: its length would show it."""

    label: str
    value: int | str
    percent: float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    label_columns: list[str]
    value_columns: list[str]
    rows: list[tuple[list[str], list[int | str]]]
    note: str = ""
    bars: list[Bar] = field(default_factory=list)


def _bars(items: list[tuple[str, int]], *, suppress: bool) -> list[Bar]:
    largest = max((n for _, n in items), default=0)
    bars = []
    for label, n in items:
        value = shown(n, suppress=suppress)
        hidden = value == SUPPRESSED or largest == 0
        bars.append(Bar(label, value, None if hidden else round(100 * n / largest, 1)))
    return bars


def _answers_table(key, title, answers: list[Answer], *, column, note="", suppress) -> Table:
    return Table(
        key=key,
        title=title,
        label_columns=[column],
        value_columns=[_("Clients")],
        rows=[([a.label], [shown(a.count, suppress=suppress)]) for a in answers],
        note=note,
        bars=_bars([(a.label, a.count) for a in answers], suppress=suppress),
    )


def org_summary_tables(summary: OrgSummary, *, suppress: bool) -> list[Table]:
    tables = [
        Table(
            key="summary",
            title=_("Summary"),
            label_columns=[_("Measure")],
            value_columns=[_("Count")],
            rows=[
                (
                    [_("Distinct clients served")],
                    [shown(summary.clients_served, suppress=suppress)],
                ),
                ([_("Intakes")], [shown(summary.intakes, suppress=suppress)]),
                ([_("Discharges")], [shown(summary.discharges, suppress=suppress)]),
            ],
            note=_(
                "Each client is counted once, however many enrollments or programs they "
                "had in the period. Intakes and discharges are counts of intake and discharge "
                "records dated in the period."
            ),
        )
    ]
    for breakdown in summary.demographics:
        tables.append(
            _answers_table(
                breakdown.key,
                breakdown.title,
                breakdown.rows,
                column=_("Answer"),
                note=breakdown.note,
                suppress=suppress,
            )
        )
    tables.append(
        _answers_table(
            "department",
            summary.by_department.title,
            summary.by_department.rows,
            column=_("Department"),
            note=summary.by_department.note,
            suppress=suppress,
        )
    )
    tables.append(
        Table(
            key="program",
            title=_("Programs"),
            label_columns=[_("Department"), _("Program")],
            value_columns=[_("Clients served"), _("Intakes"), _("Discharges")],
            rows=[
                (
                    [p.department, p.program],
                    [
                        shown(p.clients_served, suppress=suppress),
                        shown(p.intakes, suppress=suppress),
                        shown(p.discharges, suppress=suppress),
                    ],
                )
                for p in summary.programs
            ],
            note=_(
                "Each program counts its own clients once. A client in two programs counts "
                "once in each, so the programs add up to more than the total. Programs with no "
                "clients, intakes or discharges in the period are left out."
            ),
            bars=_bars(
                [(p.program, p.clients_served) for p in summary.programs], suppress=suppress
            ),
        )
    )
    return tables


def org_summary_csv_rows(tables: list[Table]):
    """The Org Summary as one long table: one line per number shown on the page."""
    yield [_("Section"), _("Department"), _("Item"), _("Measure"), _("Value")]
    for table in tables:
        for labels, values in table.rows:
            department = labels[0] if len(labels) == 2 else ""
            for measure, value in zip(table.value_columns, values, strict=True):
                yield [table.title, department, labels[-1], measure, value]


@dataclass(frozen=True)
class VacancyRow:
    """One line of the tracker. A number that does not exist (the capacity of a program
    without one, and so its vacancy) is None: "—" on screen, an empty cell in the CSV."""

    department: str
    program: str
    capacity: int | None
    # The capacity period in effect on the day (None: open-ended on that side).
    capacity_from: datetime.date | None
    capacity_to: datetime.date | None
    occupied: int | str
    vacant: int | str | None
    over_capacity: bool
    # Share of capacity occupied, capped at 100 for drawing; None: no bar to draw.
    percent: float | None
    is_total: bool = False


@dataclass(frozen=True)
class VacancyGroup:
    department: str
    programs: list[VacancyRow]
    total: VacancyRow
    # The places occupied in the department's programs without a capacity, when it has any.
    without_capacity: VacancyRow | None = None


def _vacant_shown(capacity: int | None, occupied: int, *, suppress: bool) -> int | str | None:
    if capacity is None:
        return None
    if shown(occupied, suppress=suppress) == SUPPRESSED:
        # capacity − occupied would give the hidden count away; say only what is safe.
        return f">{capacity - SMALL_COUNT}"
    return capacity - occupied


def _vacancy_row(
    *, department, program, capacity, capacity_from, capacity_to, occupied, suppress, is_total=False
):
    occupied_shown = shown(occupied, suppress=suppress)
    # A highlighted hidden count would still say "more than the capacity": not shown.
    over = capacity is not None and occupied > capacity and occupied_shown != SUPPRESSED
    if capacity is None or capacity == 0 or occupied_shown == SUPPRESSED:
        percent = 100.0 if (capacity == 0 and occupied and occupied_shown != SUPPRESSED) else None
    else:
        percent = min(100.0, round(100 * occupied / capacity, 1))
    return VacancyRow(
        department=department,
        program=program,
        capacity=capacity,
        capacity_from=capacity_from,
        capacity_to=capacity_to,
        occupied=occupied_shown,
        vacant=_vacant_shown(capacity, occupied, suppress=suppress),
        over_capacity=over,
        percent=percent,
        is_total=is_total,
    )


def vacancy_groups(tracker: VacancyTracker, *, suppress: bool) -> tuple[list, VacancyRow]:
    """Rows per department with a department total, and the agency total."""
    groups = []
    for department in tracker.departments:
        rows = [
            _vacancy_row(
                department=department.department,
                program=p.program,
                capacity=p.capacity,
                capacity_from=p.capacity_from,
                capacity_to=p.capacity_to,
                occupied=p.occupied,
                suppress=suppress,
            )
            for p in department.programs
        ]
        total = _vacancy_total(
            department,
            label=_("%(department)s total") % {"department": department.department},
            suppress=suppress,
        )
        groups.append(
            VacancyGroup(
                department.department,
                rows,
                total,
                _without_capacity_total(
                    department,
                    label=_("%(department)s, programs without a fixed capacity")
                    % {"department": department.department},
                    suppress=suppress,
                ),
            )
        )
    return groups, _vacancy_total(tracker, label=_("Agency total"), suppress=suppress)


def agency_without_capacity(tracker: VacancyTracker, *, suppress: bool) -> VacancyRow | None:
    """The agency's places occupied in programs without a capacity, when there are any."""
    return _without_capacity_total(
        tracker, label=_("Agency, programs without a fixed capacity"), suppress=suppress
    )


def _vacancy_total(totals, *, label: str, suppress: bool) -> VacancyRow:
    """Capacity, occupied and vacant of the programs that have a capacity."""
    occupied_shown = shown(totals.occupied, suppress=suppress)
    over = totals.vacant < 0
    vacant = totals.vacant
    if occupied_shown == SUPPRESSED:
        over = False
        vacant = f">{totals.capacity - SMALL_COUNT}"
    return VacancyRow(
        department=getattr(totals, "department", ""),
        program=label,
        capacity=totals.capacity,
        capacity_from=None,
        capacity_to=None,
        occupied=occupied_shown,
        vacant=vacant,
        over_capacity=over,
        percent=None,
        is_total=True,
    )


def _without_capacity_total(totals, *, label: str, suppress: bool) -> VacancyRow | None:
    if not totals.has_programs_without_capacity:
        return None
    return VacancyRow(
        department=getattr(totals, "department", ""),
        program=label,
        capacity=None,
        capacity_from=None,
        capacity_to=None,
        occupied=shown(totals.occupied_without_capacity, suppress=suppress),
        vacant=None,
        over_capacity=False,
        percent=None,
        is_total=True,
    )


# Lazy: translated into the reader's language when the file is written.
VACANCY_CSV_HEADER = [
    gettext_lazy("Department"),
    gettext_lazy("Program"),
    gettext_lazy("Capacity"),
    gettext_lazy("Capacity in effect from"),
    gettext_lazy("Capacity in effect to"),
    gettext_lazy("Occupied"),
    gettext_lazy("Vacant"),
]


def vacancy_csv_rows(groups: list[VacancyGroup], total: VacancyRow, without: VacancyRow | None):
    """The Vacancy Tracker as on screen: programs, then each department's total lines."""

    def line(row: VacancyRow):
        return [
            row.department,
            row.program,
            row.capacity,
            row.capacity_from.isoformat() if row.capacity_from else "",
            row.capacity_to.isoformat() if row.capacity_to else "",
            row.occupied,
            row.vacant,
        ]

    yield VACANCY_CSV_HEADER
    for group in groups:
        for row in group.programs:
            yield line(row)
        yield line(group.total)
        if group.without_capacity:
            yield line(group.without_capacity)
    yield line(total)
    if without:
        yield line(without)
