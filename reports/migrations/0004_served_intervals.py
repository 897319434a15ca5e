"""The Org Summary's served intervals (reports/served.py): the table, its triggers, and its
rows built from every enrollment already recorded.

The span index is built after the rows (one sort instead of 15 million insertions into
it), then the table is vacuumed so that the report's reads are index-only from the start.
Not atomic, for the VACUUM: every step can be run again.
"""

from django.db import migrations, models

from reports.served import AFTER_TABLES, DROP_ALL, REBUILD

SPAN_INDEX = models.Index(
    fields=["scope", "end_date"],
    include=("start_date", "previous_end", "unit_id", "client_id"),
    name="served_interval_span",
)


def build(apps, schema_editor):
    model = apps.get_model("reports", "ServedInterval")
    schema_editor.remove_index(model, SPAN_INDEX)
    with schema_editor.connection.cursor() as cursor:
        for statement in REBUILD:
            cursor.execute(statement)
    schema_editor.add_index(model, SPAN_INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("reports", "0003_enrollment_span_index"),
        ("snippets", "0030_client_name_key_dob_blocks"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServedInterval",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "client_id",
                        "scope",
                        "unit_id",
                        "start_date",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("scope", models.SmallIntegerField()),
                ("client_id", models.UUIDField()),
                ("unit_id", models.UUIDField()),
                ("start_date", models.DateField()),
                ("end_date", models.DateField()),
                ("previous_end", models.DateField(null=True)),
            ],
            options={
                "db_table": "reports_served_interval",
                "indexes": [SPAN_INDEX],
            },
        ),
        migrations.RunSQL(list(AFTER_TABLES), list(DROP_ALL)),
        migrations.RunPython(build, migrations.RunPython.noop),
        migrations.RunSQL("VACUUM ANALYZE reports_served_interval", migrations.RunSQL.noop),
    ]
