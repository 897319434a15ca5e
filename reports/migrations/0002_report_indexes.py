"""Indexes the reports need on the registry's tables (see docs/reports.md for the figures).

They live here, with the queries that use them, rather than in the snippets models: each
is partial (live rows only) and covering, shaped for one report query. IF NOT EXISTS
keeps the migration safe where an index was created by hand during a bench.
"""

from django.db import migrations

INDEXES = {
    # Vacancy Tracker and Org Summary: enrollments still open, by start date.
    "report_enrollment_open": (
        "snippets_clientprogramenrollment (start_date) INCLUDE (program_id, client_id, end_date)"
        " WHERE live AND end_date IS NULL"
    ),
    # Both reports: enrollments with an end date, by end date (those ending after a day).
    "report_enrollment_ended": (
        "snippets_clientprogramenrollment (end_date) INCLUDE (start_date, program_id, client_id)"
        " WHERE live AND end_date IS NOT NULL"
    ),
    # Every report excludes draft clients: the few of them, found without a table scan.
    "report_client_draft": "snippets_client (id) WHERE NOT live",
    # Org Summary: the period's intakes and discharges by program.
    "report_intake_date": "snippets_intake (intake_date) INCLUDE (program_id, client_id) WHERE live",
    "report_discharge_date": (
        "snippets_discharge (discharge_date) INCLUDE (program_id, client_id) WHERE live"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("snippets", "0002_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
