"""The Org Summary's served intervals (reports/served.py) stay exact through every write
that changes what counts, and the report read from them equals the report counted from the
enrollments.

Hand-worked registry (one client, program P in department X unless said):

    e1  2026-01-01 → 01-10
    e2  2026-01-10 → 01-20     shares 01-10 with e1: one interval 01-01 → 01-20
    e3  2026-01-21 → 01-25     a day later: a new interval (no place held on 01-20)
    e4  2026-03-01 → open      a third interval, open (9999-12-31)

Client scope, program P and department X therefore hold the same three intervals:
(01-01, 01-20, previous None), (01-21, 01-25, previous 01-20), (03-01, open, previous 01-25).
"""

import dataclasses
import datetime
import random

import pytest
from django.db import connection

from reports.selectors import org_summary, org_summary_from_enrollments
from reports.served import CLIENT, DEPARTMENT, NO_UNIT, PROGRAM, TABLE, intervals_sql
from snippets.models import Client, ClientProgramEnrollment, Department, Program
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
)

D = datetime.date
OPEN = D(9999, 12, 31)


def intervals(client, scope=CLIENT, unit=None):
    """(start, end, previous end) of one client's intervals in one scope, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT start_date, end_date, previous_end FROM {TABLE} "
            "WHERE client_id = %s AND scope = %s AND unit_id = %s ORDER BY start_date",
            [client.pk, scope, unit.pk if unit is not None else NO_UNIT],
        )
        return cursor.fetchall()


def table_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, client_id, unit_id, start_date, end_date, previous_end FROM {TABLE}"
        )
        return sorted(cursor.fetchall())


def rebuilt_rows():
    """What the intervals are when built from scratch from the enrollments."""
    with connection.cursor() as cursor:
        cursor.execute(intervals_sql())
        return sorted(cursor.fetchall())


THREE = [
    (D(2026, 1, 1), D(2026, 1, 20), None),
    (D(2026, 1, 21), D(2026, 1, 25), D(2026, 1, 20)),
    (D(2026, 3, 1), OPEN, D(2026, 1, 25)),
]


@pytest.fixture
def person(db):
    department = DepartmentFactory(name="X")
    program = ProgramFactory(name="P", department=department)
    client = ClientFactory()
    enrollments = [
        EnrollmentFactory(client=client, program=program, start_date=start, end_date=end)
        for start, end in (
            (D(2026, 1, 1), D(2026, 1, 10)),
            (D(2026, 1, 10), D(2026, 1, 20)),
            (D(2026, 1, 21), D(2026, 1, 25)),
            (D(2026, 3, 1), None),
        )
    ]
    return client, program, department, enrollments


def test_enrollments_sharing_a_day_are_one_interval_and_a_day_apart_two(person):
    client, program, department, _ = person
    assert intervals(client) == THREE
    assert intervals(client, PROGRAM, program) == THREE
    assert intervals(client, DEPARTMENT, department) == THREE


def test_a_changed_end_date_merges_and_splits_intervals(person):
    client, program, _, enrollments = person
    e3 = enrollments[2]
    e3.start_date = D(2026, 1, 20)  # now shares 01-20 with e2
    e3.save()
    assert intervals(client) == [
        (D(2026, 1, 1), D(2026, 1, 25), None),
        (D(2026, 3, 1), OPEN, D(2026, 1, 25)),
    ]
    e3.end_date = D(2026, 3, 1)  # reaches e4's first day: everything is one interval
    e3.save()
    assert intervals(client, PROGRAM, program) == [(D(2026, 1, 1), OPEN, None)]


def test_an_enrollment_moved_to_another_program_moves_its_interval(person):
    client, program, department, enrollments = person
    other_department = DepartmentFactory(name="Y")
    other = ProgramFactory(name="Q", department=other_department)
    ClientProgramEnrollment.objects.filter(pk=enrollments[2].pk).update(program=other)
    assert intervals(client, PROGRAM, program) == [
        (D(2026, 1, 1), D(2026, 1, 20), None),
        (D(2026, 3, 1), OPEN, D(2026, 1, 20)),
    ]
    assert intervals(client, PROGRAM, other) == [(D(2026, 1, 21), D(2026, 1, 25), None)]
    assert intervals(client, DEPARTMENT, other_department) == [
        (D(2026, 1, 21), D(2026, 1, 25), None)
    ]
    # The client's own intervals do not depend on the program.
    assert intervals(client) == THREE


def test_a_deleted_or_unpublished_enrollment_leaves_the_intervals(person):
    client, _, _, enrollments = person
    enrollments[3].delete()
    assert intervals(client) == THREE[:2]
    ClientProgramEnrollment.objects.filter(pk=enrollments[0].pk).update(live=False)
    assert intervals(client) == [
        (D(2026, 1, 10), D(2026, 1, 20), None),
        (D(2026, 1, 21), D(2026, 1, 25), D(2026, 1, 20)),
    ]


def test_a_draft_client_has_no_intervals_and_gets_them_back_when_published(person):
    client, program, _, _ = person
    Client.objects.filter(pk=client.pk).update(live=False)
    assert intervals(client) == []
    assert intervals(client, PROGRAM, program) == []
    Client.objects.filter(pk=client.pk).update(live=True)
    assert intervals(client) == THREE


def test_a_merged_client_counts_on_the_survivor(person):
    """A merge makes the merged record a draft and moves its enrollments to the survivor
    (identity.services): the survivor's intervals take them in."""
    merged, program, _, enrollments = person
    survivor = ClientFactory()
    EnrollmentFactory(
        client=survivor, program=program, start_date=D(2026, 1, 25), end_date=D(2026, 2, 10)
    )
    Client.objects.filter(pk=merged.pk).update(live=False, merged_into=survivor)
    ClientProgramEnrollment.objects.filter(client=merged).update(client=survivor)
    assert intervals(merged) == []
    assert intervals(survivor) == [
        (D(2026, 1, 1), D(2026, 1, 20), None),
        (D(2026, 1, 21), D(2026, 2, 10), D(2026, 1, 20)),
        (D(2026, 3, 1), OPEN, D(2026, 2, 10)),
    ]


def test_a_draft_program_or_department_takes_its_enrollments_out(person):
    client, program, department, _ = person
    Program.objects.filter(pk=program.pk).update(live=False)
    assert intervals(client) == []
    Program.objects.filter(pk=program.pk).update(live=True)
    assert intervals(client) == THREE
    Department.objects.filter(pk=department.pk).update(live=False)
    assert intervals(client, DEPARTMENT, department) == []
    Department.objects.filter(pk=department.pk).update(live=True)
    assert intervals(client, DEPARTMENT, department) == THREE


def test_a_program_moved_to_another_department_moves_the_department_intervals(person):
    client, program, department, _ = person
    other = DepartmentFactory(name="Y")
    Program.objects.filter(pk=program.pk).update(department=other)
    assert intervals(client, DEPARTMENT, department) == []
    assert intervals(client, DEPARTMENT, other) == THREE


def test_the_report_counts_the_hand_worked_client_once_in_each_month(person):
    client, program, _, _ = person
    # January: served (two intervals, counted once); February: not; March: open.
    summary = org_summary(date_from=D(2026, 1, 15), date_to=D(2026, 3, 31))
    assert summary.clients_served == 1
    assert [m.clients_served for m in summary.months] == [1, 0, 1]
    # Held a place on 01-31? No (ended 01-25). On 02-28? No. On 03-31: yes.
    assert [m.occupied for m in summary.months] == [0, 0, 1]
    assert summary == org_summary_from_enrollments(date_from=D(2026, 1, 15), date_to=D(2026, 3, 31))
    # A window starting the day after the first interval ended counts the client by the
    # second one, once.
    assert org_summary(date_from=D(2026, 1, 21), date_to=D(2026, 1, 21)).clients_served == 1
    # Ending on 01-20, the client held no place on that day (the end date is the day left).
    assert org_summary(date_from=D(2026, 1, 20), date_to=D(2026, 1, 20)).months[0].occupied == 0


def _random_registry(rng):
    departments = [DepartmentFactory(name=f"D{i}") for i in range(3)]
    programs = [
        ProgramFactory(
            name=f"P{i}",
            department=departments[i % 3],
            capacity_current=rng.choice([None, 2, 5]),
            live=rng.random() > 0.1,
        )
        for i in range(6)
    ]
    clients = [
        ClientFactory(
            live=rng.random() > 0.1,
            gender=rng.choice(["Woman", "Man", " woman", ""]),
            languages=rng.sample(["English", "French", "Tamil"], rng.randint(0, 2)),
            dob=D(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28)),
        )
        for _ in range(25)
    ]
    base = D(2025, 10, 1)
    for _ in range(90):
        start = base + datetime.timedelta(days=rng.randint(0, 400))
        end = (
            None
            if rng.random() < 0.2
            else start + datetime.timedelta(days=rng.choice([0, 0, 1, 3, 10, 40, 120]))
        )
        EnrollmentFactory(
            client=rng.choice(clients),
            program=rng.choice(programs),
            start_date=start,
            end_date=end,
            live=rng.random() > 0.1,
        )
    for _ in range(30):
        day = base + datetime.timedelta(days=rng.randint(0, 400))
        IntakeFactory(client=rng.choice(clients), program=rng.choice(programs), intake_date=day)
        DischargeFactory(
            client=rng.choice(clients), program=rng.choice(programs), discharge_date=day
        )
    return clients, programs, departments


WINDOWS = [
    (D(2026, 1, 1), D(2026, 1, 31)),  # one month
    (D(2025, 12, 4), D(2026, 12, 3)),  # a year, cut months at both ends
    (D(2025, 10, 1), D(2026, 11, 30)),  # the whole registry
    (D(2026, 2, 17), D(2026, 5, 3)),  # an odd window
    (D(2026, 3, 9), D(2026, 3, 9)),  # one day
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_a_random_registry_the_report_equals_counting_the_enrollments(db, seed):
    rng = random.Random(seed)
    clients, programs, departments = _random_registry(rng)
    assert table_rows() == rebuilt_rows()
    for date_from, date_to in WINDOWS:
        now = org_summary(date_from=date_from, date_to=date_to)
        assert dataclasses.asdict(now) == dataclasses.asdict(
            org_summary_from_enrollments(date_from=date_from, date_to=date_to)
        ), (date_from, date_to)
    # Writes of every kind, then the same checks: the triggers kept the intervals exact.
    enrollments = list(ClientProgramEnrollment.objects.order_by("pk"))
    for enrollment in rng.sample(enrollments, 15):
        enrollment.end_date = enrollment.start_date + datetime.timedelta(days=rng.randint(0, 60))
        enrollment.save()
    for enrollment in rng.sample(enrollments, 5):
        ClientProgramEnrollment.objects.filter(pk=enrollment.pk).update(
            program=rng.choice(programs)
        )
    ClientProgramEnrollment.objects.filter(
        pk__in=[e.pk for e in rng.sample(enrollments, 5)]
    ).delete()
    Client.objects.filter(pk__in=[c.pk for c in rng.sample(clients, 3)]).update(live=False)
    Program.objects.filter(pk=programs[0].pk).update(live=not programs[0].live)
    Department.objects.filter(pk=departments[1].pk).update(live=False)
    assert table_rows() == rebuilt_rows()
    for date_from, date_to in WINDOWS:
        assert dataclasses.asdict(org_summary(date_from=date_from, date_to=date_to)) == (
            dataclasses.asdict(org_summary_from_enrollments(date_from=date_from, date_to=date_to))
        ), (date_from, date_to)


def test_a_bulk_insert_appends_new_stays_and_refreshes_the_rest(person):
    """One INSERT of many rows, as the import writes them: a stay after the last interval
    is appended, a stay inside an open one changes nothing in that scope, a stay that
    overlaps an earlier interval (or two rows for one client) refreshes the client."""
    client, program, department, _ = person
    other = ProgramFactory(name="Q", department=department)
    later, overlapping, twice = ClientFactory(), ClientFactory(), ClientFactory()
    EnrollmentFactory(
        client=later, program=program, start_date=D(2026, 1, 1), end_date=D(2026, 2, 1)
    )
    EnrollmentFactory(
        client=overlapping, program=program, start_date=D(2026, 1, 1), end_date=D(2026, 2, 1)
    )
    ClientProgramEnrollment.objects.bulk_create(
        [
            # Inside the open stay from 03-01 (client scope, department X), in another
            # program: a new program interval only.
            EnrollmentFactory.build(client=client, program=other, start_date=D(2026, 4, 1)),
            EnrollmentFactory.build(
                client=later, program=program, start_date=D(2026, 3, 1), end_date=D(2026, 3, 5)
            ),
            EnrollmentFactory.build(
                client=overlapping,
                program=program,
                start_date=D(2025, 12, 1),
                end_date=D(2026, 1, 3),
            ),
            EnrollmentFactory.build(client=twice, program=program, start_date=D(2026, 5, 1)),
            EnrollmentFactory.build(client=twice, program=other, start_date=D(2026, 5, 2)),
        ]
    )
    assert intervals(client) == THREE
    assert intervals(client, PROGRAM, other) == [(D(2026, 4, 1), OPEN, None)]
    assert intervals(later) == [
        (D(2026, 1, 1), D(2026, 2, 1), None),
        (D(2026, 3, 1), D(2026, 3, 5), D(2026, 2, 1)),
    ]
    assert intervals(overlapping) == [(D(2025, 12, 1), D(2026, 2, 1), None)]
    assert intervals(twice) == [(D(2026, 5, 1), OPEN, None)]
    assert intervals(twice, PROGRAM, other) == [(D(2026, 5, 2), OPEN, None)]
    assert table_rows() == rebuilt_rows()
