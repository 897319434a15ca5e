"""The Org Summary's statement as it was before issue 16 (one UNION ALL of five parts), kept
to check the current selector against: the benchmark and the tests compare the two on the
same registry, number by number. Not used by any page.
"""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db.models import Case, Count, DateField, F, Func, IntegerField, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext

from snippets.models import (
    Client,
    ClientProgramEnrollment,
    Department,
    Discharge,
    ImmigrationStatus,
    Intake,
    Program,
)

from .selectors import (
    AGE_BAND_LABELS,
    NOT_RECORDED,
    Answer,
    Breakdown,
    OrgSummary,
    ProgramActivity,
    _age_band_thresholds,
    _answer_rows,
    _countable,
    _report_query,
    _sql,
)


def org_summary_before(*, date_from: datetime.date, date_to: datetime.date) -> OrgSummary:
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
    return _org_summary_from_rows_before(rows, date_from=date_from, date_to=date_to)


def _org_summary_from_rows_before(rows, *, date_from, date_to) -> OrgSummary:
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
