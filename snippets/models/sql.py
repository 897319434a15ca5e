"""What the registry's tables need from PostgreSQL that Django's models cannot declare.

Everything else about the schema (tables, indexes, constraints, triggers) is declared on the
models. These few things have no Django API: extensions, SQL functions, a statistics object
and a table's storage option. They are declared here, once:

- the migrations create them (extensions in snippets 0001, the functions in ingest 0002 and
  snippets 0006, the rest in snippets 0010 and reports 0003; snippets 0012 re-asserts them
  where the tables are owned);
- tests/test_schema.py builds a database from the models alone: ``BEFORE_TABLES``, then
  every model's table through Django's schema editor, then ``AFTER_TABLES``; and compares
  it with the database the migrations build. A change here without its migration (or the
  reverse) fails that test.

Each statement is idempotent, so running it on a database that already has the object
changes nothing.
"""

from django.db import models

# Trigram search (client names), typo distance (matching), accent folding (name key) and
# btree_gist (ProgramCapacity's no-overlap exclusion constraint on program_id).
EXTENSIONS = ("pg_trgm", "fuzzystrmatch", "unaccent", "btree_gist")

# registry_name_key(name): lower case, accents folded (unaccent), spaces trimmed and inner
# runs of spaces collapsed: what the daily import matches names on (ingest/sql.py) and what
# the client_name_key_dob index holds. unaccent() is only STABLE (its dictionary could
# change), so it is wrapped in an IMMUTABLE function naming the dictionary explicitly, which
# lets PostgreSQL index it. If the unaccent rules file is ever edited, REINDEX
# client_name_key_dob.
NAME_KEY_FUNCTION = r"""
CREATE OR REPLACE FUNCTION registry_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT lower(btrim(regexp_replace(
    public.unaccent('public.unaccent'::regdictionary, name), '[[:space:]]+', ' ', 'g')))
$$;
"""

# registry_uuid7(): a UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then
# random bits. Rows written together get neighbouring ids, so a bulk insert touches the end
# of each primary-key index rather than a random page per row: the audit triggers give
# audit rows these ids, and the daily import gives its new records them. PostgreSQL 18 has
# uuidv7(); this is the same layout for PostgreSQL 15.
UUID7_FUNCTION = """
            CREATE OR REPLACE FUNCTION registry_uuid7() RETURNS uuid
            LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
              SELECT encode(
                set_bit(set_bit(
                  overlay(uuid_send(gen_random_uuid())
                          PLACING substring(int8send(
                            floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                            FROM 3)
                          FROM 1 FOR 6),
                  52, 1), 53, 1),
                'hex')::uuid
            $$;
            """

# The planner's statistics on an enrollment's end-or-open-ended date (the expression of the
# report_enrollment_span index): without them it guesses a third of the table for "still
# enrolled after a day" and skips the index.
ENROLLMENT_SPAN_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS report_enrollment_span_stats "
    "ON (COALESCE(end_date, '9999-12-31'::date)) FROM snippets_clientprogramenrollment"
)

# A tenth of each client page left free, so most updates of a client (languages, gender,
# an answer: columns no index holds) are HOT updates that write no new index entries.
CLIENT_FILLFACTOR = "ALTER TABLE snippets_client SET (fillfactor = 90)"

# Before any table: the functions and extensions that indexes and triggers call.
BEFORE_TABLES = (
    *(f"CREATE EXTENSION IF NOT EXISTS {name}" for name in EXTENSIONS),
    NAME_KEY_FUNCTION,
    UUID7_FUNCTION,
)
# After the tables: what is attached to a table that exists.
AFTER_TABLES = (ENROLLMENT_SPAN_STATISTICS, CLIENT_FILLFACTOR)


class NameKey(models.Func):
    """``registry_name_key(expression)`` in a query or an index (see NAME_KEY_FUNCTION)."""

    function = "registry_name_key"
    output_field = models.TextField()
