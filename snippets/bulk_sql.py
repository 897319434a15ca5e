"""The set-based writes behind snippets.services.registry_records_write: clients, their
source ids, enrollments, intakes and discharges from a table of checked, matched rows, each
one statement over all rows, as Wagtail's draft and live columns require.

``__staged__`` stands for the caller's table of rows (replaced before running: see the
service for its columns); ``%(source)s`` is the outside system (SMIS, ...). The work tables
are temporary and dropped at commit, so a killed run leaves nothing behind.
"""

STAGED = "__staged__"

WORK_TABLES = (
    "registry_write_client_values",
    "registry_write_client_updates",
    "registry_write_enrollments",
    "registry_write_enrollment_updates",
    "registry_write_discharges",
    "registry_write_discharge_updates",
)

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
CREATE TEMP TABLE registry_write_client_values ON COMMIT DROP AS
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
     FILTER (WHERE immigration_status IS NOT NULL))[1] AS immigration_status,
  (array_agg(middle_name ORDER BY row_number DESC)
     FILTER (WHERE middle_name IS NOT NULL))[1] AS middle_name,
  (array_agg(postal_code ORDER BY row_number DESC)
     FILTER (WHERE postal_code IS NOT NULL))[1] AS postal_code,
  (array_agg(street_address ORDER BY row_number DESC)
     FILTER (WHERE street_address IS NOT NULL))[1] AS street_address,
  (array_agg(phone ORDER BY row_number DESC) FILTER (WHERE phone IS NOT NULL))[1] AS phone
FROM __staged__ WHERE reject_reason IS NULL
GROUP BY coalesce(client_id::text, new_group);

UPDATE __staged__ s SET client_id = v.client_id
FROM registry_write_client_values v WHERE v.is_new AND s.new_group = v.new_group;
"""

_LANGUAGES = "ARRAY(SELECT jsonb_array_elements_text(v.languages))::varchar(100)[]"

INSERT_NEW_CLIENTS = f"""
INSERT INTO snippets_client (id, first_name, last_name, dob, gender, languages,
  sexual_orientation, immigration_status, middle_name, postal_code, street_address, phone,
  extra_demographics, {PUBLISHED_COLUMNS})
SELECT v.client_id, v.first_name, v.last_name, v.dob, coalesce(v.gender, ''),
  CASE WHEN v.languages IS NULL THEN '{{}}' ELSE {_LANGUAGES} END,
  coalesce(v.sexual_orientation, ''), coalesce(v.immigration_status, ''),
  coalesce(v.middle_name, ''), coalesce(v.postal_code, ''), coalesce(v.street_address, ''),
  coalesce(v.phone, ''), '{{}}',
  {PUBLISHED_VALUES}
FROM registry_write_client_values v WHERE v.is_new;
"""

# A name that compares equal (case, accents, spacing) keeps the registry's spelling: an
# export in capitals must not strip the accents staff typed.
PROPOSE_CLIENT_UPDATES = f"""
CREATE TEMP TABLE registry_write_client_updates ON COMMIT DROP AS
SELECT c.id, c.has_unpublished_changes AS has_draft, n.*
FROM registry_write_client_values v
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
  coalesce(v.immigration_status, c.immigration_status) AS immigration_status,
  coalesce(v.middle_name, c.middle_name) AS middle_name,
  coalesce(v.postal_code, c.postal_code) AS postal_code,
  coalesce(v.street_address, c.street_address) AS street_address,
  coalesce(v.phone, c.phone) AS phone
) n
WHERE NOT v.is_new
  AND (c.first_name, c.last_name, c.dob, c.gender, c.languages, c.sexual_orientation,
       c.immigration_status, c.middle_name, c.postal_code, c.street_address, c.phone)
      IS DISTINCT FROM
      (n.first_name, n.last_name, n.dob, n.gender, n.languages, n.sexual_orientation,
       n.immigration_status, n.middle_name, n.postal_code, n.street_address, n.phone);
"""

APPLY_CLIENT_UPDATES = """
UPDATE snippets_client c SET
  first_name = u.first_name, last_name = u.last_name, dob = u.dob, gender = u.gender,
  languages = u.languages, sexual_orientation = u.sexual_orientation,
  immigration_status = u.immigration_status, middle_name = u.middle_name,
  postal_code = u.postal_code, street_address = u.street_address, phone = u.phone,
  updated_at = now()
FROM registry_write_client_updates u WHERE c.id = u.id;
"""

INSERT_SOURCE_IDS = """
INSERT INTO snippets_clientsourceid (client_id, source, uid_external, sort_order)
SELECT client_id, %(source)s, uid, NULL FROM registry_write_client_values
WHERE uid IS NOT NULL AND NOT has_this_id;
"""

# Enrollments: one per (client, program, start); the last row giving an end date wins.
ENROLLMENTS = """
CREATE TEMP TABLE registry_write_enrollments ON COMMIT DROP AS
SELECT DISTINCT ON (client_id, program_id, enrollment_start)
  client_id, program_id, enrollment_start AS start_date, enrollment_end AS end_date
FROM __staged__ WHERE reject_reason IS NULL AND enrollment_start IS NOT NULL
ORDER BY client_id, program_id, enrollment_start, enrollment_end IS NULL, row_number DESC;

CREATE TEMP TABLE registry_write_enrollment_updates ON COMMIT DROP AS
SELECT e.id, e.has_unpublished_changes AS has_draft, n.end_date
FROM registry_write_enrollments n
JOIN snippets_clientprogramenrollment e
  ON e.client_id = n.client_id AND e.program_id = n.program_id AND e.start_date = n.start_date
WHERE n.end_date IS NOT NULL AND e.end_date IS DISTINCT FROM n.end_date;
"""

APPLY_ENROLLMENT_UPDATES = """
UPDATE snippets_clientprogramenrollment e SET end_date = u.end_date, updated_at = now()
FROM registry_write_enrollment_updates u WHERE e.id = u.id;
"""

INSERT_ENROLLMENTS = f"""
INSERT INTO snippets_clientprogramenrollment (id, client_id, program_id, start_date, end_date,
  {PUBLISHED_COLUMNS})
SELECT registry_uuid7(), n.client_id, n.program_id, n.start_date, n.end_date, {PUBLISHED_VALUES}
FROM registry_write_enrollments n
WHERE NOT EXISTS (
  SELECT 1 FROM snippets_clientprogramenrollment e
  WHERE e.client_id = n.client_id AND e.program_id = n.program_id
    AND e.start_date = n.start_date);
"""

COUNT_ENROLLMENTS = "SELECT count(*) FROM registry_write_enrollments"

# Intakes: one per (client, program, date, source); nothing else to update.
INSERT_INTAKES = f"""
WITH intakes AS (
  SELECT DISTINCT client_id, program_id, intake_date FROM __staged__
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
CREATE TEMP TABLE registry_write_discharges ON COMMIT DROP AS
SELECT DISTINCT ON (client_id, program_id, discharge_date)
  client_id, program_id, discharge_date, discharge_reason AS reason
FROM __staged__ WHERE reject_reason IS NULL AND discharge_date IS NOT NULL
ORDER BY client_id, program_id, discharge_date, discharge_reason IS NULL, row_number DESC;

CREATE TEMP TABLE registry_write_discharge_updates ON COMMIT DROP AS
SELECT d.id, d.has_unpublished_changes AS has_draft, n.reason
FROM registry_write_discharges n
JOIN snippets_discharge d
  ON d.client_id = n.client_id AND d.program_id = n.program_id
 AND d.discharge_date = n.discharge_date
WHERE n.reason IS NOT NULL AND d.reason IS DISTINCT FROM n.reason;
"""

APPLY_DISCHARGE_UPDATES = """
UPDATE snippets_discharge d SET reason = u.reason, updated_at = now()
FROM registry_write_discharge_updates u WHERE d.id = u.id;
"""

INSERT_DISCHARGES = f"""
INSERT INTO snippets_discharge (id, client_id, program_id, discharge_date, reason,
  {PUBLISHED_COLUMNS})
SELECT registry_uuid7(), n.client_id, n.program_id, n.discharge_date, coalesce(n.reason, ''),
  {PUBLISHED_VALUES}
FROM registry_write_discharges n
WHERE NOT EXISTS (
  SELECT 1 FROM snippets_discharge d
  WHERE d.client_id = n.client_id AND d.program_id = n.program_id
    AND d.discharge_date = n.discharge_date);
"""

COUNT_DISCHARGES = "SELECT count(*) FROM registry_write_discharges"
