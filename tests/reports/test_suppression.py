"""Primary and complementary suppression on hand-worked tables: after hiding, no sum or
difference of the tables' relations recovers a hidden count, and no group of hidden cells
is so small that each must be 1."""

import itertools

from reports.suppression import Relation, determined, suppressed_cells


def recoverable(values, relations, hidden):
    """Every combination of relations with coefficients −1, 0, 1 (every subtraction and
    addition of totals a reader could try): the hidden cells one of them pins alone."""
    found = set()
    for coefficients in itertools.product((-1, 0, 1), repeat=len(relations)):
        weights = {}
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


def test_a_lone_hidden_row_gets_a_complement():
    # Gender: total 20 = 3 + 10 + 7. Hiding the 3 alone: 20 − 10 − 7 gives it back.
    values = {"total": 20, "woman": 3, "man": 10, "other": 7}
    relations = [Relation("total", ("woman", "man", "other"))]

    hidden = suppressed_cells(values, relations, threshold=5)

    assert hidden == {"woman", "other"}  # the smallest shown row hides it
    assert recoverable(values, relations, hidden) == set()


def test_hidden_cells_adding_up_to_their_number_are_not_left_alone():
    # Four cells of 1 and the total shown: they add up to 4, so each would be 1.
    values = {"total": 24, "a": 1, "b": 1, "c": 1, "d": 1, "e": 20}
    relations = [Relation("total", ("a", "b", "c", "d", "e"))]

    hidden = suppressed_cells(values, relations, threshold=5)

    assert hidden == {"a", "b", "c", "d", "e"}
    assert recoverable(values, relations, hidden) == set()


def test_a_hidden_program_cannot_be_had_from_its_department_or_the_agency():
    # Agency 30 = Shelter 12 + Counselling 18; Shelter = P1 2 + P2 10; Counselling = 9 + 9.
    values = {"agency": 30, "shelter": 12, "counselling": 18, "p1": 2, "p2": 10}
    values |= {"p3": 9, "p4": 9}
    relations = [
        Relation("agency", ("shelter", "counselling")),
        Relation("shelter", ("p1", "p2")),
        Relation("counselling", ("p3", "p4")),
    ]

    hidden = suppressed_cells(values, relations, threshold=5)

    assert "p1" in hidden and len(hidden) >= 2
    assert recoverable(values, relations, hidden) == set()
    assert determined(hidden, relations) == set()


def test_a_total_shared_by_two_breakdowns_stays_protected_in_both():
    # Intakes 12 by program (2 + 10) and by month (6 + 6): hiding P1 must not leave the
    # month breakdown able to give back a hidden cell.
    values = {"intakes": 12, "p1": 2, "p2": 10, "m1": 6, "m2": 6}
    relations = [Relation("intakes", ("p1", "p2")), Relation("intakes", ("m1", "m2"))]

    hidden = suppressed_cells(values, relations, threshold=5)

    assert recoverable(values, relations, hidden) == set()
    assert {"p1", "p2"} <= hidden


def test_nothing_small_hides_nothing():
    values = {"total": 20, "a": 10, "b": 10, "zero": 0}
    assert suppressed_cells(values, [Relation("total", ("a", "b", "zero"))], threshold=5) == set()
