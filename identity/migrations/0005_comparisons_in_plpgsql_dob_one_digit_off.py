"""The comparison functions, faster and with one more date-of-birth level.

- Date of birth: one digit off (or two adjacent digits transposed) is a level of its own,
  apart from two digits off: between two people it is about twenty times rarer than "two
  digits or fewer" (random pairs), so it carries its own weight. Levels: 5 exact, 4 day
  and month swapped, 3 one digit off or transposed, 2 two digits off, 1 same year, 0
  different (the source-id check's ">= 2 is near" keeps its meaning).
- registry_name_level, registry_dob_level, registry_middle_level, registry_street_level in
  PL/pgSQL: as SQL functions with a FROM clause they were never inlined and ran ten times
  slower per call.

A frozen copy of identity/linkage/functions.py at this migration (tests/test_schema.py
compares the two databases).
"""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module(
    "identity.migrations.0004_match_automatic_links_and_comparisons"
).FUNCTIONS

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION registry_name_level(a text, b text) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  x text := registry_fold_name(a);
  y text := registry_fold_name(b);
BEGIN
  RETURN (CASE
    WHEN x IS NULL OR y IS NULL THEN NULL
    WHEN x = y OR replace(x, ' ', '') = replace(y, ' ', '') THEN 4
    WHEN levenshtein(x, y) <= CASE WHEN greatest(length(x), length(y)) <= 4 THEN 1 ELSE 2 END
      OR (least(length(x), length(y)) >= 3
          AND (position(x IN y) > 0 OR position(y IN x) > 0)) THEN 3
    WHEN registry_phonetic(x) = registry_phonetic(y) THEN 2
    WHEN left(x, 1) = left(y, 1) THEN 1
    ELSE 0 END)::smallint;
END
$$;

CREATE OR REPLACE FUNCTION registry_dob_level(a date, b date) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  x text := to_char(a, 'YYYYMMDD');
  y text := to_char(b, 'YYYYMMDD');
  distance integer;
BEGIN
  IF a = b THEN
    RETURN 5;
  END IF;
  IF extract(year FROM a) = extract(year FROM b) AND extract(day FROM a) = extract(month FROM b)
     AND extract(month FROM a) = extract(day FROM b) THEN
    RETURN 4;
  END IF;
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
"""


class Migration(migrations.Migration):
    dependencies = [("identity", "0004_match_automatic_links_and_comparisons")]

    operations = [migrations.RunSQL(FUNCTIONS, PREVIOUS)]
