"""The name key the daily import matches on, and an index so matching 100,000 rows against
a million clients is a join, not a scan.

registry_name_key(name): lower case, accents folded (unaccent), spaces trimmed and inner
runs of spaces collapsed. unaccent() is only STABLE (its dictionary could change), so it is
wrapped in an IMMUTABLE function naming the dictionary explicitly, which lets PostgreSQL
index it. If the unaccent rules file is ever edited, REINDEX client_name_key_dob.
"""

from django.db import migrations

NAME_KEY_FUNCTION = r"""
CREATE OR REPLACE FUNCTION registry_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT lower(btrim(regexp_replace(
    public.unaccent('public.unaccent'::regdictionary, name), '[[:space:]]+', ' ', 'g')))
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
        ("snippets", "0002_initial"),
    ]

    operations = [
        migrations.RunSQL(NAME_KEY_FUNCTION, "DROP FUNCTION IF EXISTS registry_name_key(text);"),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS client_name_key_dob ON snippets_client "
            "(registry_name_key(last_name), registry_name_key(first_name), dob);",
            "DROP INDEX IF EXISTS client_name_key_dob;",
        ),
    ]
