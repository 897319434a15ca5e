"""The import's SQL: staging, matching and writing, each one statement over all rows.

Everything runs in one transaction (services.py); temporary tables hold the file's rows and
the intermediate results, so a killed run leaves nothing behind and personal data from the
file is not kept after the run. Parameters: %(source)s is the outside system (SMIS, ...).
"""

# --- Staging ---------------------------------------------------------------------------

from snippets.models import CLIENT_FIELDS

# The client's columns in the order snippets.models.CLIENT_FIELDS declares them (the
# CREATE TEMP TABLE below names them in that order too).
STAGING_COLUMNS = (
    "row_number",
    "uid",
    *CLIENT_FIELDS,
    "program_id",
    "enrollment_start",
    "enrollment_end",
    "intake_date",
    "discharge_date",
    "discharge_reason",
    "reject_reason",
    "reject_message",
)

CREATE_STAGING = """
DROP TABLE IF EXISTS ingest_raw, ingest_staged, ingest_candidates, ingest_client_values,
  ingest_client_updates, ingest_enrollments, ingest_enrollment_updates, ingest_discharges,
  ingest_discharge_updates;
CREATE TEMP TABLE ingest_raw (
  row_number integer NOT NULL,
  uid text, first_name text, last_name text, dob date, gender text, languages text[],
  sexual_orientation text, immigration_status text, program_id uuid,
  enrollment_start date, enrollment_end date, intake_date date, discharge_date date,
  discharge_reason text,
  reject_reason text, reject_message text
) ON COMMIT DROP;
"""

COPY_STAGING = f"COPY ingest_raw ({', '.join(STAGING_COLUMNS)}) FROM STDIN"

# The rows as matching works on them, with their name keys, and already matched by rule 1
# below. (The rejects file takes a rejected row's original cells from the file itself.)
# 1. The id in the source system, when this source already gave it to a client.
STAGE_AND_MATCH_BY_SOURCE_ID = """
CREATE TEMP TABLE ingest_staged ON COMMIT DROP AS
SELECT r.row_number, r.uid, r.first_name, r.last_name, r.dob, r.gender, r.languages,
  r.sexual_orientation, r.immigration_status, r.program_id, r.enrollment_start,
  r.enrollment_end, r.intake_date, r.discharge_date, r.discharge_reason,
  r.reject_reason, r.reject_message, NULL::uuid[] AS candidates,
  CASE WHEN r.reject_reason IS NULL THEN registry_name_key(r.first_name) END AS first_key,
  CASE WHEN r.reject_reason IS NULL THEN registry_name_key(r.last_name) END AS last_key,
  sid.client_id,
  CASE WHEN sid.client_id IS NOT NULL THEN 'uid' END AS matched_by,
  NULL::text AS new_group
FROM ingest_raw r
LEFT JOIN snippets_clientsourceid sid
  ON r.reject_reason IS NULL AND sid.source = %(source)s AND sid.uid_external = r.uid;
"""

INDEX_STAGING = """
ALTER TABLE ingest_staged ADD PRIMARY KEY (row_number);
ANALYZE ingest_staged;
"""

# --- Matching --------------------------------------------------------------------------

# 2. Same name key and date of birth: exactly one live client without another id from this
# source links; several, or one with an id from this source, is for a person to decide.
# (A row without an id never links to a client that has an id from this source: the
# source would have sent that id if it were the same person.)
MATCH_BY_NAME_AND_DOB = """
WITH found AS (
  SELECT s.row_number, array_agg(DISTINCT c.id) AS ids,
         bool_or(sid.id IS NOT NULL) AS has_source_id
  FROM ingest_staged s
  JOIN snippets_client c
    ON registry_name_key(c.last_name) = s.last_key
   AND registry_name_key(c.first_name) = s.first_key
   AND c.dob = s.dob AND c.live
  LEFT JOIN snippets_clientsourceid sid ON sid.client_id = c.id AND sid.source = %(source)s
  WHERE s.client_id IS NULL AND s.reject_reason IS NULL
  GROUP BY s.row_number
), verdict AS (
  SELECT row_number, ids, cardinality(ids) = 1 AND NOT has_source_id AS links,
         CASE WHEN cardinality(ids) > 1
              THEN 'Several live clients have this name and date of birth; a person must choose.'
              ELSE 'The one live client with this name and date of birth already has another '
                   'id from this source.' END AS message
  FROM found
)
UPDATE ingest_staged s SET
  client_id = CASE WHEN v.links THEN v.ids[1] END,
  matched_by = CASE WHEN v.links THEN 'name' END,
  reject_reason = CASE WHEN NOT v.links THEN 'ambiguous' END,
  reject_message = CASE WHEN NOT v.links THEN v.message END,
  candidates = CASE WHEN NOT v.links THEN v.ids[1:10] END
FROM verdict v WHERE v.row_number = s.row_number;
"""

# Two different ids from this source cannot both land on one client by name.
REJECT_NAME_LINKS_WITH_SEVERAL_IDS = """
WITH crowded AS (
  SELECT client_id FROM ingest_staged
  WHERE matched_by = 'name' AND uid IS NOT NULL
  GROUP BY client_id HAVING count(DISTINCT uid) > 1
)
UPDATE ingest_staged s SET
  reject_reason = 'ambiguous',
  reject_message = 'Rows with different ids from this source match the same client by name '
                   'and date of birth; a person must choose.',
  candidates = ARRAY[s.client_id], client_id = NULL, matched_by = NULL
FROM crowded c WHERE s.client_id = c.client_id AND s.matched_by = 'name';
"""

# "Alike" for two name keys: at most one edit apart for short names, two for longer ones.
_ALIKE = (
    "levenshtein({a}, {b}) <= CASE WHEN greatest(length({a}), length({b})) <= 4 THEN 1 ELSE 2 END"
)


def _alike(a: str, b: str) -> str:
    return _ALIKE.format(a=a, b=b)


# 3. Likely matches, for a person to review; never linked automatically. Two ways in, each
# served by an index: the same birthday (or its day and month swapped) with names alike
# (typos, first and last swapped, a middle name added); or the same names (or swapped)
# with a birthday one or two digits off. Names are compared folded (lower case, no
# accents): the full name key's space-collapsing costs eight times as much, and a stray
# space is only one edit.
_FOLD = "lower(public.unaccent('public.unaccent'::regdictionary, {}))"


def _initial(name: str) -> str:
    return _FOLD.format(f"left({name}, 1)")


FIND_LIKELY_MATCHES = f"""
CREATE TEMP TABLE ingest_candidates ON COMMIT DROP AS
WITH pending AS (
  SELECT row_number, first_key, last_key, dob,
         {_FOLD.format("btrim(first_name)")} AS first_fold,
         {_FOLD.format("btrim(last_name)")} AS last_fold,
         CASE WHEN extract(day FROM dob) <= 12 AND extract(day FROM dob) <> extract(month FROM dob)
              THEN make_date(extract(year FROM dob)::int, extract(day FROM dob)::int,
                             extract(month FROM dob)::int) END AS dob_swapped,
         date_trunc('year', dob)::date AS year_start,
         (date_trunc('year', dob) + interval '1 year - 1 day')::date AS year_end,
         ARRAY(
           SELECT DISTINCT (dob + make_interval(years => y - extract(year FROM dob)::int))::date
           FROM (SELECT extract(year FROM dob)::int / 10 * 10 + d AS y FROM generate_series(0, 9) d
                 UNION ALL
                 SELECT extract(year FROM dob)::int / 100 * 100 + d * 10
                        + extract(year FROM dob)::int % 10 FROM generate_series(0, 9) d
                 UNION ALL
                 SELECT extract(year FROM dob)::int / 100 * 100
                        + extract(year FROM dob)::int % 10 * 10
                        + extract(year FROM dob)::int / 10 % 10) years
           WHERE y <> extract(year FROM dob)::int
         ) AS year_typos
  FROM ingest_staged WHERE client_id IS NULL AND reject_reason IS NULL
), same_birthday AS MATERIALIZED (
  -- Materialized so each client's names are folded once, not once per condition; only
  -- pairs where a name starts with the same letter as one of the other's go further.
  SELECT p.row_number, p.first_fold AS pf, p.last_fold AS pl, c.id,
         {_FOLD.format("c.first_name")} AS cf, {_FOLD.format("c.last_name")} AS cl
  FROM pending p
  CROSS JOIN LATERAL (VALUES (p.dob), (p.dob_swapped)) AS birthday(dob)
  JOIN snippets_client c ON c.dob = birthday.dob
  WHERE c.live
    AND (left(p.first_fold, 1) IN ({_initial("c.first_name")}, {_initial("c.last_name")})
      OR left(p.last_fold, 1) IN ({_initial("c.first_name")}, {_initial("c.last_name")}))
), names_alike AS (
  SELECT row_number, id FROM same_birthday
  WHERE similarity(pf || ' ' || pl, cf || ' ' || cl) >= 0.5
     OR ({_alike("pf", "cf")} AND {_alike("pl", "cl")})
     OR ({_alike("pf", "cl")} AND {_alike("pl", "cf")})
), names AS (
  SELECT p.*, n.lk, n.fk, n.swapped
  FROM pending p
  CROSS JOIN LATERAL (VALUES (p.last_key, p.first_key, false),
                             (p.first_key, p.last_key, true)) AS n(lk, fk, swapped)
), birthday_alike AS (
  -- Served by client_name_key_dob: the same names, born the same year (a wrong day or
  -- month) or the same day of a year with one digit wrong or the last two swapped.
  SELECT p.row_number, c.id
  FROM names p JOIN snippets_client c
    ON registry_name_key(c.last_name) = p.lk AND registry_name_key(c.first_name) = p.fk
   AND c.dob BETWEEN p.year_start AND p.year_end
  WHERE c.live AND (p.swapped OR c.dob <> p.dob)
    AND levenshtein(to_char(c.dob, 'YYYYMMDD'), to_char(p.dob, 'YYYYMMDD')) <= 2
  UNION ALL
  SELECT p.row_number, c.id
  FROM names p
  CROSS JOIN LATERAL unnest(p.year_typos) AS typo(dob)
  JOIN snippets_client c
    ON registry_name_key(c.last_name) = p.lk AND registry_name_key(c.first_name) = p.fk
   AND c.dob = typo.dob
  WHERE c.live
)
SELECT row_number, array_agg(DISTINCT id) AS ids
FROM (SELECT * FROM names_alike UNION SELECT * FROM birthday_alike) likely
GROUP BY row_number;
"""

REJECT_LIKELY_MATCHES = """
UPDATE ingest_staged s SET
  reject_reason = 'possible_match',
  reject_message = 'Looks like ' || cardinality(c.ids) || ' existing client(s) (a typo, swapped '
                   'names or a swapped day and month?); a person must decide.',
  candidates = c.ids[1:10]
FROM ingest_candidates c WHERE c.row_number = s.row_number;
"""

# New people: rows with the same id from this source are one person; rows without an id
# join the one id-carrying person with their name key and birthday, or form their own.
GROUP_NEW_PEOPLE = """
WITH people AS (
  SELECT first_key || '|' || last_key || '|' || dob AS person,
         count(DISTINCT uid) AS ids, min(uid) AS uid
  FROM ingest_staged WHERE client_id IS NULL AND reject_reason IS NULL
  GROUP BY 1
)
UPDATE ingest_staged s SET
  new_group = CASE WHEN p.ids > 1 THEN NULL
                   ELSE coalesce('uid:' || coalesce(s.uid, p.uid), 'person:' || p.person) END,
  reject_reason = CASE WHEN p.ids > 1 THEN 'ambiguous' END,
  reject_message = CASE WHEN p.ids > 1 THEN 'Several rows in this file have this name and date '
                   'of birth with different ids; a person must decide.' END
FROM people p
WHERE s.client_id IS NULL AND s.reject_reason IS NULL
  AND p.person = s.first_key || '|' || s.last_key || '|' || s.dob;
"""

# One id from this source must lead to one client. When its rows in this file end in
# different places (two clients, or a client and a new person, or one of them rejected),
# none of them is taken.
REJECT_SPLIT_IDS = """
WITH split AS (
  SELECT uid FROM ingest_staged
  WHERE uid IS NOT NULL
    AND (reject_reason IS NULL OR reject_reason IN ('ambiguous', 'possible_match'))
  GROUP BY uid
  HAVING count(DISTINCT coalesce(client_id::text, new_group, 'rejected')) > 1
)
UPDATE ingest_staged s SET
  reject_reason = 'ambiguous',
  reject_message = 'Rows with this id lead to different clients (or one was rejected); '
                   'a person must decide.',
  candidates = coalesce(s.candidates, CASE WHEN s.client_id IS NOT NULL
                                           THEN ARRAY[s.client_id] END),
  client_id = NULL, matched_by = NULL, new_group = NULL
FROM split x
WHERE s.uid = x.uid
  AND (s.reject_reason IS NULL OR s.reject_reason IN ('ambiguous', 'possible_match'));
"""

# --- Writing ---------------------------------------------------------------------------

# What Wagtail's DraftStateMixin/RevisionMixin columns hold for a record published directly.
PUBLISHED_COLUMNS = (
    "live, has_unpublished_changes, first_published_at, last_published_at, go_live_at, "
    "expire_at, expired, locked, locked_at, created_at, updated_at, latest_revision_id, "
    "live_revision_id, locked_by_id"
)
PUBLISHED_VALUES = (
    "true, false, now(), now(), NULL, NULL, false, false, NULL, now(), now(), NULL, NULL, NULL"
)

# One line per client: the last non-empty value in the file for each field.
CLIENT_VALUES = """
CREATE TEMP TABLE ingest_client_values ON COMMIT DROP AS
SELECT
  CASE WHEN bool_and(client_id IS NULL) THEN registry_uuid7()
       ELSE (array_agg(client_id) FILTER (WHERE client_id IS NOT NULL))[1] END AS client_id,
  bool_and(client_id IS NULL) AS is_new,
  min(new_group) AS new_group,
  coalesce(bool_or(matched_by = 'uid'), false) AS has_this_id,
  (array_agg(uid ORDER BY row_number DESC) FILTER (WHERE uid IS NOT NULL))[1] AS uid,
  (array_agg(first_name ORDER BY row_number DESC))[1] AS first_name,
  (array_agg(last_name ORDER BY row_number DESC))[1] AS last_name,
  (array_agg(dob ORDER BY row_number DESC))[1] AS dob,
  (array_agg(gender ORDER BY row_number DESC) FILTER (WHERE gender IS NOT NULL))[1] AS gender,
  (array_agg(to_jsonb(languages) ORDER BY row_number DESC)
     FILTER (WHERE languages IS NOT NULL))[1] AS languages,
  (array_agg(sexual_orientation ORDER BY row_number DESC)
     FILTER (WHERE sexual_orientation IS NOT NULL))[1] AS sexual_orientation,
  (array_agg(immigration_status ORDER BY row_number DESC)
     FILTER (WHERE immigration_status IS NOT NULL))[1] AS immigration_status
FROM ingest_staged WHERE reject_reason IS NULL
GROUP BY coalesce(client_id::text, new_group);

UPDATE ingest_staged s SET client_id = v.client_id
FROM ingest_client_values v WHERE v.is_new AND s.new_group = v.new_group;
"""

_LANGUAGES = "ARRAY(SELECT jsonb_array_elements_text(v.languages))::varchar(100)[]"

INSERT_NEW_CLIENTS = f"""
INSERT INTO snippets_client (id, first_name, last_name, dob, gender, languages,
  sexual_orientation, immigration_status, extra_demographics, {PUBLISHED_COLUMNS})
SELECT v.client_id, v.first_name, v.last_name, v.dob, coalesce(v.gender, ''),
  CASE WHEN v.languages IS NULL THEN '{{}}' ELSE {_LANGUAGES} END,
  coalesce(v.sexual_orientation, ''), coalesce(v.immigration_status, ''), '{{}}',
  {PUBLISHED_VALUES}
FROM ingest_client_values v WHERE v.is_new;
"""

# A name that compares equal (case, accents, spacing) keeps the registry's spelling: an
# export in capitals must not strip the accents staff typed.
PROPOSE_CLIENT_UPDATES = f"""
CREATE TEMP TABLE ingest_client_updates ON COMMIT DROP AS
SELECT c.id, c.has_unpublished_changes AS has_draft, n.*
FROM ingest_client_values v
JOIN snippets_client c ON c.id = v.client_id
CROSS JOIN LATERAL (SELECT
  CASE WHEN c.first_name = v.first_name
         OR registry_name_key(c.first_name) = registry_name_key(v.first_name)
       THEN c.first_name ELSE v.first_name END AS first_name,
  CASE WHEN c.last_name = v.last_name
         OR registry_name_key(c.last_name) = registry_name_key(v.last_name)
       THEN c.last_name ELSE v.last_name END AS last_name,
  v.dob AS dob,
  coalesce(v.gender, c.gender) AS gender,
  CASE WHEN v.languages IS NULL THEN c.languages ELSE {_LANGUAGES} END AS languages,
  coalesce(v.sexual_orientation, c.sexual_orientation) AS sexual_orientation,
  coalesce(v.immigration_status, c.immigration_status) AS immigration_status
) n
WHERE NOT v.is_new
  AND (c.first_name, c.last_name, c.dob, c.gender, c.languages, c.sexual_orientation,
       c.immigration_status)
      IS DISTINCT FROM
      (n.first_name, n.last_name, n.dob, n.gender, n.languages, n.sexual_orientation,
       n.immigration_status);
"""

APPLY_CLIENT_UPDATES = """
UPDATE snippets_client c SET
  first_name = u.first_name, last_name = u.last_name, dob = u.dob, gender = u.gender,
  languages = u.languages, sexual_orientation = u.sexual_orientation,
  immigration_status = u.immigration_status, updated_at = now()
FROM ingest_client_updates u WHERE c.id = u.id;
"""

INSERT_SOURCE_IDS = """
INSERT INTO snippets_clientsourceid (client_id, source, uid_external, sort_order)
SELECT client_id, %(source)s, uid, NULL FROM ingest_client_values
WHERE uid IS NOT NULL AND NOT has_this_id;
"""

# Enrollments: one per (client, program, start); the last row giving an end date wins.
ENROLLMENTS = """
CREATE TEMP TABLE ingest_enrollments ON COMMIT DROP AS
SELECT DISTINCT ON (client_id, program_id, enrollment_start)
  client_id, program_id, enrollment_start AS start_date, enrollment_end AS end_date
FROM ingest_staged WHERE reject_reason IS NULL AND enrollment_start IS NOT NULL
ORDER BY client_id, program_id, enrollment_start, enrollment_end IS NULL, row_number DESC;

CREATE TEMP TABLE ingest_enrollment_updates ON COMMIT DROP AS
SELECT e.id, e.has_unpublished_changes AS has_draft, n.end_date
FROM ingest_enrollments n
JOIN snippets_clientprogramenrollment e
  ON e.client_id = n.client_id AND e.program_id = n.program_id AND e.start_date = n.start_date
WHERE n.end_date IS NOT NULL AND e.end_date IS DISTINCT FROM n.end_date;
"""

APPLY_ENROLLMENT_UPDATES = """
UPDATE snippets_clientprogramenrollment e SET end_date = u.end_date, updated_at = now()
FROM ingest_enrollment_updates u WHERE e.id = u.id;
"""

INSERT_ENROLLMENTS = f"""
INSERT INTO snippets_clientprogramenrollment (id, client_id, program_id, start_date, end_date,
  {PUBLISHED_COLUMNS})
SELECT registry_uuid7(), n.client_id, n.program_id, n.start_date, n.end_date, {PUBLISHED_VALUES}
FROM ingest_enrollments n
WHERE NOT EXISTS (
  SELECT 1 FROM snippets_clientprogramenrollment e
  WHERE e.client_id = n.client_id AND e.program_id = n.program_id
    AND e.start_date = n.start_date);
"""

COUNT_ENROLLMENTS = "SELECT count(*) FROM ingest_enrollments"

# Intakes: one per (client, program, date, source); nothing else to update.
INSERT_INTAKES = f"""
WITH intakes AS (
  SELECT DISTINCT client_id, program_id, intake_date FROM ingest_staged
  WHERE reject_reason IS NULL AND intake_date IS NOT NULL
), inserted AS (
  INSERT INTO snippets_intake (id, client_id, program_id, intake_date, source_system,
    {PUBLISHED_COLUMNS})
  SELECT registry_uuid7(), n.client_id, n.program_id, n.intake_date, %(source)s,
    {PUBLISHED_VALUES}
  FROM intakes n
  WHERE NOT EXISTS (
    SELECT 1 FROM snippets_intake i
    WHERE i.client_id = n.client_id AND i.program_id = n.program_id
      AND i.intake_date = n.intake_date AND i.source_system = %(source)s)
  RETURNING 1
)
SELECT (SELECT count(*) FROM intakes), (SELECT count(*) FROM inserted);
"""

# Discharges: one per (client, program, date); the last row giving a reason wins.
DISCHARGES = """
CREATE TEMP TABLE ingest_discharges ON COMMIT DROP AS
SELECT DISTINCT ON (client_id, program_id, discharge_date)
  client_id, program_id, discharge_date, discharge_reason AS reason
FROM ingest_staged WHERE reject_reason IS NULL AND discharge_date IS NOT NULL
ORDER BY client_id, program_id, discharge_date, discharge_reason IS NULL, row_number DESC;

CREATE TEMP TABLE ingest_discharge_updates ON COMMIT DROP AS
SELECT d.id, d.has_unpublished_changes AS has_draft, n.reason
FROM ingest_discharges n
JOIN snippets_discharge d
  ON d.client_id = n.client_id AND d.program_id = n.program_id
 AND d.discharge_date = n.discharge_date
WHERE n.reason IS NOT NULL AND d.reason IS DISTINCT FROM n.reason;
"""

APPLY_DISCHARGE_UPDATES = """
UPDATE snippets_discharge d SET reason = u.reason, updated_at = now()
FROM ingest_discharge_updates u WHERE d.id = u.id;
"""

INSERT_DISCHARGES = f"""
INSERT INTO snippets_discharge (id, client_id, program_id, discharge_date, reason,
  {PUBLISHED_COLUMNS})
SELECT registry_uuid7(), n.client_id, n.program_id, n.discharge_date, coalesce(n.reason, ''),
  {PUBLISHED_VALUES}
FROM ingest_discharges n
WHERE NOT EXISTS (
  SELECT 1 FROM snippets_discharge d
  WHERE d.client_id = n.client_id AND d.program_id = n.program_id
    AND d.discharge_date = n.discharge_date);
"""

COUNT_DISCHARGES = "SELECT count(*) FROM ingest_discharges"

REJECTED_ROWS = """
SELECT row_number, reject_reason, reject_message, candidates
FROM ingest_staged WHERE reject_reason IS NOT NULL ORDER BY row_number;
"""

REJECT_COUNTS = """
SELECT reject_reason, count(*) FROM ingest_staged
WHERE reject_reason IS NOT NULL GROUP BY 1 ORDER BY 1;
"""

MATCH_COUNTS = """
SELECT coalesce(matched_by, 'new'), count(*) FROM ingest_staged
WHERE reject_reason IS NULL GROUP BY 1;
"""

ROW_OUTCOMES = """
SELECT row_number, client_id, matched_by, reject_reason, candidates
FROM ingest_staged ORDER BY row_number;
"""
