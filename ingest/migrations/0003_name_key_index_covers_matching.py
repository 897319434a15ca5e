"""client_name_key_dob also carries what the matching reads (id, live and the names), so
looking a name up answers from the index alone instead of visiting every namesake's row in
the client table: for a common name that is dozens of random reads per imported row.

(PostgreSQL only answers from an expression index when the columns inside the expression
are in it too, hence the names.)
"""

from django.db import migrations

COVERING = (
    "CREATE INDEX client_name_key_dob ON snippets_client "
    "(registry_name_key(last_name), registry_name_key(first_name), dob) "
    "INCLUDE (id, live, first_name, last_name);"
)
PLAIN = (
    "CREATE INDEX client_name_key_dob ON snippets_client "
    "(registry_name_key(last_name), registry_name_key(first_name), dob);"
)


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0002_name_key"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS client_name_key_dob; " + COVERING,
            "DROP INDEX IF EXISTS client_name_key_dob; " + PLAIN,
        ),
    ]
