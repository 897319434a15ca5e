"""What the Org Summary shows: the selector's numbers laid out as tables, with shares, the
monthly trend, links to the people behind a count, and small counts hidden so that they
stay hidden. The page template and the CSV export both read these tables, so a number
(or its hidden mark) is decided once and is the same on screen and in the file.

Hiding ("hide counts below N", ``REGISTRY_SUPPRESSION_THRESHOLD``) uses
``reports.suppression``. Every count on the page is a cell; the sums the page publishes
are relations between them:

- the distinct clients served = the rows of each of gender, sexual orientation,
  immigration status and age ("Not recorded" included);
- the agency's intakes (discharges) = its departments' = its programs' = the months'; a
  department's = its programs';
- where a distinct count is the count of one part only (a department with one program
  that served anyone; an agency with one such department; a period inside one month),
  the two are equal.

Distinct clients of a department are not the sum of its programs (a person in two
programs counts once in the department), and languages add up to more than the total (a
person counts under each language), so no sum is published there and none is assumed.
Counts from 1 to N − 1 are hidden, then as many other cells as it takes so that no sum
or difference of the relations gives a hidden one back, and no group of hidden cells in
a sum is so small that each must be 1. A hidden count hides its share and its bar; when
a table's total is hidden, every share and bar of that table is hidden too (a share and
its count give the total back). The month-end occupancy rate is hidden with the places
occupied behind it (the capacity is published by the Vacancy Tracker).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .selectors import Answer, OrgSummary
from .suppression import Relation, suppressed_one_relation_at_a_time
from .vacancy import HIDDEN, suppression_threshold

# The breakdowns whose rows add up to the distinct clients served (languages do not: a
# person counts under each language they speak).
SUMS_TO_TOTAL = ("gender", "sexual_orientation", "immigration_status", "age")
MEASURES = ("clients_served", "intakes", "discharges")


@dataclass(frozen=True)
class Percent:
    """A share or a rate: ``value`` in percent with one decimal (the CSV's number), shown
    for the reader's language ("12.5%", "12,5 %"); ``HIDDEN`` with its count."""

    value: float | str | None
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def csv(self):
        return self.value


@dataclass(frozen=True)
class Linked:
    """A count that opens the admin list of the records behind it."""

    value: int
    url: str

    def __str__(self) -> str:
        return str(self.value)

    @property
    def csv(self):
        return self.value


def percent(part: int, whole: int, *, hidden: bool = False, separator: str = ".") -> Percent:
    if hidden:
        return Percent(HIDDEN, HIDDEN)
    if not whole:
        return Percent(None, "—")
    return percent_value(round(100 * part / whole, 1), separator=separator)


def percent_value(value: float | None, *, separator: str = ".") -> Percent:
    if value is None:
        return Percent(None, "—")
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    # Translators: a percentage; French puts a non-breaking space before the sign.
    text = pgettext("percent", "%(number)s%%") % {"number": number.replace(".", separator)}
    return Percent(value, text)


@dataclass(frozen=True)
class Bar:
    """A chart bar, its length the share of the total. ``percent`` is None when hidden."""

    label: str
    value: int | str
    percent: float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    label_columns: list[str]
    value_columns: list[str]
    rows: list[tuple[list[str], list]]
    note: str = ""
    bars: list[Bar] = field(default_factory=list)
    # The CSV's name for each value column, when it differs ("Share (%)").
    csv_columns: list[str] | None = None


@dataclass(frozen=True)
class ChartLine:
    """One series of the monthly line chart: its points in the chart's coordinates (None
    where the count is hidden: the line breaks there)."""

    key: str
    label: str
    points: list[tuple[float, float] | None]

    @property
    def segments(self) -> list[str]:
        """SVG ``points`` attributes, one per unbroken run."""
        runs, current = [], []
        for point in self.points:
            if point is None:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(point)
        if current:
            runs.append(current)
        return [" ".join(f"{x:g},{y:g}" for x, y in run) for run in runs]

    @property
    def dots(self) -> list[tuple[float, float]]:
        return [p for p in self.points if p is not None]


@dataclass(frozen=True)
class Chart:
    """A line chart of the monthly counts, drawn as SVG on the server (no JavaScript):
    the table beside it holds the same figures for screen readers."""

    width: int
    height: int
    lines: list[ChartLine]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


@dataclass(frozen=True)
class OrgSummaryView:
    tables: list[Table]
    chart: Chart | None
    suppress: bool
    threshold: int
    hidden: int


# ---------------------------------------------------------------------------------------
# Hiding


def _cells_and_relations(summary: OrgSummary):
    """Every count the page publishes as a cell, and the sums between them."""
    values: dict = {("total",): summary.clients_served}
    values[("intakes",)] = summary.intakes
    values[("discharges",)] = summary.discharges
    relations: list[Relation] = []
    for breakdown in summary.demographics:
        cells = []
        for index, row in enumerate(breakdown.rows):
            values[(breakdown.key, index)] = row.count
            cells.append((breakdown.key, index))
        if breakdown.key in SUMS_TO_TOTAL and cells:
            relations.append(Relation(("total",), tuple(cells)))
    by_department: dict = {}
    for p in summary.programs:
        for measure in MEASURES:
            values[("program", p.program_id, measure)] = getattr(p, measure)
        by_department.setdefault(p.department_id, []).append(p)
    for d in summary.departments:
        for measure in MEASURES:
            values[("department", d.department_id, measure)] = getattr(d, measure)
        programs = by_department.get(d.department_id, [])
        for measure in ("intakes", "discharges"):
            if programs:
                relations.append(
                    Relation(
                        ("department", d.department_id, measure),
                        tuple(("program", p.program_id, measure) for p in programs),
                    )
                )
        serving = [p for p in programs if p.clients_served]
        if len(serving) == 1:
            relations.append(
                Relation(
                    ("department", d.department_id, "clients_served"),
                    (("program", serving[0].program_id, "clients_served"),),
                )
            )
    for i, m in enumerate(summary.months):
        for measure in (*MEASURES, "occupied"):
            values[("month", i, measure)] = getattr(m, measure)
    for measure in ("intakes", "discharges"):
        for parts in (
            [("department", d.department_id, measure) for d in summary.departments],
            [("program", p.program_id, measure) for p in summary.programs],
            [("month", i, measure) for i in range(len(summary.months))],
        ):
            if parts:
                relations.append(Relation((measure,), tuple(parts)))
    # Distinct counts equal to a single part's.
    for parts in (
        [("department", d.department_id, "clients_served") for d in summary.departments],
        [("month", i, "clients_served") for i in range(len(summary.months))],
    ):
        serving = [cell for cell in parts if values[cell]]
        if len(serving) == 1:
            relations.append(Relation(("total",), (serving[0],)))
    return values, relations


def hidden_cells(summary: OrgSummary, *, threshold: int) -> set:
    values, relations = _cells_and_relations(summary)
    return suppressed_one_relation_at_a_time(values, relations, threshold=threshold)


# ---------------------------------------------------------------------------------------
# Tables


def _bars(items, *, total: int, total_hidden: bool) -> list[Bar]:
    """Bars as shares of the total: a hidden count, or a hidden total, draws none."""
    bars = []
    for label, value, n in items:
        hidden = value == HIDDEN or total_hidden or not total
        bars.append(Bar(label, value, None if hidden else round(100 * n / total, 1)))
    return bars


def org_summary_view(
    summary: OrgSummary, *, suppress: bool, links: dict | None = None
) -> OrgSummaryView:
    """The Org Summary as the page and the CSV show it. ``links`` maps a program's id to
    ``{measure: url}`` (``reports.drilldown.org_summary_links``); a hidden count never
    links."""
    threshold = suppression_threshold()
    hidden = hidden_cells(summary, threshold=threshold) if suppress else set()
    links = links or {}
    separator = get_format("DECIMAL_SEPARATOR")

    def show(cell, n):
        return HIDDEN if cell in hidden else n

    total_hidden = ("total",) in hidden
    total = summary.clients_served
    tables = [
        Table(
            key="summary",
            title=_("Summary"),
            label_columns=[_("Measure")],
            value_columns=[_("Count")],
            rows=[
                ([_("Distinct clients served")], [show(("total",), total)]),
                ([_("Intakes")], [show(("intakes",), summary.intakes)]),
                ([_("Discharges")], [show(("discharges",), summary.discharges)]),
            ],
            note=_(
                "Each client is counted once, however many enrollments or programs they "
                "had in the period. Intakes and discharges are counts of intake and discharge "
                "records dated in the period."
            ),
        )
    ]

    def answers_table(key, title, answers: list[Answer], *, column, note="", cells):
        rows, items = [], []
        for answer, cell in zip(answers, cells, strict=True):
            value = show(cell, answer.count)
            share = percent(
                answer.count, total, hidden=value == HIDDEN or total_hidden, separator=separator
            )
            rows.append(([answer.label], [value, share]))
            items.append((answer.label, value, answer.count))
        return Table(
            key=key,
            title=title,
            label_columns=[column],
            value_columns=[_("Clients"), _("Share of clients served")],
            csv_columns=[_("Clients"), _("Share of clients served (%)")],
            rows=rows,
            note=note,
            bars=_bars(items, total=total, total_hidden=total_hidden),
        )

    for breakdown in summary.demographics:
        tables.append(
            answers_table(
                breakdown.key,
                breakdown.title,
                breakdown.rows,
                column=_("Answer"),
                note=breakdown.note,
                cells=[(breakdown.key, i) for i in range(len(breakdown.rows))],
            )
        )

    department_rows, department_items = [], []
    for d in summary.departments:
        served = show(("department", d.department_id, "clients_served"), d.clients_served)
        share = percent(
            d.clients_served,
            total,
            hidden=served == HIDDEN or total_hidden,
            separator=separator,
        )
        department_rows.append(
            (
                [d.department],
                [
                    served,
                    share,
                    show(("department", d.department_id, "intakes"), d.intakes),
                    show(("department", d.department_id, "discharges"), d.discharges),
                ],
            )
        )
        department_items.append((d.department, served, d.clients_served))
    tables.append(
        Table(
            key="department",
            title=summary.by_department.title,
            label_columns=[_("Department")],
            value_columns=[
                _("Clients served"),
                _("Share of clients served"),
                _("Intakes"),
                _("Discharges"),
            ],
            csv_columns=[
                _("Clients served"),
                _("Share of clients served (%)"),
                _("Intakes"),
                _("Discharges"),
            ],
            rows=department_rows,
            note=summary.by_department.note,
            bars=_bars(department_items, total=total, total_hidden=total_hidden),
        )
    )

    program_rows, program_items = [], []
    for p in summary.programs:
        program_links = links.get(p.program_id, {})
        values = []
        for measure in MEASURES:
            n = getattr(p, measure)
            value = show(("program", p.program_id, measure), n)
            url = program_links.get(measure)
            if value != HIDDEN and n and url:
                value = Linked(n, url)
            values.append(value)
        program_rows.append(([p.department, p.program], values))
        served = values[0].value if isinstance(values[0], Linked) else values[0]
        program_items.append((p.program, served, p.clients_served))
    tables.append(
        Table(
            key="program",
            title=_("Programs"),
            label_columns=[_("Department"), _("Program")],
            value_columns=[_("Clients served"), _("Intakes"), _("Discharges")],
            rows=program_rows,
            note=_(
                "Each program counts its own clients once. A client in two programs counts "
                "once in each, so the programs add up to more than the total. Every program "
                "is listed, with zeros when nothing happened in it in the period."
            ),
            bars=_bars(program_items, total=total, total_hidden=total_hidden),
        )
    )

    month_rows = []
    for i, m in enumerate(summary.months):
        occupied_hidden = ("month", i, "occupied") in hidden
        month_rows.append(
            (
                [month_label(m)],
                [
                    show(("month", i, "clients_served"), m.clients_served),
                    show(("month", i, "intakes"), m.intakes),
                    show(("month", i, "discharges"), m.discharges),
                    Percent(HIDDEN, HIDDEN)
                    if occupied_hidden
                    else percent_value(m.occupancy_rate, separator=separator),
                ],
            )
        )
    tables.append(
        Table(
            key="month",
            title=_("Month by month"),
            label_columns=[_("Month")],
            value_columns=[
                _("Clients served"),
                _("Intakes"),
                _("Discharges"),
                _("Occupancy on the last day"),
            ],
            csv_columns=[
                _("Clients served"),
                _("Intakes"),
                _("Discharges"),
                _("Occupancy on the last day (%)"),
            ],
            rows=month_rows,
            note=_(
                "Each month counts its own clients once, so the months add up to more than "
                "the total. The first and last months count only their days inside the "
                "period. Occupancy is the places occupied on the month's last day (in the "
                "period) in the programs with a capacity in effect that day, against that "
                "capacity."
            ),
        )
    )
    return OrgSummaryView(
        tables=tables,
        chart=monthly_chart(summary, hidden=hidden),
        suppress=suppress,
        threshold=threshold,
        hidden=len(hidden),
    )


def month_label(month) -> str:
    """ "March 2026"; a month the period cuts says which of its days count."""
    label = date_format(month.month, "YEAR_MONTH_FORMAT")
    whole = month.day_from == month.month and (month.day_to + datetime.timedelta(days=1)).day == 1
    if whole:
        return label
    return _("%(month)s (%(first)s to %(last)s)") % {
        "month": label,
        "first": date_format(month.day_from, "SHORT_DATE_FORMAT"),
        "last": date_format(month.day_to, "SHORT_DATE_FORMAT"),
    }


def org_summary_tables(summary: OrgSummary, *, suppress: bool) -> list[Table]:
    return org_summary_view(summary, suppress=suppress).tables


# ---------------------------------------------------------------------------------------
# The monthly chart

CHART_SERIES = (
    ("clients_served", "Clients served"),
    ("intakes", "Intakes"),
    ("discharges", "Discharges"),
)


def _nice_ceiling(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return 10 * magnitude


def monthly_chart(summary: OrgSummary, *, hidden: set) -> Chart | None:
    months = summary.months
    if not months:
        return None
    width, height = 640, 260
    left, right, top, bottom = 64, 596, 16, 212
    labels = {
        "clients_served": _("Clients served"),
        "intakes": _("Intakes"),
        "discharges": _("Discharges"),
    }
    shown_values = [
        getattr(m, key)
        for i, m in enumerate(months)
        for key, _unused in CHART_SERIES
        if ("month", i, key) not in hidden
    ]
    ceiling = _nice_ceiling(max(shown_values, default=0))
    step = (right - left) / max(len(months) - 1, 1)

    def x(i):
        return round(left + (i * step if len(months) > 1 else (right - left) / 2), 1)

    def y(n):
        return round(bottom - (bottom - top) * n / ceiling, 1)

    lines = [
        ChartLine(
            key=key,
            label=labels[key],
            points=[
                None if ("month", i, key) in hidden else (x(i), y(getattr(m, key)))
                for i, m in enumerate(months)
            ],
        )
        for key, _unused in CHART_SERIES
    ]
    ticks = [(y(ceiling * k / 4), intcomma(int(ceiling * k / 4))) for k in range(5)]
    every = max(1, len(months) // 12 + (1 if len(months) % 12 else 0))
    x_labels = [
        (x(i), date_format(m.month, "YEAR_MONTH_FORMAT" if len(months) <= 6 else "m/Y"))
        for i, m in enumerate(months)
        if i % every == 0
    ]
    return Chart(
        width=width,
        height=height,
        lines=lines,
        y_ticks=ticks,
        x_labels=x_labels,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
    )


# ---------------------------------------------------------------------------------------
# CSV


def _csv_value(value):
    return value.csv if isinstance(value, Percent | Linked) else value


def org_summary_csv_rows(tables: list[Table]):
    """The Org Summary as one long table: one line per number shown on the page."""
    yield [_("Section"), _("Department"), _("Item"), _("Measure"), _("Value")]
    for table in tables:
        columns = table.csv_columns or table.value_columns
        for labels, values in table.rows:
            department = labels[0] if len(labels) == 2 else ""
            for measure, value in zip(columns, values, strict=True):
                yield [table.title, department, labels[-1], measure, _csv_value(value)]
