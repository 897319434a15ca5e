"""The Audit Log's search index covers the words and numbers among the changed values
(audit.models.SearchableValues), not the whole diff text.

The index is written out here as SQL, frozen: if SearchableValues.PATH changes, the search
no longer matches this index and tests/audit fails until a migration rebuilds it.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations

import audit.models

WORDS_INDEX = r"""
CREATE INDEX audit_words_trgm ON audit_log USING gin ((UPPER((jsonb_path_query_array(
  diff_json,
  'strict $.*.*.** ? ((@.type() == "string" && !(@ like_regex "^[0-9a-f]{8}-[0-9a-f]{4}-")
   && !(@ like_regex "^[0-9]{4}-[0-9]{2}-[0-9]{2}")) || @.type() == "number")'::jsonpath
))::text)) gin_trgm_ops);
"""
WHOLE_DIFF_INDEX = (
    "CREATE INDEX audit_diff_trgm ON audit_log USING gin ((UPPER((diff_json)::text)) gin_trgm_ops);"
)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_fewer_redundant_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS audit_diff_trgm;" + WORDS_INDEX,
                    "DROP INDEX IF EXISTS audit_words_trgm;" + WHOLE_DIFF_INDEX,
                ),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="auditlog", name="audit_diff_trgm"),
                migrations.AddIndex(
                    model_name="auditlog",
                    index=django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass(
                            django.db.models.functions.text.Upper(
                                audit.models.SearchableValues("diff_json")
                            ),
                            name="gin_trgm_ops",
                        ),
                        name="audit_words_trgm",
                    ),
                ),
            ],
        ),
    ]
