"""Leave a tenth of each client page free, so most updates of a client (languages, gender,
an answer: columns no index holds) are HOT updates that write no new index entries.

Client rows change often (staff edits, the nightly import refreshing answers); with full
pages every such update also rewrote the row's entry in each of the client table's indexes,
a trigram index among them. Applies to pages written from now on (a seeded or restored
table, or after VACUUM FULL).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("snippets", "0009_audit_updates_by_column"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE snippets_client SET (fillfactor = 90);",
            "ALTER TABLE snippets_client RESET (fillfactor);",
        ),
    ]
