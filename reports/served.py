"""The Org Summary's served intervals (``reports.ServedInterval``): kept exact by triggers
in the same transaction as every write that changes what counts.

Per client, per (client, program) and per (client, department), the merged intervals of
their *countable* enrollments (the enrollment, its client, its program and the program's
department all live): enrollments that share a day are one interval, from the first start
to the last end (9999-12-31 while one is open), each with the end of the previous interval
of the same client (and program, department): ``previous_end``, NULL for the first.

Why this answers the report exactly:

- *Served* in [F, T] is "an enrollment overlaps it": the client is served iff one of their
  intervals overlaps it, and counted once by the first such interval, the one whose
  previous interval ended before F: ``start <= T AND end >= F AND (previous_end IS NULL OR
  previous_end < F)``. No DISTINCT: each counted client is one row.
- *Occupying a place* on a day d is "an enrollment with start <= d < end": the union of
  the half-open [start, end) of enrollments that share a day is [first start, last end)
  of their interval (shown in tests/reports/test_served_intervals.py), so a (client,
  program) interval holds a place on d iff ``start <= d < end``, and two never hold the
  same day.
- Enrollments only a day apart (one ends the 5th, the next starts the 6th) are NOT merged:
  the person held no place on the 5th.

What changes them, and the triggers that follow (statement level, with transition tables,
one set-based refresh per statement, as the audit triggers do): enrollments (insert,
update, delete), a client's ``live`` (a draft, a merge; a deleted client), a program's
``live`` or department, a department's ``live``. Each collects the affected clients and
calls ``reports_refresh_served(client ids)``, which takes a lock for those clients (so
two transactions refreshing one client run one after the other), builds their intervals
again from the countable enrollments and writes only the difference. Demographics are
not copied: the report joins the clients it counts, so an edited answer needs nothing.

Declared here, in the app that owns the table, rather than through pgtrigger on the
snippets models: pgtrigger would file them in snippets' migrations, ahead of the table
they write. ``reports 0004`` creates them and tests/schema_from_models.py runs
``AFTER_TABLES`` for the schema built from the models, so tests/test_schema.py compares
them like every other trigger and function.
"""

CLIENT, PROGRAM, DEPARTMENT = 0, 1, 2
NO_UNIT = "00000000-0000-0000-0000-000000000000"
OPEN_END = "9999-12-31"

TABLE = "reports_served_interval"
ENROLLMENT = "snippets_clientprogramenrollment"


def intervals_sql(clients: str = "") -> str:
    """SELECT of the merged intervals (scope, client_id, unit_id, start_date, end_date,
    previous_end) of the countable enrollments of every client, or of those in the uuid
    array ``clients`` (an SQL expression)."""
    # A join with the unnested array, not "= ANY(array)": inside a function the array is
    # a parameter, which PostgreSQL compares element by element with each row (100,000
    # clients of an import times 5 million enrollments).
    only = f"JOIN unnest({clients}) AS chosen(id) ON chosen.id = e.client_id" if clients else ""
    return f"""
    WITH countable AS (
        SELECT e.client_id, e.program_id, p.department_id, e.start_date,
               COALESCE(e.end_date, '{OPEN_END}'::date) AS end_date
        FROM {ENROLLMENT} e
        JOIN snippets_client c ON c.id = e.client_id AND c.live
        JOIN snippets_program p ON p.id = e.program_id AND p.live
        JOIN snippets_department d ON d.id = p.department_id AND d.live
        {only}
        WHERE e.live
    ),
    scoped AS (
        SELECT {CLIENT}::smallint AS scope, client_id, '{NO_UNIT}'::uuid AS unit_id,
               start_date, end_date FROM countable
        UNION ALL
        SELECT {PROGRAM}::smallint, client_id, program_id, start_date, end_date FROM countable
        UNION ALL
        SELECT {DEPARTMENT}::smallint, client_id, department_id, start_date, end_date
        FROM countable
    ),
    -- The latest end among the earlier enrollments: an enrollment starting after it
    -- (sharing no day) opens a new interval.
    running AS (
        SELECT *, max(end_date) OVER (
            PARTITION BY scope, client_id, unit_id ORDER BY start_date, end_date
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
        FROM scoped
    ),
    numbered AS (
        SELECT *, count(*) FILTER (WHERE reached IS NULL OR start_date > reached) OVER (
            PARTITION BY scope, client_id, unit_id ORDER BY start_date, end_date
            ROWS UNBOUNDED PRECEDING) AS island
        FROM running
    ),
    merged AS (
        SELECT scope, client_id, unit_id, min(start_date) AS start_date,
               max(end_date) AS end_date
        FROM numbered GROUP BY scope, client_id, unit_id, island
    )
    SELECT scope, client_id, unit_id, start_date, end_date,
           lag(end_date) OVER (PARTITION BY scope, client_id, unit_id ORDER BY start_date)
               AS previous_end
    FROM merged
    """


COLUMNS = "scope, client_id, unit_id, start_date, end_date, previous_end"

PK = "client_id, scope, unit_id, start_date"
# Clients are locked in 1,024 buckets of their id's hash (advisory locks, taken in order):
# a lock per client would not fit PostgreSQL's lock table for an import's 100,000, and
# locking the client rows themselves took 11 s for 100,000 on a loaded machine.
LOCK_BUCKETS = 1024
LOCK_NAMESPACE = 1616  # the first key of the advisory locks (issue 16)

LOCK_FUNCTION = f"""
CREATE OR REPLACE FUNCTION reports_lock_served(clients uuid[]) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock({LOCK_NAMESPACE}, b)
  FROM (SELECT DISTINCT abs(hashtext(id::text) % {LOCK_BUCKETS}) AS b
        FROM unnest(clients) AS chosen(id) ORDER BY 1) buckets;
$$;
"""

REFRESH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION reports_refresh_served(clients uuid[]) RETURNS void
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  IF clients IS NULL OR cardinality(clients) = 0 THEN
    RETURN;
  END IF;
  -- One refresh of a client at a time: without the lock, two transactions could each
  -- write intervals computed without the other's change, and both would stay.
  PERFORM reports_lock_served(clients);
  -- Only what changed is written: an import adding one enrollment per client adds one
  -- interval per scope and rewrites nothing else (deleting and inserting every interval
  -- of 100,000 clients took a minute).
  WITH fresh AS MATERIALIZED ({intervals_sql("clients")}),
  gone AS (
    DELETE FROM {TABLE} s USING unnest(clients) AS chosen(id)
    WHERE s.client_id = chosen.id AND NOT EXISTS (
      SELECT 1 FROM fresh f WHERE (f.client_id, f.scope, f.unit_id, f.start_date)
                                = (s.client_id, s.scope, s.unit_id, s.start_date))
  )
  INSERT INTO {TABLE} ({COLUMNS})
  SELECT {COLUMNS} FROM fresh f WHERE NOT EXISTS (
    SELECT 1 FROM {TABLE} s
    WHERE (s.client_id, s.scope, s.unit_id, s.start_date, s.end_date)
        = (f.client_id, f.scope, f.unit_id, f.start_date, f.end_date)
      AND s.previous_end IS NOT DISTINCT FROM f.previous_end)
  ON CONFLICT ({PK}) DO UPDATE
    SET end_date = EXCLUDED.end_date, previous_end = EXCLUDED.previous_end;
END
$$;
"""

# (trigger name, table, event, transition tables, the client ids it refreshes)
_ENROLLMENT_UPDATE_CLIENTS = """
    SELECT o.client_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.client_id, o.program_id, o.start_date, o.end_date, o.live)
          IS DISTINCT FROM (n.client_id, n.program_id, n.start_date, n.end_date, n.live)
    UNION
    SELECT n.client_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.client_id, o.program_id, o.start_date, o.end_date, o.live)
          IS DISTINCT FROM (n.client_id, n.program_id, n.start_date, n.end_date, n.live)
"""
_ENROLLMENTS_OF_PROGRAMS = f"SELECT DISTINCT client_id FROM {ENROLLMENT} WHERE program_id IN"
TRIGGERS = (
    (
        "served_enrollment_inserts",
        ENROLLMENT,
        "INSERT",
        "NEW TABLE AS new_rows",
        "SELECT DISTINCT client_id FROM new_rows WHERE live",
    ),
    (
        "served_enrollment_updates",
        ENROLLMENT,
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        _ENROLLMENT_UPDATE_CLIENTS,
    ),
    (
        "served_enrollment_deletes",
        ENROLLMENT,
        "DELETE",
        "OLD TABLE AS old_rows",
        "SELECT DISTINCT client_id FROM old_rows WHERE live",
    ),
    (
        "served_client_updates",
        "snippets_client",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.live <> n.live",
    ),
    (
        "served_client_deletes",
        "snippets_client",
        "DELETE",
        "OLD TABLE AS old_rows",
        "SELECT id FROM old_rows",
    ),
    (
        "served_program_updates",
        "snippets_program",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"""{_ENROLLMENTS_OF_PROGRAMS} (
            SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.live, o.department_id) IS DISTINCT FROM (n.live, n.department_id))""",
    ),
    (
        "served_department_updates",
        "snippets_department",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"""{_ENROLLMENTS_OF_PROGRAMS} (
            SELECT p.id FROM snippets_program p
            JOIN new_rows n ON n.id = p.department_id
            JOIN old_rows o ON o.id = n.id WHERE o.live <> n.live)""",
    ),
)


# New enrollments, the import's bulk case: a client with one new countable enrollment
# starting after the last interval they have in a scope (one more stay) gets one more
# interval there, its previous end that last interval's end; one lying inside that last
# interval (a stay within an open one) changes nothing there. Every other client of the
# statement is refreshed in full.
APPEND_SQL = f"""
  PERFORM reports_lock_served(ARRAY(SELECT DISTINCT client_id FROM new_rows WHERE live));
  WITH fresh AS (
    SELECT n.client_id, n.program_id, p.department_id, n.start_date,
           COALESCE(n.end_date, '{OPEN_END}'::date) AS end_date
    FROM new_rows n
    JOIN snippets_client c ON c.id = n.client_id AND c.live
    JOIN snippets_program p ON p.id = n.program_id AND p.live
    JOIN snippets_department d ON d.id = p.department_id AND d.live
    WHERE n.live
  ),
  single AS (
    SELECT f.* FROM fresh f
    JOIN (SELECT client_id FROM fresh GROUP BY client_id HAVING count(*) = 1) one
      ON one.client_id = f.client_id
  ),
  scoped AS (
    SELECT {CLIENT}::smallint AS scope, client_id, '{NO_UNIT}'::uuid AS unit_id,
           start_date, end_date FROM single
    UNION ALL
    SELECT {PROGRAM}::smallint, client_id, program_id, start_date, end_date FROM single
    UNION ALL
    SELECT {DEPARTMENT}::smallint, client_id, department_id, start_date, end_date FROM single
  ),
  checked AS (
    SELECT s.*, last.start_date AS last_start, last.end_date AS last_end
    FROM scoped s
    LEFT JOIN LATERAL (
      SELECT t.start_date, t.end_date FROM {TABLE} t
      WHERE t.client_id = s.client_id AND t.scope = s.scope AND t.unit_id = s.unit_id
      ORDER BY t.start_date DESC LIMIT 1) last ON true
  ),
  -- Per scope: after the last interval (a new one), or inside it (nothing changes: an
  -- enrollment within an open stay); anything else is a full refresh of the client.
  appendable AS (
    SELECT client_id FROM checked GROUP BY client_id
    HAVING bool_and(last_end IS NULL OR last_end < start_date
                    OR (last_start <= start_date AND end_date <= last_end))
  ),
  appended AS (
    INSERT INTO {TABLE} ({COLUMNS})
    SELECT scope, client_id, unit_id, start_date, end_date, last_end FROM checked
    WHERE client_id IN (SELECT client_id FROM appendable)
      AND (last_end IS NULL OR last_end < start_date)
    RETURNING client_id
  )
  SELECT ARRAY(
    SELECT DISTINCT n.client_id FROM new_rows n
    WHERE n.live AND NOT EXISTS (SELECT 1 FROM appendable a WHERE a.client_id = n.client_id))
  INTO rest
  FROM (SELECT count(*) FROM appended) written;
  PERFORM reports_refresh_served(rest);
"""


def _trigger_sql(name: str, table: str, event: str, referencing: str, clients: str) -> list:
    function = f"reports_{name}"
    if name == "served_enrollment_inserts":
        body = f"DECLARE rest uuid[];\nBEGIN\n{APPEND_SQL}"
    else:
        body = f"BEGIN\n  PERFORM reports_refresh_served(ARRAY({clients}));"
    return [
        f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
{body}
  RETURN NULL;
END
$$;
""",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


# After the tables (the trigger functions name them): idempotent.
AFTER_TABLES = (
    LOCK_FUNCTION,
    REFRESH_FUNCTION,
    *(statement for trigger in TRIGGERS for statement in _trigger_sql(*trigger)),
)

DROP_ALL = (
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, *_ in TRIGGERS),
    *(f"DROP FUNCTION IF EXISTS reports_{name}()" for name, *_ in TRIGGERS),
    "DROP FUNCTION IF EXISTS reports_refresh_served(uuid[])",
    "DROP FUNCTION IF EXISTS reports_lock_served(uuid[])",
)

# Every client's intervals from scratch (the migration; a check that the triggers kept up).
REBUILD = (f"TRUNCATE {TABLE}", f"INSERT INTO {TABLE} ({COLUMNS}) {intervals_sql()}")
