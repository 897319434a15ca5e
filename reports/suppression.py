"""Hiding small counts so that they stay hidden: primary and complementary (secondary)
suppression, as statistical agencies publish tables.

A report's counts are *cells*; a *relation* says that one cell is the sum of others (a
total and its rows: "clients served = the gender rows", "a department's occupied places =
its programs'"). Hiding only the counts below the threshold is not enough: a hidden cell
that is the only hidden one in a relation is the total minus the shown cells. So:

1. **Primary**: every count from 1 to threshold − 1 is hidden (zero identifies no one).
2. **Complementary**: while some hidden cell can still be worked out, hide one more cell
   of a relation that gives it away, the smallest non-zero shown one (rows before totals),
   so the least information is lost. A hidden cell can be worked out when

   - the relations, with the shown cells moved to the other side, determine it exactly
     (any sum or difference of relations leaves it alone: checked by Gaussian elimination
     over the hidden cells, so combinations of several relations are covered, not only
     one total minus its rows), or
   - the hidden cells of a relation add up to so little that each must be 1 (four hidden
     cells adding up to 4), or to less than the threshold (together they are a small
     count).

Every hidden cell is shown with the same mark, so a reader cannot tell which were small.
The result depends only on the numbers, so the page and its CSV hide the same cells.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

Cell = Hashable


@dataclass(frozen=True)
class Relation:
    """``total`` = the sum of ``parts``."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


def determined(hidden: set, relations: Iterable[Relation]) -> set:
    """The hidden cells whose value the relations fix exactly, given every shown cell."""
    hidden_list = sorted(hidden, key=repr)
    column = {cell: i for i, cell in enumerate(hidden_list)}
    rows = []
    for relation in relations:
        row = [Fraction(0)] * len(hidden_list)
        touched = False
        for cell, sign in ((relation.total, -1), *((part, 1) for part in relation.parts)):
            if cell in column:
                row[column[cell]] += sign
                touched = True
        if touched:
            rows.append(row)
    # Reduced row echelon form over the hidden cells.
    pivots = []
    r = 0
    for c in range(len(hidden_list)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append((r, c))
        r += 1
    pivot_columns = {c for _, c in pivots}
    free = [c for c in range(len(hidden_list)) if c not in pivot_columns]
    # A pivot cell is fixed when its row involves no free cell; a free cell never is.
    return {hidden_list[c] for row, c in pivots if all(rows[row][f] == 0 for f in free)}


def _weak_relations(hidden: set, values: dict, relations, threshold: int) -> list[Relation]:
    """Relations whose hidden cells add up to too little: each would be 1, or the group
    is itself a small count."""
    weak = []
    for relation in relations:
        cells = [c for c in relation.parts if c in hidden]
        if relation.total in hidden or not cells:
            continue
        total = sum(values[c] for c in cells)
        if total <= len(cells) or total < threshold:
            weak.append(relation)
    return weak


def suppressed_cells(
    values: dict, relations: list[Relation], *, threshold: int, hidden: Iterable = ()
) -> set:
    """The cells to hide so that no count from 1 to ``threshold`` − 1 can be worked out
    from the shown ones through ``relations``.

    ``values`` maps every cell to its count; ``hidden`` names cells already hidden (by
    another table that shares them), which stay hidden. Deterministic for the same numbers.
    """
    hidden = {cell for cell, n in values.items() if 0 < n < threshold} | set(hidden)
    if not hidden:
        return hidden
    by_cell: dict = {}
    for relation in relations:
        for cell in relation.cells:
            by_cell.setdefault(cell, []).append(relation)

    def complement(relation: Relation):
        # Smallest shown non-zero part first; then the total; zero only as a last resort.
        candidates = [c for c in relation.parts if c not in hidden]
        candidates.sort(key=lambda c: (values[c] == 0, values[c], repr(c)))
        if relation.total not in hidden:
            candidates.insert(len([c for c in candidates if values[c] != 0]), relation.total)
        return candidates[0] if candidates else None

    while True:
        exposed = determined(hidden, relations)
        weak = _weak_relations(hidden, values, relations, threshold)
        if not exposed and not weak:
            return hidden
        added = False
        targets = [r for cell in sorted(exposed, key=repr) for r in by_cell.get(cell, [])]
        for relation in [*targets, *weak]:
            cell = complement(relation)
            if cell is not None:
                hidden.add(cell)
                added = True
                break
        if not added:
            # Nothing left to hide in the relations that give a cell away: hide every cell
            # they touch (cannot happen while a total is shown; a safe end all the same).
            before = len(hidden)
            for relation in [*targets, *weak]:
                hidden.update(relation.cells)
            if len(hidden) == before:
                return hidden


def each_relation_alone(values: dict, relations: list[Relation], *, threshold: int) -> set:
    """``suppressed_cells`` applied to one relation at a time, again until nothing more is
    hidden: what each sum needs on its own, without checking combinations of sums."""
    small = {cell for cell, n in values.items() if 0 < n < threshold}
    hidden: set = set()
    changed = True
    while changed:
        changed = False
        for relation in relations:
            cells = set(relation.cells)
            if cells.isdisjoint(small) and cells.isdisjoint(hidden):
                continue  # nothing to hide here, nothing hidden to protect
            found = suppressed_cells(
                {cell: values[cell] for cell in cells},
                [relation],
                threshold=threshold,
                hidden=hidden & cells,
            )
            if not found <= hidden:
                hidden |= found
                changed = True
    return hidden


def suppressed_one_relation_at_a_time(
    values: dict, relations: list[Relation], *, threshold: int
) -> set:
    """``suppressed_cells`` for a page with many sums that share few cells (a total and
    its rows in several breakdowns; programs → department → agency): each relation is
    protected on its own, with the cells it shares with the others hidden wherever they
    are hidden, until no relation hides anything more; then the whole system is checked
    at once (``determined``) and, should some combination of relations still pin a hidden
    cell, protected as one system from there. Relation by relation keeps a page of
    thousands of cells fast: the whole system at once costs seconds for 2,000 programs.
    """
    small = {cell for cell, n in values.items() if 0 < n < threshold}
    hidden = each_relation_alone(values, relations, threshold=threshold) | small
    touching = [r for r in relations if not hidden.isdisjoint(r.cells)]
    if hidden and (
        determined(hidden, touching) or _weak_relations(hidden, values, touching, threshold)
    ):
        cells = {cell for r in touching for cell in r.cells} | hidden
        hidden = suppressed_cells(
            {cell: values[cell] for cell in cells}, touching, threshold=threshold, hidden=hidden
        )
    return hidden
