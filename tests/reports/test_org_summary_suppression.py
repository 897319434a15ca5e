"""Org Summary with counts hidden: hand-worked tables, every subtraction of the published
totals tried, nothing recovered; the page and its CSV hide the same cells."""

import datetime
import itertools

import pytest

from reports.selectors import (
    Answer,
    Breakdown,
    DepartmentActivity,
    MonthActivity,
    OrgSummary,
    ProgramActivity,
)
from reports.suppression import determined
from reports.tables import _cells_and_relations, hidden_cells, org_summary_view
from reports.vacancy import HIDDEN

D = datetime.date


def summary_of(*, total, gender, age, programs, departments, months, languages=()):
    """An OrgSummary written out by hand. ``programs``: (department, name, served,
    intakes, discharges); ``departments``: (name, served); ``months``: (served, intakes,
    discharges, occupied)."""
    program_rows = [
        ProgramActivity(
            department=d,
            program=name,
            clients_served=s,
            intakes=i,
            discharges=x,
            program_id=name,
            department_id=d,
        )
        for d, name, s, i, x in programs
    ]
    department_rows = [
        DepartmentActivity(
            department=name,
            clients_served=served,
            intakes=sum(p.intakes for p in program_rows if p.department == name),
            discharges=sum(p.discharges for p in program_rows if p.department == name),
            department_id=name,
        )
        for name, served in departments
    ]
    month_rows = [
        MonthActivity(
            month=D(2026, 1 + i, 1),
            day_from=D(2026, 1 + i, 1),
            day_to=D(2026, 1 + i, 28),
            clients_served=s,
            intakes=i_,
            discharges=x,
            occupied=o,
            capacity=50,
        )
        for i, (s, i_, x, o) in enumerate(months)
    ]
    return OrgSummary(
        date_from=D(2026, 1, 1),
        date_to=month_rows[-1].day_to,
        clients_served=total,
        demographics=[
            Breakdown("gender", "Gender", [Answer(k, v) for k, v in gender]),
            Breakdown("languages", "Languages", [Answer(k, v) for k, v in languages]),
            Breakdown("age", "Age", [Answer(k, v) for k, v in age]),
        ],
        by_department=Breakdown("department", "By department", []),
        programs=program_rows,
        intakes=sum(p.intakes for p in program_rows),
        discharges=sum(p.discharges for p in program_rows),
        departments=department_rows,
        months=month_rows,
    )


def recoverable(values, relations, hidden):
    """Every sum and difference of the published relations (coefficients −1, 0, 1): the
    hidden cells one of them leaves alone, so that it is worked out."""
    found = set()
    for coefficients in itertools.product((-1, 0, 1), repeat=len(relations)):
        weights: dict = {}
        for c, relation in zip(coefficients, relations, strict=True):
            if not c:
                continue
            weights[relation.total] = weights.get(relation.total, 0) - c
            for part in relation.parts:
                weights[part] = weights.get(part, 0) + c
        left = [cell for cell, w in weights.items() if w and cell in hidden]
        if len(left) == 1:
            found.add(left[0])
    return found


def weak_groups(values, relations, hidden, threshold=5):
    """Relations with a shown total whose hidden parts add up to their number (each is
    1) or to less than the threshold."""
    weak = []
    for relation in relations:
        parts = [c for c in relation.parts if c in hidden]
        if relation.total in hidden or not parts:
            continue
        total = sum(values[c] for c in parts)
        if total <= len(parts) or total < threshold:
            weak.append(relation)
    return weak


# Gender: four answers of 1 each (adding up to 4) and 36 men. Age: 2 + 38. One program
# of Shelter took in 3, another 10; Counselling's only program served everyone it served.
FOUR_ONES = summary_of(
    total=40,
    gender=[("Man", 36), ("Woman", 1), ("Non-binary", 1), ("Two-Spirit", 1), ("Not recorded", 1)],
    age=[("18–24", 2), ("25–34", 38)],
    languages=[("English", 39), ("Tamil", 2)],
    programs=[
        ("Shelter", "P1", 30, 3, 8),
        ("Shelter", "P2", 12, 10, 6),
        ("Counselling", "P3", 2, 7, 0),
        ("Counselling", "P4", 0, 0, 0),
    ],
    departments=[("Shelter", 38), ("Counselling", 2)],
    months=[(30, 12, 10, 20), (25, 8, 4, 3)],
)


def test_four_hidden_cells_that_add_up_to_four_are_not_left_alone():
    values, relations = _cells_and_relations(FOUR_ONES)

    hidden = hidden_cells(FOUR_ONES, threshold=5)

    ones = {("gender", i) for i in range(1, 5)}
    assert ones <= hidden
    # Another gender cell goes with them: the men (36) — otherwise 40 − 36 = 4 = 1+1+1+1.
    assert ("gender", 0) in hidden
    assert weak_groups(values, relations, hidden) == []
    assert determined(hidden, relations) == set()


def test_no_subtraction_of_the_published_totals_recovers_a_hidden_count():
    values, relations = _cells_and_relations(FOUR_ONES)
    hidden = hidden_cells(FOUR_ONES, threshold=5)
    # Every relation a hidden cell is in, every combination of them.
    touching = [r for r in relations if not hidden.isdisjoint(r.cells)]
    assert len(touching) <= 12

    assert recoverable(values, touching, hidden) == set()
    assert determined(hidden, relations) == set()
    # What was small is hidden: the 3 intakes of P1, the 2 aged 18–24, Counselling's 2,
    # the 2 Tamil speakers, the 3 places occupied at the end of February.
    assert {
        ("program", "P1", "intakes"),
        ("age", 0),
        ("department", "Counselling", "clients_served"),
        ("languages", 1),
        ("month", 1, "occupied"),
    } <= hidden
    # A department whose only serving program is hidden hides it too (they are equal).
    assert ("program", "P3", "clients_served") in hidden


def test_a_hidden_program_intake_is_protected_through_department_agency_and_months():
    values, relations = _cells_and_relations(FOUR_ONES)
    hidden = hidden_cells(FOUR_ONES, threshold=5)

    in_intakes = [r for r in relations if any("intakes" in c for c in r.cells)]
    assert recoverable(values, in_intakes, hidden) == set()
    # The complement is a shown count of the same sum, not the agency's total.
    assert ("intakes",) not in hidden
    assert ("program", "P2", "intakes") in hidden


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_give_nothing_back(seed):
    import random

    rng = random.Random(seed)
    programs = [
        (f"D{d}", f"P{d}{p}", rng.choice([0, 1, 2, 3, 4, 7, 12]), rng.choice([0, 1, 3, 6]), 0)
        for d in range(3)
        for p in range(rng.randint(1, 3))
    ]
    gender = [(f"g{i}", rng.choice([1, 2, 6, 10])) for i in range(4)]
    total = sum(n for _, n in gender)
    summary = summary_of(
        total=total,
        gender=gender,
        age=[("a", total - 1), ("b", 1)],
        programs=programs,
        departments=[(f"D{d}", sum(p[2] for p in programs if p[0] == f"D{d}")) for d in range(3)],
        months=[(total, sum(p[3] for p in programs), 0, 9)],
    )
    values, relations = _cells_and_relations(summary)

    hidden = hidden_cells(summary, threshold=5)

    assert {c for c, n in values.items() if 0 < n < 5} <= hidden
    assert determined(hidden, relations) == set()
    assert weak_groups(values, relations, hidden) == []


def test_hidden_counts_hide_their_shares_and_bars():
    view = org_summary_view(FOUR_ONES, suppress=True)
    gender = next(t for t in view.tables if t.key == "gender")

    assert [values[0] for _, values in gender.rows] == [HIDDEN] * 5
    assert [str(values[1]) for _, values in gender.rows] == [HIDDEN] * 5
    assert all(bar.percent is None for bar in gender.bars)
    languages = next(t for t in view.tables if t.key == "languages")
    assert [(values[0], str(values[1])) for _, values in languages.rows] == [
        (39, "97.5%"),
        (HIDDEN, HIDDEN),
    ]
    months = next(t for t in view.tables if t.key == "month")
    assert str(months.rows[1][1][3]) == HIDDEN  # 3 places of 50: the rate would give 3
    assert str(months.rows[0][1][3]) == "40%"
