"""The name comparison made cheap, with identical levels (the import's speed, issue 14).

- registry_fold_name and registry_phonetic are no longer STRICT (their bodies give NULL
  for NULL all the same), so PostgreSQL inlines them: a STRICT SQL function whose body
  holds NULLIF or CASE is never inlined and ran five times slower per call.
- registry_folded_name_level: the name level of two names already folded, the body that
  registry_name_level had; registry_name_level folds both sides and calls it. The
  linkage's SQL holds each name folded once and calls it directly.
- registry_dob_level answers exact and swapped birthdays before writing the digits out.

A frozen copy of those functions in identity/linkage/functions.py at this migration
(tests/test_schema.py compares the two databases).
"""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module(
    "identity.migrations.0005_comparisons_in_plpgsql_dob_one_digit_off"
).FUNCTIONS

FUNCTIONS = r"""
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
"""

# Back to 0005: the STRICT folding of 0004, 0005's name and birthday levels (which do not
# call registry_folded_name_level), then the new function dropped.
REVERSE = (
    r"""
CREATE OR REPLACE FUNCTION registry_fold_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT nullif(btrim(regexp_replace(regexp_replace(registry_name_key(name),
    '[-.,''’`]+', ' ', 'g'), ' +', ' ', 'g')), '')
$$;

CREATE OR REPLACE FUNCTION registry_phonetic(folded text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE WHEN folded ~ '^[a-z ]+$' THEN dmetaphone(replace(folded, ' ', '')) END
$$;
"""
    + PREVIOUS
    + """
DROP FUNCTION IF EXISTS registry_folded_name_level(text, text);
"""
)


class Migration(migrations.Migration):
    dependencies = [("identity", "0006_client_merge_verbose_name")]

    operations = [migrations.RunSQL(FUNCTIONS, REVERSE)]
