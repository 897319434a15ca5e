"""The models declare every index the migrations made with raw SQL (issue 14).

Until now Django's state and the database disagreed on the client and service tables:

- Wagtail's single-column indexes on latest_revision, live_revision, locked_by and
  first_published_at were replaced (migration 0007) by partial indexes or dropped, while
  the state still listed them: the models now declare ``db_index=False`` on those fields
  (snippets.models.base.ManyRowsRecord) and the partial indexes in ``Meta.indexes``;
- the name-key index behind matching (ingest 0002/0003) and the report indexes (reports
  0002/0003) were raw SQL of other apps on these tables: the models declare them now;
- the statistics object on the enrollment span (reports 0003) is asserted here, by the app
  that owns the table.

Every database migrated to 0011 has these indexes already (this migration depends on the
migrations that made them), so here they are added to the state only; the database
operation only creates an index that is missing, with the model's own declaration, so a
database where one was dropped by hand gets it back. The partial indexes are renamed to
``<record>_<field>_set``: Django allows index names of 30 characters. Renaming is a
catalogue change: no index is rebuilt.
"""

import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

import snippets.models.sql

# The partial indexes of migration 0007, by their old names (table without "snippets_",
# column) and the names the models give them.
RENAMED = {
    f"{table}_{field}_id_set": f"{prefix}_{field}_set"
    for table, prefix in (
        ("client", "client"),
        ("clientprogramenrollment", "enrollment"),
        ("intake", "intake"),
        ("discharge", "discharge"),
    )
    for field in ("latest_revision", "live_revision", "locked_by")
}

INDEXES = [
    (
        "client",
        models.Index(
            snippets.models.sql.NameKey("last_name"),
            snippets.models.sql.NameKey("first_name"),
            models.F("dob"),
            include=("id", "live", "first_name", "last_name"),
            name="client_name_key_dob",
        ),
    ),
    (
        "client",
        models.Index(
            condition=models.Q(("live", False)), fields=["id"], name="report_client_draft"
        ),
    ),
    (
        "client",
        models.Index(
            condition=models.Q(("latest_revision__isnull", False)),
            fields=["latest_revision"],
            name="client_latest_revision_set",
        ),
    ),
    (
        "client",
        models.Index(
            condition=models.Q(("live_revision__isnull", False)),
            fields=["live_revision"],
            name="client_live_revision_set",
        ),
    ),
    (
        "client",
        models.Index(
            condition=models.Q(("locked_by__isnull", False)),
            fields=["locked_by"],
            name="client_locked_by_set",
        ),
    ),
    (
        "clientprogramenrollment",
        models.Index(
            django.db.models.functions.comparison.Coalesce(
                "end_date",
                models.Value(datetime.date(9999, 12, 31)),
                output_field=models.DateField(),
            ),
            condition=models.Q(("live", True)),
            include=("start_date", "end_date", "program", "client"),
            name="report_enrollment_span",
        ),
    ),
    (
        "clientprogramenrollment",
        models.Index(
            condition=models.Q(("latest_revision__isnull", False)),
            fields=["latest_revision"],
            name="enrollment_latest_revision_set",
        ),
    ),
    (
        "clientprogramenrollment",
        models.Index(
            condition=models.Q(("live_revision__isnull", False)),
            fields=["live_revision"],
            name="enrollment_live_revision_set",
        ),
    ),
    (
        "clientprogramenrollment",
        models.Index(
            condition=models.Q(("locked_by__isnull", False)),
            fields=["locked_by"],
            name="enrollment_locked_by_set",
        ),
    ),
    (
        "discharge",
        models.Index(
            condition=models.Q(("live", True)),
            fields=["discharge_date"],
            include=("program", "client"),
            name="report_discharge_date",
        ),
    ),
    (
        "discharge",
        models.Index(
            condition=models.Q(("latest_revision__isnull", False)),
            fields=["latest_revision"],
            name="discharge_latest_revision_set",
        ),
    ),
    (
        "discharge",
        models.Index(
            condition=models.Q(("live_revision__isnull", False)),
            fields=["live_revision"],
            name="discharge_live_revision_set",
        ),
    ),
    (
        "discharge",
        models.Index(
            condition=models.Q(("locked_by__isnull", False)),
            fields=["locked_by"],
            name="discharge_locked_by_set",
        ),
    ),
    (
        "intake",
        models.Index(
            condition=models.Q(("live", True)),
            fields=["intake_date"],
            include=("program", "client"),
            name="report_intake_date",
        ),
    ),
    (
        "intake",
        models.Index(
            condition=models.Q(("latest_revision__isnull", False)),
            fields=["latest_revision"],
            name="intake_latest_revision_set",
        ),
    ),
    (
        "intake",
        models.Index(
            condition=models.Q(("live_revision__isnull", False)),
            fields=["live_revision"],
            name="intake_live_revision_set",
        ),
    ),
    (
        "intake",
        models.Index(
            condition=models.Q(("locked_by__isnull", False)),
            fields=["locked_by"],
            name="intake_locked_by_set",
        ),
    ),
]

# The planner's statistics on the span index's expression (snippets/models/sql.py); IF NOT
# EXISTS: reports 0003 made them on every database migrated so far.
ENROLLMENT_SPAN_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS report_enrollment_span_stats "
    "ON (COALESCE(end_date, '9999-12-31'::date)) FROM snippets_clientprogramenrollment"
)


def create_missing_indexes(apps, schema_editor):
    """Create each of INDEXES that the database lacks, as the model declares it."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname = ANY(%s)",
            [[index.name for _, index in INDEXES]],
        )
        present = {name for (name,) in cursor.fetchall()}
    for model_name, index in INDEXES:
        if index.name not in present:
            schema_editor.add_index(apps.get_model("snippets", model_name), index)


class Migration(migrations.Migration):
    dependencies = [
        ("snippets", "0011_covering_client_service_indexes"),
        # The migrations whose raw SQL made the indexes declared here.
        ("ingest", "0003_name_key_index_covers_matching"),
        ("reports", "0003_enrollment_span_index"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Migration 0007 dropped these fields' plain indexes from the database already.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="client",
                    name="first_published_at",
                    field=models.DateTimeField(
                        blank=True, null=True, verbose_name="first published at"
                    ),
                ),
                migrations.AlterField(
                    model_name="client",
                    name="latest_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="client",
                    name="live_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="client",
                    name="locked_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="locked_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
                migrations.AlterField(
                    model_name="clientprogramenrollment",
                    name="first_published_at",
                    field=models.DateTimeField(
                        blank=True, null=True, verbose_name="first published at"
                    ),
                ),
                migrations.AlterField(
                    model_name="clientprogramenrollment",
                    name="latest_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="clientprogramenrollment",
                    name="live_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="clientprogramenrollment",
                    name="locked_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="locked_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
                migrations.AlterField(
                    model_name="discharge",
                    name="first_published_at",
                    field=models.DateTimeField(
                        blank=True, null=True, verbose_name="first published at"
                    ),
                ),
                migrations.AlterField(
                    model_name="discharge",
                    name="latest_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="discharge",
                    name="live_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="discharge",
                    name="locked_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="locked_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
                migrations.AlterField(
                    model_name="intake",
                    name="first_published_at",
                    field=models.DateTimeField(
                        blank=True, null=True, verbose_name="first published at"
                    ),
                ),
                migrations.AlterField(
                    model_name="intake",
                    name="latest_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="intake",
                    name="live_revision",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                migrations.AlterField(
                    model_name="intake",
                    name="locked_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="locked_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [
                        f"ALTER INDEX IF EXISTS {old} RENAME TO {new}"
                        for old, new in RENAMED.items()
                    ],
                    [
                        f"ALTER INDEX IF EXISTS {new} RENAME TO {old}"
                        for old, new in RENAMED.items()
                    ],
                ),
                migrations.RunPython(create_missing_indexes, migrations.RunPython.noop),
            ],
            state_operations=[
                migrations.AddIndex(model_name=model_name, index=index)
                for model_name, index in INDEXES
            ],
        ),
        migrations.RunSQL(ENROLLMENT_SPAN_STATISTICS, migrations.RunSQL.noop),
    ]
