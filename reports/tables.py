"""What a report shows: the selectors' numbers laid out as tables, with small counts hidden
when asked. The page template and the CSV export both read these tables, so a number
(or its "<5") is decided once and is the same on screen and in the file."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .selectors import Answer, OrgSummary

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
