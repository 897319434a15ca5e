"""What the Vacancy Tracker shows: the selector's numbers laid out as rows, with rates, bars,
the data-quality flag for double enrollments, the links to the people behind a count, and
small counts hidden so that they stay hidden. The page and its CSV both read this table, so
a number (or its hidden mark) is decided once and is the same on screen and in the file.

Hiding ("hide counts below N", ``REGISTRY_SUPPRESSION_THRESHOLD``) uses
``reports.suppression``: the occupied places of each program, each department's total
lines and the agency's are cells; a total is the sum of its programs (and the agency's of
the departments'). Counts from 1 to N − 1 are hidden, then as many other cells as it takes
so that no subtraction of the published totals gives a hidden one back. Everything that
would give a hidden count away goes with it: the vacancy (capacity is published), the
rate, the bar and the over-capacity flag. Active enrollments are not published at all
when hiding: a second count of the same people would narrow the hidden ones, and a double
enrollment is a matter for the agency's data, not for sharing outside it.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from access.selectors import scope_since, staff_scope

from .selectors import VacancyTracker
from .suppression import Relation, each_relation_alone

# The mark of a hidden cell: the same for a small count and for its complements, so a
# reader cannot tell which were small (the statistical agencies' "x").
HIDDEN = "x"

ENROLLMENT_LIST_URL_NAME = "wagtailsnippets_snippets_clientprogramenrollment:list"


def suppression_threshold() -> int:
    """Counts below this are hidden when asked (``REGISTRY_SUPPRESSION_THRESHOLD``)."""
    return settings.REGISTRY_SUPPRESSION_THRESHOLD


@dataclass(frozen=True)
class VacancyBar:
    """A bar scaled to the larger of capacity and occupied, so a program over capacity
    draws beyond its capacity mark instead of stopping at full. Widths in percent of the
    bar: ``filled`` the places occupied, ``capacity_at`` where the capacity falls."""

    filled: float
    capacity_at: float

    @property
    def over(self) -> bool:
        return self.filled > self.capacity_at

    @property
    def within(self) -> float:
        """The part of the filled bar up to the capacity mark."""
        return min(self.filled, self.capacity_at)

    @property
    def beyond(self) -> float:
        """The part past the capacity mark (over capacity)."""
        return max(0.0, self.filled - self.capacity_at)


@dataclass(frozen=True)
class VacancyRow:
    """One line of the tracker. A number that does not exist (the capacity of a program
    without one, and so its vacancy and rate) is None: "—" on screen, an empty cell in the
    CSV. A hidden number is ``HIDDEN`` in both."""

    department: str
    program: str
    capacity: int | None
    # The capacity period in effect on the day (None: open-ended on that side).
    capacity_from: datetime.date | None
    capacity_to: datetime.date | None
    occupied: int | str
    # Active enrollments behind the occupied places; ``HIDDEN`` whenever hiding.
    enrollments: int | str
    vacant: int | str | None
    # Occupied ÷ capacity in percent, one decimal; None without a capacity (or with 0).
    rate: float | str | None
    over_capacity: bool
    bar: VacancyBar | None = None
    # Why there is no capacity: "" (there is one), or a sentence for the reader.
    capacity_note: str = ""
    # "2 people hold 2 enrollments each": where occupied and enrollments differ.
    double_enrollment_note: str = ""
    # The admin list of the enrollments behind the count, for those who may open it.
    link: str | None = None
    is_total: bool = False
    # "program", "total" (capacity lines) or "without" (lines without a fixed capacity),
    # and the department's name (or "agency") for the total lines.
    kind: str = "program"
    key: str = ""
    # The rate as the page shows it: "620%", "33.3%", "—", or the hidden mark.
    rate_text: str = "—"

    @property
    def capacity_period(self) -> str:
        """The capacity's period as the page shows it: "(from 2026-04-01)"; "" if open."""
        if self.capacity is None or not (self.capacity_from or self.capacity_to):
            return ""
        parts = []
        if self.capacity_from:
            parts.append(_("from %(day)s") % {"day": self.capacity_from.isoformat()})
        if self.capacity_to:
            parts.append(_("to %(day)s") % {"day": self.capacity_to.isoformat()})
        return f"({' '.join(parts)})"

    @property
    def double_enrolled(self) -> bool:
        return bool(self.double_enrollment_note)


@dataclass(frozen=True)
class VacancyGroup:
    department: str
    programs: list[VacancyRow]
    total: VacancyRow
    # The places occupied in the department's programs without a capacity, when it has any.
    without_capacity: VacancyRow | None = None

    @property
    def lines(self) -> list[VacancyRow]:
        return [*self.programs, self.total, *filter(None, [self.without_capacity])]


@dataclass(frozen=True)
class VacancyTable:
    as_of: datetime.date
    groups: list[VacancyGroup]
    total: VacancyRow
    without_capacity: VacancyRow | None
    suppress: bool
    threshold: int
    hidden: int  # how many occupied counts are hidden (small ones and their complements)

    @property
    def sections(self) -> list[tuple[str, list[VacancyRow]]]:
        """(department, lines) per department, then ("", the agency's lines)."""
        return [*((g.department, g.lines) for g in self.groups), ("", self.footer)]

    @property
    def footer(self) -> list[VacancyRow]:
        return [self.total, *filter(None, [self.without_capacity])]

    @property
    def rows(self):
        """Every line in the page's order: programs, each department's total lines, then
        the agency's."""
        for group in self.groups:
            yield from group.lines
        yield from self.footer


# ---------------------------------------------------------------------------------------
# Hiding


def _cells_and_relations(tracker: VacancyTracker):
    """The tracker's occupied counts as cells, and the sums the page publishes."""
    values: dict = {}
    relations: list[Relation] = []
    department_totals, department_without = [], []
    programs_with, programs_without = [], []
    for index, department in enumerate(tracker.departments):
        with_capacity, without = [], []
        for p in department.programs:
            cell = ("program", p.program_id)
            values[cell] = p.occupied
            (with_capacity if p.capacity is not None else without).append(cell)
        total = ("department", index, "capacity")
        values[total] = department.occupied
        department_totals.append(total)
        if with_capacity:
            relations.append(Relation(total, tuple(with_capacity)))
        if without:
            without_total = ("department", index, "without")
            values[without_total] = department.occupied_without_capacity
            relations.append(Relation(without_total, tuple(without)))
            department_without.append(without_total)
        programs_with += with_capacity
        programs_without += without
    agency = ("agency", "capacity")
    values[agency] = tracker.occupied
    relations.append(Relation(agency, tuple(department_totals)))
    # The agency is also the sum of every program: implied by the lines above, stated so
    # that hidden programs in different departments adding up to a small count are seen.
    if programs_with:
        relations.append(Relation(agency, tuple(programs_with)))
    if department_without:
        agency_without = ("agency", "without")
        values[agency_without] = tracker.occupied_without_capacity
        relations.append(Relation(agency_without, tuple(department_without)))
        relations.append(Relation(agency_without, tuple(programs_without)))
    return values, relations


def hidden_cells(tracker: VacancyTracker, *, threshold: int) -> set:
    """The occupied counts to hide: primary (1 to ``threshold`` − 1) and complementary.

    The table is a hierarchy (programs → department → agency), so it is protected the way
    statistical agencies protect hierarchical tables: each relation on its own, through
    ``suppressed_cells``, with the cells it shares with the others (a department's total
    is a part of the agency's line) hidden wherever they are hidden, until no relation
    hides anything more. Each relation then has no hidden cell or at least two, none adds
    up to too little, and since the relations form a tree (the agency-wide line over all
    programs is their sum) no combination of them pins a hidden cell; the tests check the
    result against ``suppression.determined`` over all the relations at once. One relation
    at a time keeps it fast: the whole system at once costs seconds for a city's 2,000
    programs.
    """
    values, relations = _cells_and_relations(tracker)
    return each_relation_alone(values, relations, threshold=threshold)


# ---------------------------------------------------------------------------------------
# Rows


def _rate_text(rate, separator: str) -> str:
    if rate is None:
        return "—"
    if rate == HIDDEN:
        return HIDDEN
    text = f"{rate:.0f}" if float(rate).is_integer() else f"{rate:.1f}".replace(".", separator)
    return f"{text}%"


def _rate(capacity: int | None, occupied: int) -> float | None:
    if not capacity:
        return None
    return round(100 * occupied / capacity, 1)


def _bar(capacity: int | None, occupied: int) -> VacancyBar | None:
    if capacity is None:
        return None
    scale = max(capacity, occupied)
    if scale == 0:
        return None
    return VacancyBar(
        filled=round(100 * occupied / scale, 1), capacity_at=round(100 * capacity / scale, 1)
    )


def _double_enrollment_note(multiple_holders) -> str:
    parts = [
        ngettext(
            "%(people)d person holds %(held)d enrollments",
            "%(people)d people hold %(held)d enrollments each",
            people,
        )
        % {"people": people, "held": held}
        for held, people in multiple_holders
    ]
    if not parts:
        return ""
    return _("%(who)s in this program.") % {"who": "; ".join(parts)}


def _row(
    *,
    department: str,
    program: str,
    capacity: int | None,
    occupied: int,
    enrollments: int,
    hidden: bool,
    suppress: bool,
    capacity_from=None,
    capacity_to=None,
    capacity_note="",
    double_enrollment_note="",
    link=None,
    is_total=False,
    kind="program",
    key="",
    separator=".",
) -> VacancyRow:
    if hidden:
        # Capacity is published, so the vacancy, the rate, the bar and the over-capacity
        # flag would each give the hidden count back.
        return VacancyRow(
            department=department,
            program=program,
            capacity=capacity,
            capacity_from=capacity_from,
            capacity_to=capacity_to,
            occupied=HIDDEN,
            enrollments=HIDDEN,
            vacant=None if capacity is None else HIDDEN,
            rate=None if not capacity else HIDDEN,
            rate_text=_rate_text(None if not capacity else HIDDEN, separator),
            over_capacity=False,
            capacity_note=capacity_note,
            is_total=is_total,
            kind=kind,
            key=key,
        )
    return VacancyRow(
        department=department,
        program=program,
        capacity=capacity,
        capacity_from=capacity_from,
        capacity_to=capacity_to,
        occupied=occupied,
        enrollments=HIDDEN if suppress else enrollments,
        vacant=None if capacity is None else capacity - occupied,
        rate=(rate := _rate(capacity, occupied)),
        rate_text=_rate_text(rate, separator),
        over_capacity=capacity is not None and occupied > capacity,
        bar=_bar(capacity, occupied),
        capacity_note=capacity_note,
        double_enrollment_note="" if suppress else double_enrollment_note,
        link=link if occupied else None,
        is_total=is_total,
        kind=kind,
        key=key,
    )


NO_FIXED_CAPACITY = gettext_lazy("No fixed capacity")
NONE_IN_EFFECT = gettext_lazy("No capacity in effect on this day")


def vacancy_table(
    tracker: VacancyTracker, *, suppress: bool, links: dict | None = None
) -> VacancyTable:
    """The tracker as the page and the CSV show it. ``links`` maps a program's id to the
    list of the enrollments behind its occupied count (``enrollment_list_links``); a hidden
    count never links."""
    threshold = suppression_threshold()
    hidden = hidden_cells(tracker, threshold=threshold) if suppress else set()
    links = links or {}
    notes = {True: str(NONE_IN_EFFECT), False: str(NO_FIXED_CAPACITY)}
    # Read once: number_format() on each of 2,000 rows costs more than the whole table.
    row = partial(_row, separator=get_format("DECIMAL_SEPARATOR"))
    groups = []
    for index, department in enumerate(tracker.departments):
        rows = []
        for p in department.programs:
            note = "" if p.capacity is not None else notes[p.has_capacity_history]
            rows.append(
                row(
                    department=department.department,
                    program=p.program,
                    capacity=p.capacity,
                    capacity_from=p.capacity_from,
                    capacity_to=p.capacity_to,
                    capacity_note=note,
                    occupied=p.occupied,
                    enrollments=p.enrollments,
                    double_enrollment_note=_double_enrollment_note(p.multiple_holders),
                    hidden=("program", p.program_id) in hidden,
                    suppress=suppress,
                    link=links.get(p.program_id),
                )
            )
        total = row(
            department=department.department,
            program=_("%(department)s total") % {"department": department.department},
            capacity=department.capacity,
            occupied=department.occupied,
            enrollments=department.enrollments,
            hidden=("department", index, "capacity") in hidden,
            suppress=suppress,
            is_total=True,
            kind="total",
            key=department.department,
        )
        without = None
        if department.has_programs_without_capacity:
            without = row(
                department=department.department,
                program=_("%(department)s, programs without a fixed capacity")
                % {"department": department.department},
                capacity=None,
                occupied=department.occupied_without_capacity,
                enrollments=department.enrollments_without_capacity,
                hidden=("department", index, "without") in hidden,
                suppress=suppress,
                is_total=True,
                kind="without",
                key=department.department,
            )
        groups.append(VacancyGroup(department.department, rows, total, without))
    total = row(
        department="",
        program=_("Agency total"),
        capacity=tracker.capacity,
        occupied=tracker.occupied,
        enrollments=tracker.enrollments,
        hidden=("agency", "capacity") in hidden,
        suppress=suppress,
        is_total=True,
        kind="total",
        key="agency",
    )
    without = None
    if tracker.has_programs_without_capacity:
        without = row(
            department="",
            program=_("Agency, programs without a fixed capacity"),
            capacity=None,
            occupied=tracker.occupied_without_capacity,
            enrollments=tracker.enrollments_without_capacity,
            hidden=("agency", "without") in hidden,
            suppress=suppress,
            is_total=True,
            kind="without",
            key="agency",
        )
    return VacancyTable(
        as_of=tracker.as_of,
        groups=groups,
        total=total,
        without_capacity=without,
        suppress=suppress,
        threshold=threshold,
        hidden=len(hidden),
    )


# ---------------------------------------------------------------------------------------
# Drill-down


def enrollment_list_links(user, tracker: VacancyTracker) -> dict:
    """``{program_id: url}``: the admin Enrollments list filtered to the program and to
    the enrollments active on the tracker's day, for the programs whose every enrollment
    behind the count ``user`` may list under the need-to-know rule (access/selectors.py):

    - none without the permission to view enrollments;
    - Administrators: every program; Coordinators and Analysts (agency-wide): every
      program but the confidential ones they are not assigned to;
    - everyone else: the programs they are assigned to (directly or through their
      department), and only for a day inside their scope window: an enrollment active on
      an earlier day may have ended before it, and its client left their scope.
    """
    if not user.has_perm("snippets.view_clientprogramenrollment"):
        return {}
    scope = staff_scope(user)
    programs = [p for d in tracker.departments for p in d.programs]
    if scope.agency_wide:
        allowed = {
            p.program_id
            for p in programs
            if scope.administrator or not p.confidential or p.program_id in scope.program_ids
        }
    elif tracker.as_of >= scope_since():
        allowed = {p.program_id for p in programs if p.program_id in scope.program_ids}
    else:
        allowed = set()
    if not allowed:
        return {}
    # The query is the same but for the program's id (a UUID: nothing to escape), so it is
    # encoded once rather than once per program.
    query = urlencode(
        {"program": "PROGRAM", "active_on": tracker.as_of.isoformat(), "live": "true"}
    )
    before, after = f"{reverse(ENROLLMENT_LIST_URL_NAME)}?{query}".split("PROGRAM")
    return {pk: f"{before}{pk}{after}" for pk in allowed}


# ---------------------------------------------------------------------------------------
# CSV


def vacancy_csv_header() -> list[str]:
    return [
        _("Department"),
        _("Program"),
        _("Capacity"),
        _("Capacity in effect from"),
        _("Capacity in effect to"),
        _("Occupied"),
        _("Active enrollments"),
        _("Vacant"),
        _("Occupancy rate (%)"),
    ]


def vacancy_csv_rows(table: VacancyTable):
    """The Vacancy Tracker as on screen: programs, then each department's total lines,
    then the agency's. Missing numbers are empty cells; hidden ones carry ``HIDDEN``."""
    yield vacancy_csv_header()
    for row in table.rows:
        yield [
            row.department,
            row.program,
            row.capacity,
            row.capacity_from.isoformat() if row.capacity_from else "",
            row.capacity_to.isoformat() if row.capacity_to else "",
            row.occupied,
            row.enrollments,
            row.vacant,
            row.rate,
        ]


# ---------------------------------------------------------------------------------------
# The page's table, rendered in Python


# Programs up to which every department opens with the page; above it (a city's 2,000)
# each department is one line, its totals in view, its programs a click away.
OPEN_DEPARTMENTS_UP_TO = 100

# Styling set once on each table instead of on every cell (Tailwind variants, built into
# theme/static/css/dist/styles.css): 2,000 rows × 7 cells of repeated classes were most of
# the page's weight.
TABLE_CLASSES = (
    "w-full table-fixed text-sm tabular-nums "
    "[&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_td]:px-2 [&_td]:py-1 [&_td]:text-right "
    "[&_thead_th+th]:text-right [&_thead_th:last-child]:text-left "
    "[&_td:last-child]:text-left "
    "[&_tbody_tr]:border-b [&_tbody_tr]:border-slate-100 [&_tbody_th]:font-normal "
    "[&_small]:text-xs [&_small]:font-normal [&_small]:text-slate-600 "
    "[&_a]:text-sky-800 [&_a]:underline [&_a]:underline-offset-2 "
    "[&_[data-over-capacity]]:bg-red-100 [&_[data-over-capacity]]:font-semibold "
    "[&_[data-over-capacity]]:text-red-800 "
    "[&_[data-bar]]:inline-flex [&_[data-bar]]:h-3 [&_[data-bar]]:w-1/2 "
    "[&_[data-bar]]:bg-slate-200 [&_[data-bar]]:align-middle "
    "[&_i]:bg-sky-600 [&_i+i]:bg-red-600 [&_i+i]:border-l-2 [&_i+i]:border-slate-900 "
    "[&_strong]:ml-1 [&_strong]:whitespace-nowrap [&_strong]:rounded [&_strong]:bg-red-100 "
    "[&_strong]:px-1 [&_strong]:text-xs [&_strong]:text-red-800"
)
COLUMN_WIDTHS = ("w-3/12", "w-2/12", "w-1/12", "w-2/12", "w-1/12", "w-1/12", "w-2/12")
TOTAL_CLASSES = {
    "total": "border-b-2 border-slate-300 font-semibold",
    "without": "border-b-2 border-slate-300 font-semibold text-slate-600",
}
DOUBLE_ENROLLED = (
    '<span class="block rounded bg-amber-100 px-1 text-left text-xs font-normal '
    'text-amber-900" data-double-enrolled>{} {}</span>'
)


def _number_formatter():
    """Grouped integers for the reader's language ("1,500", "1 500"), the way |intcomma
    writes them, with the separator read once rather than per cell."""
    separator = get_format("THOUSAND_SEPARATOR")

    def number(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, str):
            return escape(value)
        return f"{value:,}".replace(",", separator)

    return number


def _bar_html(bar: VacancyBar | None) -> str:
    """A bar of whole-percent width classes (one per percent, built into the theme CSS): blue
    up to the capacity mark, red beyond it. The exact figures are in its data attributes
    and, as text, in the row's cells."""
    if bar is None:
        return ""
    parts = f'<i class="w-[{round(bar.within)}%]"></i>'
    if bar.over:
        parts += f'<i class="w-[{100 - round(bar.within)}%]"></i>'
    return (
        f'<span aria-hidden="true" data-bar data-filled="{bar.filled}" '
        f'data-capacity-at="{bar.capacity_at}">{parts}</span>'
    )


class _RowRenderer:
    """One ``<tr>`` per line of the table, with the labels translated once a page."""

    def __init__(self):
        self.number = _number_formatter()
        self.data_quality = _("Data quality:")
        self.over_capacity = _("over capacity")

    def __call__(self, row: VacancyRow) -> str:
        number = self.number
        name = escape(row.program)
        if row.kind == "program":
            opening = f'<tr data-program="{name}">'
        else:
            attribute = "data-total" if row.kind == "total" else "data-total-without-capacity"
            opening = f'<tr class="{TOTAL_CLASSES[row.kind]}" {attribute}="{escape(row.key)}">'
        if row.capacity is None:
            capacity = "—" + (
                f" <small>{escape(row.capacity_note)}</small>" if row.capacity_note else ""
            )
        else:
            period = row.capacity_period
            capacity = number(row.capacity) + (
                f" <small>{escape(period)}</small>" if period else ""
            )
        occupied = number(row.occupied)
        if row.link:
            occupied = f'<a href="{escape(row.link)}" data-testid="drill-down">{occupied}</a>'
        enrollments = number(row.enrollments)
        if row.double_enrollment_note:
            enrollments += " " + DOUBLE_ENROLLED.format(
                self.data_quality, escape(row.double_enrollment_note)
            )
        vacant_attributes = " data-over-capacity" if row.over_capacity else ""
        bar = _bar_html(row.bar)
        if row.over_capacity:
            bar += f"<strong data-over-capacity-label>{self.over_capacity}</strong>"
        return (
            f'{opening}<th scope="row">{name}</th><td data-capacity>{capacity}</td>'
            f"<td data-occupied>{occupied}</td><td data-enrollments>{enrollments}</td>"
            f"<td{vacant_attributes} data-vacant>{number(row.vacant)}</td>"
            f"<td data-rate>{escape(row.rate_text)}</td><td>{bar}</td></tr>"
        )


def _table_head(caption: str) -> str:
    labels = (
        _("Program"),
        _("Capacity"),
        _("Occupied"),
        _("Active enrollments"),
        _("Vacant"),
        _("Occupancy rate"),
        _("Occupied against capacity"),
    )
    columns = "".join(f'<col class="{width}">' for width in COLUMN_WIDTHS)
    cells = "".join(f'<th scope="col">{escape(label)}</th>' for label in labels)
    return (
        f'<table class="{TABLE_CLASSES}" data-table="vacancy">'
        f'<caption class="sr-only">{escape(caption)}</caption><colgroup>{columns}</colgroup>'
        f'<thead><tr class="border-b border-slate-300">{cells}</tr></thead>'
    )


def _department_summary(group: VacancyGroup, number) -> str:
    """The line a closed department shows: its totals and what needs a look."""
    total = group.total
    parts = [
        ngettext("%(count)s program", "%(count)s programs", len(group.programs))
        % {"count": number(len(group.programs))}
    ]
    if total.capacity:
        parts.append(
            _("%(occupied)s of %(capacity)s places occupied (%(rate)s), %(vacant)s vacant")
            % {
                "occupied": number(total.occupied),
                "capacity": number(total.capacity),
                "rate": total.rate_text,
                "vacant": number(total.vacant),
            }
        )
    over = sum(1 for row in group.programs if row.over_capacity)
    if over:
        parts.append(
            ngettext("%(count)s program over capacity", "%(count)s programs over capacity", over)
            % {"count": number(over)}
        )
    flagged = sum(1 for row in group.programs if row.double_enrollment_note)
    if flagged:
        parts.append(
            ngettext("%(count)s data-quality flag", "%(count)s data-quality flags", flagged)
            % {"count": number(flagged)}
        )
    return escape(" · ".join(parts))


def vacancy_html(table: VacancyTable) -> SafeString:
    """The tracker as the page shows it: per department a ``<details>`` whose line gives the
    department's totals and whose table lists its programs and total lines, then the
    agency's lines. Every number is text; the bars are hidden from screen readers. One
    string built in Python (no template per row or cell): a city has 2,000 programs."""
    render = _RowRenderer()
    day = date_format(table.as_of, "DATE_FORMAT")
    opened = " open" if sum(len(g.programs) for g in table.groups) <= OPEN_DEPARTMENTS_UP_TO else ""
    parts = []
    for group in table.groups:
        department = escape(group.department)
        caption = _("%(department)s: vacancies as of %(day)s") % {
            "department": group.department,
            "day": day,
        }
        parts.append(
            f'<details class="mb-3 rounded-lg bg-white shadow-sm" '
            f'data-department="{department}"{opened}>'
            '<summary class="cursor-pointer rounded-lg bg-slate-100 px-2 py-2">'
            f'<span class="font-semibold">{department}</span> '
            f'<span class="text-sm text-slate-600">{_department_summary(group, render.number)}'
            "</span></summary>"
            f"{_table_head(caption)}<tbody>{''.join(map(render, group.lines))}</tbody></table>"
            "</details>"
        )
    caption = _("The agency: vacancies as of %(day)s") % {"day": day}
    parts.append(
        '<div class="rounded-lg bg-white shadow-sm" data-agency>'
        f"{_table_head(caption)}<tbody>{''.join(map(render, table.footer))}</tbody></table>"
        "</div>"
    )
    return mark_safe("".join(parts))
