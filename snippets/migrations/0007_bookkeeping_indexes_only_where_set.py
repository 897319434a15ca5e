"""Wagtail's bookkeeping indexes on the big service tables index only the rows that use them.

Wagtail's mixins give every snippet table an index on latest_revision, live_revision,
locked_by and first_published_at. On clients, enrollments, intakes and discharges most rows
have no revision (the daily import writes none) and no lock, so those indexes were mostly
NULLs that every inserted row still had to be added to: four of the eight index insertions
per imported enrollment. Here the three foreign-key indexes become partial (WHERE ... IS NOT
NULL), which still serves what they are for (finding the rows that point at a revision or
a staff member being deleted, which never looks for NULL), and first_published_at's index
goes: nothing in the registry filters or sorts these tables by it.

Django's model state still lists the original indexes (they come from Wagtail's fields);
only the database changes, so nothing here needs undoing when Wagtail's fields change.
"""

from django.db import migrations

TABLES = (
    "snippets_client",
    "snippets_clientprogramenrollment",
    "snippets_intake",
    "snippets_discharge",
)
FOREIGN_KEYS = ("latest_revision_id", "live_revision_id", "locked_by_id")


def _drop_plain_index(table: str, column: str) -> str:
    # Django names these indexes with a hash; find the plain single-column one by its column.
    return f"""
    DO $$
    DECLARE found text;
    BEGIN
      SELECT i.relname INTO found
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
      WHERE x.indrelid = '{table}'::regclass AND x.indnatts = 1 AND x.indpred IS NULL
        AND NOT x.indisunique AND a.attname = '{column}';
      IF found IS NOT NULL THEN EXECUTE format('DROP INDEX %I', found); END IF;
    END $$;
    """


def _partial_name(table: str, column: str) -> str:
    return f"{table.removeprefix('snippets_')}_{column}_set"[:63]


def _operations():
    for table in TABLES:
        for column in FOREIGN_KEYS:
            yield migrations.RunSQL(
                _drop_plain_index(table, column)
                + f"CREATE INDEX IF NOT EXISTS {_partial_name(table, column)} "
                f"ON {table} ({column}) WHERE {column} IS NOT NULL;",
                f"DROP INDEX IF EXISTS {_partial_name(table, column)}; "
                f"CREATE INDEX ON {table} ({column});",
            )
        yield migrations.RunSQL(
            _drop_plain_index(table, "first_published_at"),
            f"CREATE INDEX ON {table} (first_published_at);",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("snippets", "0006_faster_audit_triggers"),
    ]

    operations = list(_operations())
