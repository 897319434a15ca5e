"""The linkage's SQL, set-based: candidate pairs by blocking, a comparison vector per
pair, match weights with term frequencies, and the evidence of each pair.

The statements work on two temporary tables named by the caller:

- a *records* table (``rid`` and RECORD_COLUMNS): the import's rows, or live clients
  when looking for duplicates; ``prepare_records`` adds the blocking keys;
- a *pairs* table (``rid``, ``client_id``): candidates, from ``block_pairs``.

``score_pairs`` turns pairs into (rid, client_id, levels..., score); ``rank_candidates``
adds each candidate's posterior probability given the others and the prior odds.
"""

import csv
from functools import lru_cache
from pathlib import Path

from .fields import BY_NAME, FIELDS, NAME_LEVELS, RECORD_COLUMNS
from .parameters import Parameters

NICKNAMES_PATH = Path(__file__).with_name("nicknames.csv")
NAME_EXACT = NAME_LEVELS.index("exact")
NAME_TYPO = NAME_LEVELS.index("typo")
FIRST_LEVELS = BY_NAME["first_name"].levels
FIRST_EXACT = FIRST_LEVELS.index("exact")
FIRST_NICKNAME = FIRST_LEVELS.index("nickname")
FIRST_INITIAL = FIRST_LEVELS.index("same initial")
# Fields a household shares: twins and siblings live at one address.
HOUSEHOLD_FIELDS = ("postal_code", "street_address")

_FOLD = "registry_fold_name({})"


def prepare_records(select_sql: str, table: str) -> str:
    """CREATE a records table from ``select_sql`` (giving rid and RECORD_COLUMNS), with
    the blocking keys: folded names, the birthday with day and month swapped, the same
    day in years one digit off or with the last two digits swapped, and the dates of the
    same year one digit of the month or day off (or two of them swapped)."""
    columns = ", ".join(RECORD_COLUMNS)
    return f"""
DROP TABLE IF EXISTS {table};
CREATE TEMP TABLE {table} ON COMMIT DROP AS
SELECT rid, {columns},
  registry_fold_name(first_name) AS first_fold, registry_fold_name(last_name) AS last_fold,
  registry_name_key(first_name) AS first_key, registry_name_key(last_name) AS last_key,
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
  ) AS year_typos,
  -- Each digit of the month and day (MMDD) replaced by 0-9, then each two adjacent ones
  -- swapped, in arithmetic on the month and day (the same dates as writing YYYYMMDD out
  -- and overlaying it, checked for every date of 1900-2030, nine times cheaper).
  ARRAY(
    SELECT DISTINCT make_date(y, m, d)
    FROM (SELECT extract(year FROM dob)::int AS y, extract(month FROM dob)::int AS m0,
                 extract(day FROM dob)::int AS d0 OFFSET 0) birthday
    CROSS JOIN LATERAL (
      SELECT g * 10 + m0 % 10, d0 FROM generate_series(0, 9) g
      UNION ALL SELECT m0 / 10 * 10 + g, d0 FROM generate_series(0, 9) g
      UNION ALL SELECT m0, g * 10 + d0 % 10 FROM generate_series(0, 9) g
      UNION ALL SELECT m0, d0 / 10 * 10 + g FROM generate_series(0, 9) g
      UNION ALL SELECT m0 % 10 * 10 + m0 / 10, d0
      UNION ALL SELECT m0 / 10 * 10 + d0 / 10, m0 % 10 * 10 + d0 % 10
      UNION ALL SELECT m0, d0 % 10 * 10 + d0 / 10) typed(m, d)
    WHERE d >= 1
      AND d <= CASE WHEN m BETWEEN 1 AND 12
                    THEN extract(day FROM make_date(y, m, 1) + interval '1 month - 1 day')
                    ELSE 0 END
      AND (m, d) <> (m0, d0)
  ) AS date_typos
FROM ({select_sql}) source;
ALTER TABLE {table} ADD PRIMARY KEY (rid);
ANALYZE {table};
"""


def _initials_meet(r: str, c: str) -> str:
    # Cheap first filter: a name of one starts with the initial of a name of the other
    # (covers typos after the first letter, swapped names, a new surname or a new first
    # name), before any edit distance is computed. ``c`` is _client_initials' alias.
    return (
        f"(left({r}.first_fold, 1) IN ({c}.first_initial, {c}.last_initial) "
        f"OR left({r}.last_fold, 1) IN ({c}.first_initial, {c}.last_initial))"
    )


def _client_initials(c: str, alias: str) -> str:
    # The candidate client's initials, each name folded once per joined client (written
    # into the test above, each fold ran up to twice per name).
    return (
        f"CROSS JOIN LATERAL (SELECT left({_FOLD.format(c + '.first_name')}, 1) AS first_initial, "
        f"left({_FOLD.format(c + '.last_name')}, 1) AS last_initial OFFSET 0) {alias}"
    )


def block_pairs(records: str, pairs: str, *, duplicates: bool = False) -> str:
    """CREATE the pairs table: live clients that share with a record

    1. its date of birth, or that date with day and month swapped, and an initial;
    2. its name keys (either order) and a birthday in the same year or the same day of a
       year with a digit wrong (served by client_name_key_dob);
    3. one name's key, the other name's initial, and a birthday one digit of the month or
       day off (or two swapped), or the same day of a year with a digit wrong: a typo in
       one name and a wrong digit of the birthday together (served by
       client_first_key_dob and client_last_key_dob: one range of the year per row, the
       dates filtered, so a common first name adds few pairs at city scale);
    4. its postal code and an initial (served by client_postal_code_idx).

    With ``duplicates`` the records are clients themselves: each pair once (lower id
    first) and never a client with itself.
    """
    other = "AND c.id > r.rid" if duplicates else ""
    return f"""
DROP TABLE IF EXISTS {pairs};
CREATE TEMP TABLE {pairs} ON COMMIT DROP AS
SELECT DISTINCT rid, client_id FROM (
  SELECT r.rid, c.id AS client_id
  FROM {records} r
  CROSS JOIN LATERAL (VALUES (r.dob), (r.dob_swapped)) AS birthday(dob)
  JOIN snippets_client c ON c.dob = birthday.dob
  {_client_initials("c", "ci")}
  WHERE c.live {other} AND {_initials_meet("r", "ci")}
  UNION ALL
  -- Rule 2: one look-up of the name keys per order (the index's leading columns), the
  -- birthdays filtered: the same year, or the same day of a year with a digit wrong.
  SELECT r.rid, c.id
  FROM {records} r
  CROSS JOIN LATERAL (VALUES (r.last_key, r.first_key, false),
                             (r.first_key, r.last_key, true)) AS n(lk, fk, swapped)
  JOIN snippets_client c
    ON registry_name_key(c.last_name) = n.lk AND registry_name_key(c.first_name) = n.fk
  WHERE c.live {other}
    AND ((c.dob BETWEEN r.year_start AND r.year_end AND (n.swapped OR c.dob <> r.dob))
         OR c.dob = ANY(r.year_typos))
  UNION ALL
  -- Rule 3: the dates of the year a digit off by one range of the index (they share the
  -- year), the same day in years a digit off by one index scan over the list.
  SELECT r.rid, c.id
  FROM {records} r
  JOIN snippets_client c
    ON registry_name_key(c.first_name) = r.first_key
   AND left(registry_name_key(c.last_name), 1) = left(r.last_key, 1)
   AND c.dob BETWEEN r.year_start AND r.year_end
  WHERE c.live {other} AND c.dob = ANY(r.date_typos)
  UNION ALL
  SELECT r.rid, c.id
  FROM {records} r
  JOIN snippets_client c
    ON registry_name_key(c.first_name) = r.first_key
   AND left(registry_name_key(c.last_name), 1) = left(r.last_key, 1)
   AND c.dob = ANY(r.year_typos)
  WHERE c.live {other}
  UNION ALL
  SELECT r.rid, c.id
  FROM {records} r
  JOIN snippets_client c
    ON registry_name_key(c.last_name) = r.last_key
   AND left(registry_name_key(c.first_name), 1) = left(r.first_key, 1)
   AND c.dob BETWEEN r.year_start AND r.year_end
  WHERE c.live {other} AND c.dob = ANY(r.date_typos)
  UNION ALL
  SELECT r.rid, c.id
  FROM {records} r
  JOIN snippets_client c
    ON registry_name_key(c.last_name) = r.last_key
   AND left(registry_name_key(c.first_name), 1) = left(r.first_key, 1)
   AND c.dob = ANY(r.year_typos)
  WHERE c.live {other}
  UNION ALL
  SELECT r.rid, c.id
  FROM {records} r
  JOIN snippets_client c ON c.postal_code = r.postal_code AND c.postal_code <> ''
  {_client_initials("c", "ci")}
  WHERE r.postal_code <> '' AND c.live {other} AND {_initials_meet("r", "ci")}
) blocked;
ANALYZE {pairs};
"""


def levels_select(records: str, pairs: str) -> str:
    """SELECT rid, client_id, swapped, a level per field, and the agreeing name keys.
    Needs linkage_nicknames (create_nicknames): a first name that is a usual short form
    of the other (and not exact) gets the nickname level."""
    other_fields = ",\n  ".join(f"{f.sql} AS {f.name}" for f in FIELDS if f.sql)
    # OFFSET 0 keeps each subquery from being flattened into its caller: flattened, every
    # reference to a level (the weights' CASE, the swap test) would compute it again.
    return f"""
SELECT p.rid, p.client_id, n.swapped,
  (CASE WHEN (CASE WHEN n.swapped THEN n.f2 ELSE n.f1 END) = {NAME_EXACT} THEN {FIRST_EXACT}
        WHEN NOT n.swapped AND EXISTS (
          SELECT 1 FROM linkage_nicknames a JOIN linkage_nicknames b ON b.grp = a.grp
          WHERE a.name = r.first_fold AND b.name = n.first_key)
        THEN {FIRST_NICKNAME}
        ELSE CASE WHEN n.swapped THEN n.f2 ELSE n.f1 END END)::smallint AS first_name,
  CASE WHEN n.swapped THEN n.l2 ELSE n.l1 END AS last_name,
  {other_fields},
  n.first_key, n.last_key
FROM {pairs} p
JOIN {records} r ON r.rid = p.rid
JOIN snippets_client c ON c.id = p.client_id
-- The candidate's names folded once per pair (the record's are, in prepare_records), each
-- in its own subquery so PostgreSQL can remember the folds of names it has seen (Memoize):
-- the levels are registry_name_level's, without folding both sides at each of the four.
CROSS JOIN LATERAL (SELECT registry_fold_name(c.first_name) AS name OFFSET 0) cf
CROSS JOIN LATERAL (SELECT registry_fold_name(c.last_name) AS name OFFSET 0) cl
CROSS JOIN LATERAL (
  SELECT f1, l1, f2, l2, coalesce(f2 + l2 > f1 + l1 AND least(f2, l2) >= 3, false) AS swapped,
    cf.name AS first_key, cl.name AS last_key
  FROM (SELECT f1, l1,
          CASE WHEN f1 + l1 < 7 THEN registry_folded_name_level(r.first_fold, cl.name) END
            AS f2,
          CASE WHEN f1 + l1 < 7 THEN registry_folded_name_level(r.last_fold, cf.name) END
            AS l2
        FROM (SELECT registry_folded_name_level(r.first_fold, cf.name) AS f1,
                     registry_folded_name_level(r.last_fold, cl.name) AS l1
              OFFSET 0) straight
        OFFSET 0) crossed
  OFFSET 0
) n
OFFSET 0
"""


@lru_cache(maxsize=1)
def _nickname_groups() -> tuple[list[str], list[str]]:
    names, groups = [], []
    with open(NICKNAMES_PATH, encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines):
            for name in row["forms"].split():
                names.append(name.replace("_", " "))
                groups.append(row["group"])
    return names, groups


def create_nicknames() -> tuple[str, list]:
    """SQL and arguments to fill linkage_nicknames (name, grp) from nicknames.csv, names
    folded as registry_fold_name folds them."""
    names, groups = _nickname_groups()
    return (
        """
DROP TABLE IF EXISTS linkage_nicknames;
CREATE TEMP TABLE linkage_nicknames ON COMMIT DROP AS
SELECT DISTINCT registry_fold_name(n) AS name, g AS grp
FROM unnest(%s::text[], %s::text[]) AS t(n, g) WHERE registry_fold_name(n) IS NOT NULL;
CREATE INDEX ON linkage_nicknames (name);
ANALYZE linkage_nicknames;
""",
        [names, groups],
    )


def _weight_case(params: Parameters, field) -> str:
    whens = " ".join(
        f"WHEN {level} THEN {params.weight(field.name, level):.6f}"
        for level in range(len(field.levels))
    )
    return f"CASE lv.{field.name} {whens} ELSE 0 END"


def _tf_weight(params: Parameters, field) -> str:
    """Exact agreement on a name weighs log2(m_exact / share of clients with that name):
    a common surname counts for less than a rare one."""
    exact = len(field.levels) - 1
    m_exact = max(params.m[field.name][exact], 1e-6)
    rare = params.rare_share.get(field.name) or params.u[field.name][exact]
    alias = f"tf_{field.name}"
    return (
        f"CASE WHEN lv.{field.name} = {exact} THEN "
        f"ln(({m_exact:.8f} / coalesce({alias}.share, {rare:.8f}))::float8) / ln(2.0::float8) "
        f"ELSE {_weight_case(params, field)} END"
    )


def create_term_frequencies(params: Parameters) -> tuple[str, list]:
    """SQL and arguments to fill linkage_tf (field, key, share) from the parameters."""
    fields, keys, shares = [], [], []
    for field, table in params.term_frequencies.items():
        for key, share in table.items():
            fields.append(field)
            keys.append(key)
            shares.append(share)
    return (
        """
DROP TABLE IF EXISTS linkage_tf;
CREATE TEMP TABLE linkage_tf ON COMMIT DROP AS
SELECT * FROM unnest(%s::text[], %s::text[], %s::float8[]) AS t(field, key, share);
ALTER TABLE linkage_tf ADD PRIMARY KEY (field, key);
""",
        [fields, keys, shares],
    )


def score_pairs(records: str, pairs: str, scored: str, params: Parameters) -> str:
    """CREATE ``scored``: per pair its levels, per-field weights and total score (bits).
    Needs linkage_tf (create_term_frequencies)."""
    weights = []
    for field in FIELDS:
        expression = (
            _tf_weight(params, field) if field.term_frequency else _weight_case(params, field)
        )
        if field.name in HOUSEHOLD_FIELDS:
            # The fields are not independent given non-match: two people with one surname
            # and different first names (twins, siblings, a parent) share an address far
            # more often than two people drawn at random. For such a pair the address is
            # no evidence that they are one person (it still counts against them when it
            # differs).
            expression = (
                f"CASE WHEN lv.first_name <= {FIRST_INITIAL} AND lv.last_name >= {NAME_TYPO} "
                f"AND lv.{field.name} > 0 THEN 0 ELSE {expression} END"
            )
        if field.name == "street_address":
            # A street address and a postal code that agree or differ together are one
            # piece of evidence, not two: people move house, and a household is one
            # address. The postal code's weight stands for both.
            expression = (
                "CASE WHEN (lv.street_address = 2 AND lv.postal_code = 2) "
                f"OR (lv.street_address = 0 AND lv.postal_code = 0) THEN 0 ELSE {expression} END"
            )
        weights.append(f"({expression})::float8 AS w_{field.name}")
    total = " + ".join(f"w_{f.name}" for f in FIELDS)
    tf_joins = "\n".join(
        f"LEFT JOIN linkage_tf tf_{f.name} ON tf_{f.name}.field = '{f.name}' "
        f"AND tf_{f.name}.key = lv.{'first_key' if f.name == 'first_name' else 'last_key'} "
        f"AND lv.{f.name} = {len(f.levels) - 1}"
        for f in FIELDS
        if f.term_frequency
    )
    tf_shares = ", ".join(
        f"tf_{f.name}.share AS share_{f.name}" for f in FIELDS if f.term_frequency
    )
    return f"""
DROP TABLE IF EXISTS {scored};
CREATE TEMP TABLE {scored} ON COMMIT DROP AS
SELECT w.*, {total} AS score FROM (
  SELECT lv.*, {", ".join(weights)}, {tf_shares}
  FROM ({levels_select(records, pairs)}) lv
  {tf_joins}
) w;
"""


def rank_candidates(scored: str, ranked: str, prior_log2_odds: float) -> str:
    """CREATE ``ranked``: each pair with its rank among the record's candidates and its
    posterior probability P_i = o_i / (1 + sum of o_j), o = prior odds x 2^score: the
    record is candidate i, another candidate, or nobody in the registry."""
    return f"""
DROP TABLE IF EXISTS {ranked};
CREATE TEMP TABLE {ranked} ON COMMIT DROP AS
SELECT s.*, o / (1 + sum(o) OVER (PARTITION BY rid)) AS probability,
  row_number() OVER (PARTITION BY rid ORDER BY score DESC, client_id) AS rank
FROM (SELECT *, power(2.0::float8, least(score + {prior_log2_odds:.6f}, 1000)) AS o
      FROM {scored}) s;
CREATE INDEX ON {ranked} (rid, rank);
ANALYZE {ranked};
"""


def evidence_sql(params: Parameters, alias: str = "s") -> str:
    """A jsonb expression over a scored/ranked row: the per-field evidence list
    [{"field", "level", "weight", "note"}], missing fields left out."""
    items = []
    for field in FIELDS:
        label_case = " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(field.levels))
        note = "NULL"
        if field.term_frequency:
            exact = len(field.levels) - 1
            typical = params.u[field.name][exact]
            share = f"coalesce({alias}.share_{field.name}, 0)"
            note = (
                f"CASE WHEN {alias}.{field.name} = {exact} THEN "
                f"CASE WHEN {share} >= {2 * typical:.8f} THEN 'common' "
                f"WHEN {share} <= {typical / 2:.8f} THEN 'rare' END END"
            )
        if field.name in ("first_name", "last_name"):
            note = (
                f"coalesce({note} || CASE WHEN {alias}.swapped THEN ', first and last swapped' "
                f"ELSE '' END, CASE WHEN {alias}.swapped THEN 'first and last swapped' END)"
            )
        items.append(
            f"('{field.name}', CASE {alias}.{field.name} {label_case} END, "
            f"round({alias}.w_{field.name}::numeric, 1), {note}, {alias}.{field.name})"
        )
    return f"""(SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
    'field', e.f, 'level', e.l, 'weight', e.w, 'note', e.n))), '[]'::jsonb)
  FROM (VALUES {", ".join(items)}) AS e(f, l, w, n, lvl) WHERE e.lvl IS NOT NULL)"""


def registry_size_sql() -> str:
    """The number of live clients, as the planner's statistics know it (exact counting a
    million rows each night buys nothing: the prior moves by log2 of it)."""
    return (
        "SELECT greatest(reltuples, (SELECT count(*) FROM (SELECT 1 FROM snippets_client "
        "WHERE live LIMIT 10000) few))::bigint "
        "FROM pg_class WHERE oid = 'snippets_client'::regclass"
    )
