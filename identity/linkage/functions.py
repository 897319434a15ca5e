"""The linkage's comparison functions, declared once for a database built from the models
(tests/schema_from_models.py); the identity migrations hold frozen copies (0007 the latest), and
tests/test_schema.py fails if the two differ.

Each returns a *level*: a small integer, higher is closer, NULL when either side has no
value (a missing cell is no evidence either way); fields.py names the levels. Phonetic keys
use dmetaphone only on plain-ASCII folded names: fuzzystrmatch misreads multibyte UTF-8.

The comparisons that fold both sides once are PL/pgSQL: a SQL function with a FROM clause
is never inlined, and PostgreSQL 15 runs such a function ten times slower per call than
the same body in PL/pgSQL (measured: 6.5 ms against 0.5 ms per name comparison on the
loaded machine), which made scoring 5,000 rows take minutes.

registry_fold_name and registry_phonetic are not STRICT (their bodies give NULL for NULL
anyway) so that PostgreSQL inlines them: a STRICT SQL function whose body holds a
non-strict construct (NULLIF, CASE) is never inlined and runs through the SQL-function
executor, five times slower per call (measured 26 against 5 µs a fold). For the same
reason a name level is computed by registry_folded_name_level over names folded once
(inlined where called with columns): registry_name_level folds both sides and calls it,
and the linkage's SQL, which holds each name folded already, calls it directly, so the
rule is written once.
"""

COMPARISON_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION registry_fold_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT nullif(btrim(regexp_replace(regexp_replace(registry_name_key(name),
    '[-.,''’`]+', ' ', 'g'), ' +', ' ', 'g')), '')
$$;

CREATE OR REPLACE FUNCTION registry_phonetic(folded text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN folded ~ '^[a-z ]+$' THEN dmetaphone(replace(folded, ' ', '')) END
$$;

-- 4 exact; 3 a typo (one edit for names of up to four letters, two for longer) or one
-- name containing the other (a second given name, a double-barrelled surname); 2 the
-- same sound; 1 the same initial; 0 different. x and y are folded (registry_fold_name).
CREATE OR REPLACE FUNCTION registry_folded_name_level(x text, y text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (CASE
    WHEN x IS NULL OR y IS NULL THEN NULL
    WHEN x = y OR replace(x, ' ', '') = replace(y, ' ', '') THEN 4
    WHEN levenshtein(x, y) <= CASE WHEN greatest(length(x), length(y)) <= 4 THEN 1 ELSE 2 END
      OR (least(length(x), length(y)) >= 3
          AND (position(x IN y) > 0 OR position(y IN x) > 0)) THEN 3
    WHEN registry_phonetic(x) = registry_phonetic(y) THEN 2
    WHEN left(x, 1) = left(y, 1) THEN 1
    ELSE 0 END)::smallint
$$;

-- The level of two names as given: each folded once.
CREATE OR REPLACE FUNCTION registry_name_level(a text, b text) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  x text := registry_fold_name(a);
  y text := registry_fold_name(b);
BEGIN
  RETURN registry_folded_name_level(x, y);
END
$$;

-- 5 exact; 4 day and month swapped; 3 one digit off or two adjacent digits transposed (a
-- keystroke); 2 two digits off; 1 the same year; 0 different. One digit off is far rarer
-- between two people than two digits off, so it is its own level.
CREATE OR REPLACE FUNCTION registry_dob_level(a date, b date) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  x text;
  y text;
  distance integer;
BEGIN
  -- Most candidate pairs share the birthday (the first block): answered before the
  -- digits are written out.
  IF a = b THEN
    RETURN 5;
  END IF;
  IF extract(year FROM a) = extract(year FROM b) AND extract(day FROM a) = extract(month FROM b)
     AND extract(month FROM a) = extract(day FROM b) THEN
    RETURN 4;
  END IF;
  x := to_char(a, 'YYYYMMDD');
  y := to_char(b, 'YYYYMMDD');
  distance := levenshtein(x, y);
  IF distance = 1 THEN
    RETURN 3;
  END IF;
  IF distance = 2 THEN
    FOR i IN 1..7 LOOP
      IF substr(x, i, 1) = substr(y, i + 1, 1) AND substr(x, i + 1, 1) = substr(y, i, 1)
         AND left(x, i - 1) = left(y, i - 1) AND substr(x, i + 2) = substr(y, i + 2) THEN
        RETURN 3;
      END IF;
    END LOOP;
    RETURN 2;
  END IF;
  RETURN CASE WHEN extract(year FROM a) = extract(year FROM b) THEN 1 ELSE 0 END;
END
$$;

-- Middle names: 2 exact; 1 compatible initials ("J" and "James"); 0 different.
CREATE OR REPLACE FUNCTION registry_middle_level(a text, b text) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  x text := registry_fold_name(nullif(a, ''));
  y text := registry_fold_name(nullif(b, ''));
BEGIN
  RETURN (CASE
    WHEN x IS NULL OR y IS NULL THEN NULL
    WHEN x = y THEN 2
    WHEN left(x, 1) = left(y, 1) AND least(length(x), length(y)) = 1 THEN 1
    ELSE 0 END)::smallint;
END
$$;

-- Postal codes: 2 exact; 1 the same forward sortation area (first three characters); 0.
CREATE OR REPLACE FUNCTION registry_postal_level(a text, b text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (CASE
    WHEN nullif(a, '') IS NULL OR nullif(b, '') IS NULL THEN NULL
    WHEN upper(replace(a, ' ', '')) = upper(replace(b, ' ', '')) THEN 2
    WHEN upper(left(a, 3)) = upper(left(b, 3)) THEN 1
    ELSE 0 END)::smallint
$$;

-- Street addresses (folded like names): 2 exact; 1 alike (a typo, "St" for "Street");
-- 0 different.
CREATE OR REPLACE FUNCTION registry_street_level(a text, b text) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  x text := registry_fold_name(nullif(a, ''));
  y text := registry_fold_name(nullif(b, ''));
BEGIN
  RETURN (CASE
    WHEN x IS NULL OR y IS NULL THEN NULL
    WHEN x = y THEN 2
    WHEN levenshtein(x, y) <= 2 OR similarity(x, y) >= 0.6 THEN 1
    ELSE 0 END)::smallint;
END
$$;

-- Phones (digits): 2 exact; 1 the same last seven digits (area code differs or dropped); 0.
CREATE OR REPLACE FUNCTION registry_phone_level(a text, b text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (CASE
    WHEN nullif(a, '') IS NULL OR nullif(b, '') IS NULL THEN NULL
    WHEN a = b THEN 2
    WHEN length(a) >= 7 AND right(a, 7) = right(b, 7) THEN 1
    ELSE 0 END)::smallint
$$;
"""
