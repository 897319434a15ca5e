"""One index for "enrolled at some time after a day", in place of the two that split open
and ended enrollments (see docs/reports.md for the figures).

EnrollmentQuerySet.overlapping() and .active_on() compare COALESCE(end_date, 9999-12-31)
with a day, so both reports read one range of this index, without touching the table
(end_date is included because PostgreSQL only answers from an expression index when the
columns inside the expression are in it too). The statistics object gives the planner the
distribution of that expression: without it, it guesses a third of the table and skips the
index.
"""

from django.db import migrations

SPAN_INDEX = (
    "CREATE INDEX IF NOT EXISTS report_enrollment_span ON snippets_clientprogramenrollment "
    "((COALESCE(end_date, '9999-12-31'::date))) "
    "INCLUDE (start_date, end_date, program_id, client_id) WHERE live"
)
SPAN_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS report_enrollment_span_stats "
    "ON (COALESCE(end_date, '9999-12-31'::date)) FROM snippets_clientprogramenrollment"
)
OLD_INDEXES = {
    "report_enrollment_open": (
        "snippets_clientprogramenrollment (start_date) INCLUDE (program_id, client_id, end_date)"
        " WHERE live AND end_date IS NULL"
    ),
    "report_enrollment_ended": (
        "snippets_clientprogramenrollment (end_date) INCLUDE (start_date, program_id, client_id)"
        " WHERE live AND end_date IS NOT NULL"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_indexes"),
    ]

    operations = [
        migrations.RunSQL(SPAN_INDEX, "DROP INDEX IF EXISTS report_enrollment_span"),
        migrations.RunSQL(
            SPAN_STATISTICS, "DROP STATISTICS IF EXISTS report_enrollment_span_stats"
        ),
        migrations.RunSQL("ANALYZE snippets_clientprogramenrollment", migrations.RunSQL.noop),
        *(
            migrations.RunSQL(
                f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX IF NOT EXISTS {name} ON {definition}"
            )
            for name, definition in OLD_INDEXES.items()
        ),
    ]
