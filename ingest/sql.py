"""The import's SQL: staging and matching, each one statement over all rows. The writing
is the snippets app's (snippets.services.registry_records_write).

Everything runs in one transaction (services.py); temporary tables hold the file's rows and
the intermediate results, so a killed run leaves nothing behind and personal data from the
file is not kept after the run. Parameters: %(source)s is the outside system (SMIS, ...).
"""

from identity.linkage import rules as linkage_rules

# --- Staging ---------------------------------------------------------------------------
from snippets.models import CLIENT_FIELDS, CLIENT_MATCHING_FIELDS

from . import messages
from .messages import sql_literal

# The client's columns in the order snippets.models.CLIENT_FIELDS and CLIENT_MATCHING_FIELDS
# declare them (the CREATE TEMP TABLE below names them in that order too).
STAGING_COLUMNS = (
    "row_number",
    "uid",
    *CLIENT_FIELDS,
    *CLIENT_MATCHING_FIELDS,
    "program_id",
    "enrollment_start",
    "enrollment_end",
    "intake_date",
    "discharge_date",
    "discharge_reason",
    "reject_reason",
    "reject_message",
    "row_digest",
)

CREATE_STAGING = """
DROP TABLE IF EXISTS ingest_raw, ingest_staged, ingest_review;
CREATE TEMP TABLE ingest_raw (
  row_number integer NOT NULL,
  uid text, first_name text, last_name text, dob date, gender text, languages text[],
  sexual_orientation text, immigration_status text,
  middle_name text, postal_code text, street_address text, phone text, program_id uuid,
  enrollment_start date, enrollment_end date, intake_date date, discharge_date date,
  discharge_reason text,
  reject_reason text, reject_message text, row_digest uuid
) ON COMMIT DROP;
"""

COPY_STAGING = f"COPY ingest_raw ({', '.join(STAGING_COLUMNS)}) FROM STDIN"

# The same row (after trimming cells) earlier in the file: found here, over the whole file,
# so the reader remembers nothing of the rows it has streamed. The first occurrence is
# taken (or rejected for its own fault); later ones are duplicate_row, whatever else they
# carry, as the reader would have said before checking their cells.
MARK_DUPLICATE_ROWS = f"""
UPDATE ingest_raw r SET
  reject_reason = 'duplicate_row',
  reject_message = {sql_literal(messages.DUPLICATE_ROW)}
FROM (SELECT row_digest, min(row_number) AS first_row FROM ingest_raw
      WHERE row_digest IS NOT NULL GROUP BY row_digest HAVING count(*) > 1) d
WHERE r.row_digest = d.row_digest AND r.row_number > d.first_row;
"""

# The rows as matching works on them, with their name keys, and already matched by rule 1
# below. (The rejects file takes a rejected row's original cells from the file itself.)
# 1. The id in the source system, when this source already gave it to a client.
STAGE_AND_MATCH_BY_SOURCE_ID = """
CREATE TEMP TABLE ingest_staged ON COMMIT DROP AS
SELECT r.row_number, r.uid, r.first_name, r.last_name, r.dob, r.gender, r.languages,
  r.sexual_orientation, r.immigration_status, r.middle_name, r.postal_code,
  r.street_address, r.phone, r.program_id, r.enrollment_start,
  r.enrollment_end, r.intake_date, r.discharge_date, r.discharge_reason,
  r.reject_reason, r.reject_message, NULL::uuid[] AS candidates,
  -- Remembers a person's decision about this row (identity.models.PossibleMatch.row_key).
  md5(concat_ws('|', %(source)s, r.uid, upper(r.first_name), upper(r.last_name), r.dob))
    AS row_key,
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

# A source id is strong evidence, not proof: when the client it names differs from the row
# in two of first name, last name and date of birth (a name that sounds alike, a typo,
# swapped names or a swapped day and month count as agreeing), it is another person under
# a reused or mistyped id. The row goes to review and changes nothing of that client. One
# change alone (a new surname, a corrected birthday) is a correction and is taken.
CHECK_SOURCE_ID_LINKS = f"""
UPDATE ingest_staged s SET
  reject_reason = 'possible_match',
  reject_message = {sql_literal(messages.SOURCE_ID_OTHER_PERSON)},
  candidates = ARRAY[s.client_id], client_id = NULL, matched_by = NULL
FROM (
  -- Each of the four names folded once (registry_name_level folds both sides at each of
  -- its four comparisons): the same levels.
  SELECT row_number, dob, client_dob, registry_folded_name_level(first, client_first) AS ff,
    registry_folded_name_level(first, client_last) AS fl,
    registry_folded_name_level(last, client_last) AS ll,
    registry_folded_name_level(last, client_first) AS lf
  FROM (SELECT s.row_number, s.dob, c.dob AS client_dob,
          registry_fold_name(s.first_name) AS first, registry_fold_name(s.last_name) AS last,
          registry_fold_name(c.first_name) AS client_first,
          registry_fold_name(c.last_name) AS client_last
        FROM ingest_staged s JOIN snippets_client c ON c.id = s.client_id
        WHERE s.matched_by = 'uid' OFFSET 0) folded
) n
WHERE s.row_number = n.row_number
  AND (CASE WHEN greatest(n.ff, n.fl) >= 2 THEN 0 ELSE 1 END
     + CASE WHEN greatest(n.ll, n.lf) >= 2 THEN 0 ELSE 1 END
     + CASE WHEN registry_dob_level(n.dob, n.client_dob) >= 2 THEN 0 ELSE 1 END) >= 2;
"""

# A person already decided about this very row (same source, id, names and birthday):
# link to the client they chose or created, without asking again.
APPLY_REMEMBERED_DECISIONS = """
WITH decided AS (
  SELECT DISTINCT ON (m.row_key) m.row_key, m.decided_client_id
  FROM identity_possiblematch m
  JOIN snippets_client c ON c.id = m.decided_client_id AND c.live
  WHERE m.kind = 'import_row' AND m.status IN ('linked', 'new_person')
    AND m.row_key IN (SELECT row_key FROM ingest_staged WHERE client_id IS NULL)
  ORDER BY m.row_key, m.decided_at DESC NULLS LAST
)
UPDATE ingest_staged s SET
  client_id = d.decided_client_id, matched_by = 'decision',
  reject_reason = NULL, reject_message = NULL, candidates = NULL
FROM decided d
WHERE d.row_key = s.row_key AND s.client_id IS NULL
  AND (s.reject_reason IS NULL OR s.reject_reason = 'possible_match');
"""

# The records the linkage scores (identity/linkage/): rows still without a client, and
# the rows sent to review by the source-id check (so their review lists other candidates
# too). The client their id names is scored with them (EXTRA_PAIRS).
LINKAGE_RECORDS = """
SELECT row_number AS rid, first_name, middle_name, last_name, dob, postal_code,
  street_address, phone
FROM ingest_staged
WHERE client_id IS NULL AND (reject_reason IS NULL OR reject_reason = 'possible_match')
"""
LINKAGE_EXTRA_PAIRS = """
SELECT row_number AS rid, candidates[1] AS client_id FROM ingest_staged
WHERE reject_reason = 'possible_match' AND candidates IS NOT NULL
"""

# Each row's best candidate decides: linked automatically when its posterior probability
# reaches the link threshold and the evidence is of a kind a near-namesake or a twin cannot
# produce (identity.linkage.rules: names and birthday exact, one field near backed by the
# same phone or address, or a first name typed with a slip that is no given name, at the
# same address), unless that client has another id from this source (ids of
# one source never conflict); sent to review from the review threshold; otherwise a new
# person. A row without an id may link to a client with one: exports often leave the id out.
DECIDE_BY_SCORE = f"""
WITH best AS (
  SELECT r.rid, r.client_id, r.probability,
         r.probability >= %(link)s
         AND {linkage_rules.link_rule_sql("r", "s.first_name")} IS NOT NULL
         AND NOT EXISTS (
           SELECT 1 FROM snippets_clientsourceid sid
           WHERE sid.client_id = r.client_id AND sid.source = %(source)s
             AND sid.uid_external IS DISTINCT FROM s.uid AND s.uid IS NOT NULL) AS links
  FROM ingest_ranked r JOIN ingest_staged s ON s.row_number = r.rid
  WHERE r.rank = 1
)
UPDATE ingest_staged s SET
  client_id = CASE WHEN b.links THEN b.client_id END,
  matched_by = CASE WHEN b.links THEN 'score' END,
  reject_reason = CASE WHEN b.links THEN NULL ELSE 'possible_match' END,
  reject_message = CASE WHEN b.links THEN NULL
    ELSE {sql_literal(messages.PERHAPS_A_CLIENT)} END
FROM best b
WHERE b.rid = s.row_number AND s.client_id IS NULL AND s.reject_reason IS NULL
  AND b.probability >= %(review)s;
"""

# Two different ids from this source cannot both land on one client by their scores.
REJECT_NAME_LINKS_WITH_SEVERAL_IDS = f"""
WITH crowded AS (
  SELECT client_id FROM ingest_staged
  WHERE matched_by = 'score' AND uid IS NOT NULL
  GROUP BY client_id HAVING count(DISTINCT uid) > 1
)
UPDATE ingest_staged s SET
  reject_reason = 'ambiguous',
  reject_message = {sql_literal(messages.IDS_SHARE_A_CLIENT)},
  candidates = ARRAY[s.client_id], client_id = NULL, matched_by = NULL
FROM crowded c WHERE s.client_id = c.client_id AND s.matched_by = 'score';
"""

# New people: rows with the same id from this source are one person; rows without an id
# join the one id-carrying person with their name key and birthday, or form their own.
GROUP_NEW_PEOPLE = f"""
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
  reject_message = CASE WHEN p.ids > 1 THEN {sql_literal(messages.SAME_PERSON_SEVERAL_IDS)} END
FROM people p
WHERE s.client_id IS NULL AND s.reject_reason IS NULL
  AND p.person = s.first_key || '|' || s.last_key || '|' || s.dob;
"""

# One id from this source must lead to one client. When its rows in this file end in
# different places (two clients, or a client and a new person, or one of them rejected),
# none of them is taken.
REJECT_SPLIT_IDS = f"""
WITH split AS (
  SELECT uid FROM ingest_staged
  WHERE uid IS NOT NULL
    AND (reject_reason IS NULL OR reject_reason IN ('ambiguous', 'possible_match'))
  GROUP BY uid
  HAVING count(DISTINCT coalesce(client_id::text, new_group, 'rejected')) > 1
)
UPDATE ingest_staged s SET
  reject_reason = 'ambiguous',
  reject_message = {sql_literal(messages.ID_SPLIT)},
  candidates = coalesce(s.candidates, CASE WHEN s.client_id IS NOT NULL
                                           THEN ARRAY[s.client_id] END),
  client_id = NULL, matched_by = NULL, new_group = NULL
FROM split x
WHERE s.uid = x.uid
  AND (s.reject_reason IS NULL OR s.reject_reason IN ('ambiguous', 'possible_match'));
"""

# --- Review ----------------------------------------------------------------------------

# Rows for a person: review items (identity.models.PossibleMatch) instead of the rejects
# file. Rows that were never scored (sent to review after linking by id) are scored
# against the clients they name, so every item's candidates carry score and evidence.
REVIEW_UNSCORED_RECORDS = """
SELECT row_number AS rid, first_name, middle_name, last_name, dob, postal_code,
  street_address, phone
FROM ingest_staged s
WHERE reject_reason IN ('ambiguous', 'possible_match') AND candidates IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ingest_ranked r WHERE r.rid = s.row_number)
"""
REVIEW_UNSCORED_PAIRS = """
SELECT row_number AS rid, unnest(candidates) AS client_id FROM ingest_staged s
WHERE reject_reason IN ('ambiguous', 'possible_match') AND candidates IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ingest_ranked r WHERE r.rid = s.row_number)
"""
MERGE_UNSCORED_RANKED = """
INSERT INTO ingest_ranked SELECT * FROM ingest_review_scoring_ranked;
"""

REVIEW_ROWS = """
SELECT row_number FROM ingest_staged
WHERE reject_reason IN ('ambiguous', 'possible_match') ORDER BY row_number
"""


CREATE_REVIEW = """
CREATE TEMP TABLE ingest_review (row_number integer PRIMARY KEY, id uuid NOT NULL,
  row_values jsonb NOT NULL) ON COMMIT DROP;
"""
COPY_REVIEW = "COPY ingest_review (row_number, id, row_values) FROM STDIN"

# The candidates each item lists: the client a guard named, and the best few others whose
# probability is worth a look; ranked by score.
REVIEW_CANDIDATES = """
CREATE TEMP TABLE ingest_review_candidates ON COMMIT DROP AS
SELECT v.id AS possible_match_id, r.client_id, r.score, r.probability, {evidence} AS evidence,
  row_number() OVER (PARTITION BY v.id ORDER BY r.score DESC, r.client_id) AS rank
FROM ingest_review v
JOIN ingest_staged s ON s.row_number = v.row_number
JOIN ingest_ranked r ON r.rid = v.row_number
WHERE r.rank <= 5 AND (r.probability >= %(candidate)s OR r.client_id = ANY(s.candidates));
"""

# The same row already waiting with the same cells is not asked twice.
DROP_ALREADY_WAITING = """
DELETE FROM ingest_review v USING ingest_staged s
WHERE s.row_number = v.row_number AND EXISTS (
  SELECT 1 FROM identity_possiblematch m
  WHERE m.row_key = s.row_key AND m.kind = 'import_row' AND m.status IN ('open', 'not_sure')
    AND m.row_values = v.row_values);
"""

INSERT_REVIEW_ITEMS = """
INSERT INTO identity_possiblematch (id, kind, status, created_at, run_id, source, row_number,
  row_key, row_values, top_score, decision_note)
SELECT v.id, 'import_row', 'open', now(), %(run)s, %(source)s, v.row_number, s.row_key,
  v.row_values, top.score, ''
FROM ingest_review v JOIN ingest_staged s ON s.row_number = v.row_number
-- Each item's best score, grouped once: a subquery per item scanned every candidate of
-- the file for each item (25,000 items of a city-scale file: minutes).
LEFT JOIN (SELECT possible_match_id, max(score) AS score FROM ingest_review_candidates
           GROUP BY possible_match_id) top ON top.possible_match_id = v.id;

INSERT INTO identity_matchcandidate (possible_match_id, client_id, rank, score, probability,
  evidence)
SELECT possible_match_id, client_id, rank, score, probability, evidence
FROM ingest_review_candidates;

UPDATE ingest_staged s SET candidates = c.ids
FROM (SELECT v.row_number, array_agg(c.client_id ORDER BY c.rank) AS ids
      FROM ingest_review v JOIN ingest_review_candidates c ON c.possible_match_id = v.id
      GROUP BY v.row_number) c
WHERE c.row_number = s.row_number;
"""

# Each automatic link keeps the score and evidence it was made on.
INSERT_AUTOMATIC_LINKS = """
INSERT INTO identity_automaticlink (run_id, row_number, client_id, score, probability, evidence)
SELECT %(run)s, s.row_number, s.client_id, r.score, r.probability, {evidence}
FROM ingest_staged s JOIN ingest_ranked r ON r.rid = s.row_number AND r.client_id = s.client_id
WHERE s.matched_by = 'score' AND s.reject_reason IS NULL;
"""

# Bad input only: rows for a person are review items.
REJECTED_ROWS = """
SELECT row_number, reject_reason, reject_message, candidates
FROM ingest_staged
WHERE reject_reason IS NOT NULL AND reject_reason NOT IN ('ambiguous', 'possible_match')
ORDER BY row_number
"""

REJECT_COUNTS = """
SELECT reject_reason, count(*) FROM ingest_staged
WHERE reject_reason IS NOT NULL GROUP BY 1 ORDER BY 1;
"""
REVIEW_REASONS = ("ambiguous", "possible_match")

MATCH_COUNTS = """
SELECT coalesce(matched_by, 'new'), count(*) FROM ingest_staged
WHERE reject_reason IS NULL GROUP BY 1;
"""

ROW_OUTCOMES = """
SELECT row_number, client_id, matched_by, reject_reason, candidates
FROM ingest_staged ORDER BY row_number;
"""
