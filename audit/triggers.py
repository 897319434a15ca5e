"""The audit trigger on every registry table.

AFTER INSERT, UPDATE and DELETE statement triggers on each table write one ``audit_log``
row per changed row, in the same transaction as the change, whatever made it: the admin,
an approval, the daily import, the shell, a bulk ``QuerySet.update()`` or raw SQL. The
acting staff member is read from the transaction setting ``registry.actor_id`` (see
audit/context.py); when it is empty the change is the system's (``changed_by`` NULL).
An approval also sets ``registry.requested_by_id``: who proposed the change
(``requested_by``; NULL for every other write).
"""

import pgtrigger
from django.apps import apps
from django.db import models

# The body of a trigger refusing TRUNCATE on a table kept for years (the audit log, the
# access log, restrictions): emptying a whole table is refused, except on a connection that
# the test settings open with registry.allow_truncate=on, so the test runner can reset its
# own database. ``{refuse}`` is the RAISE naming what is kept.
REFUSE_TRUNCATE_SQL = (
    "IF coalesce(current_setting('registry.allow_truncate', true), '') <> 'on' THEN "
    "{refuse} END IF; RETURN NULL;"
)


def append_only_triggers(*, refuse_sql: str, rows_name: str, truncate_name: str) -> list:
    """The two triggers of a table kept for years (an access log): UPDATE and DELETE of a
    row are refused with ``refuse_sql`` (a RAISE), and so is TRUNCATE, except on connections
    that opt in (REFUSE_TRUNCATE_SQL)."""
    return [
        pgtrigger.Trigger(
            name=rows_name,
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
            func=refuse_sql,
        ),
        pgtrigger.Trigger(
            name=truncate_name,
            when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            level=pgtrigger.Statement,
            func=REFUSE_TRUNCATE_SQL.format(refuse=refuse_sql),
        ),
    ]


# Audited besides the registry's record types (snippets.models.REGISTRY_RECORD_TYPES, each
# row filed under its own id): (model label, column holding the registry record the row
# belongs to). Child rows are filed under their parent record, so a record's history shows
# its staff and source ids.
AUDITED_CHILD_TABLES = (
    ("snippets.DepartmentStaff", "department_id"),
    ("snippets.ProgramStaff", "program_id"),
    ("snippets.ProgramCapacity", "program_id"),
    ("snippets.ClientSourceId", "client_id"),
    ("snippets.DemographicQuestion", None),  # settings, keyed by integer: row_id only
    # Who decided a possible match, and why; who merged or unmerged two records (issue 11).
    ("identity.PossibleMatch", "id"),
    ("identity.ClientMerge", "id"),
)


def audited_tables() -> tuple[tuple[str, str | None], ...]:
    """(model label, record id column) of every audited table.

    The record types are read through the app registry rather than imported: the
    registry's models use audit's SQL, so audit does not import snippets."""
    record_types = apps.get_app_config("snippets").models_module.REGISTRY_RECORD_TYPES
    return (*((model._meta.label, "id") for model in record_types), *AUDITED_CHILD_TABLES)


# Wagtail's bookkeeping (revisions, locks, publication times) and the row's own
# timestamps change on every save without changing what the registry says; an update
# touching only these writes no audit row. ``live`` is data: it is whether a record counts.
NOT_AUDITED_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "latest_revision_id",
    "live_revision_id",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by_id",
)

# Statement-level triggers with transition tables: one INSERT ... SELECT per statement
# writes the audit rows for every row it changed, so a bulk write (the daily import, an
# approval, a QuerySet.update()) costs one set-based insert, not a PL/pgSQL call per row.
# INSERT and DELETE record every audited column (before or after is null); UPDATE records
# only the columns whose value changed, and a row whose change touches none of them writes
# no audit row. The columns are named one by one: building the diff column by column is
# three times faster than taking the row apart with jsonb_each, which matters for the
# ~200,000 rows of a nightly import. The lists are compiled from the models, so a new
# column changes the triggers and makemigrations writes the migration
# (tests/test_migrations.py fails until it is there).
#
# Audit ids are time-ordered (registry_uuid7(), snippets migration 0006): each statement's
# rows land together at the end of the audit log's primary-key index instead of on random
# pages of an index that only grows.
AUDIT_INSERT_SQL = """
    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,
                           requested_by_id, changed_at, diff_json)
    SELECT registry_uuid7(), '{entity}', {entity_id}, t.{pk}::text, '{action}',
           NULLIF(current_setting('registry.actor_id', true), '')::uuid,
           NULLIF(current_setting('registry.requested_by_id', true), '')::uuid,
           clock_timestamp(), {diff}
    FROM {rows} t;
    RETURN NULL;
"""

AUDIT_UPDATE_SQL = """
    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,
                           requested_by_id, changed_at, diff_json)
    SELECT registry_uuid7(), '{entity}', {entity_id}, n.{pk}::text, 'update',
           NULLIF(current_setting('registry.actor_id', true), '')::uuid,
           NULLIF(current_setting('registry.requested_by_id', true), '')::uuid,
           clock_timestamp(), d.diff
    FROM new_rows n JOIN old_rows o ON o.{pk} = n.{pk}
    CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(c.name, jsonb_build_object('before', c.before, 'after', c.after))
            AS diff
        FROM (VALUES {before_after}) AS c(name, before, after)
        WHERE c.before IS DISTINCT FROM c.after
    ) d
    WHERE d.diff IS NOT NULL;
    RETURN NULL;
"""

# jsonb_build_object takes at most 100 arguments (50 columns); wider rows are built in
# parts joined with ||.
_COLUMNS_PER_OBJECT = 40


def _row_diff_sql(columns: tuple[str, ...], *, side: str) -> str:
    """SQL building {column: {"before": ..., "after": ...}} for a row ``t`` that was
    created (``side="after"``) or deleted (``side="before"``)."""
    if not columns:
        return "'{}'::jsonb"
    other = "before" if side == "after" else "after"
    pairs = [f"'{c}', jsonb_build_object('{other}', NULL, '{side}', t.\"{c}\")" for c in columns]
    parts = [
        "jsonb_build_object(" + ", ".join(pairs[i : i + _COLUMNS_PER_OBJECT]) + ")"
        for i in range(0, len(pairs), _COLUMNS_PER_OBJECT)
    ]
    return " || ".join(parts)


AUDIT_TRIGGER_NAMES = ("audit_inserts", "audit_updates", "audit_deletes")


def _before_after_sql(columns: tuple[str, ...]) -> str:
    """VALUES rows (column, before, after) of an updated row (``o`` old, ``n`` new)."""
    if not columns:
        return "(NULL::text, NULL::jsonb, NULL::jsonb)"
    return ", ".join(f'(\'{c}\', to_jsonb(o."{c}"), to_jsonb(n."{c}"))' for c in columns)


def audit_triggers(
    *,
    entity: str,
    entity_id_column: str | None,
    pk: str,
    columns: tuple[str, ...],
    derived_columns: tuple[str, ...] = (),
) -> list[pgtrigger.Trigger]:
    """The three audit triggers of a table whose columns are ``columns``."""
    not_audited = (*NOT_AUDITED_COLUMNS, *derived_columns)
    audited = tuple(c for c in columns if c not in not_audited)

    def entity_id(row: str) -> str:
        return f'{row}."{entity_id_column}"' if entity_id_column else "NULL"

    def whole_rows(action: str, rows: str, side: str) -> str:
        """Created rows (all columns after) or deleted rows (all columns before)."""
        return AUDIT_INSERT_SQL.format(
            entity=entity,
            entity_id=entity_id("t"),
            pk=pk,
            action=action,
            rows=rows,
            diff=_row_diff_sql(audited, side=side),
        )

    common = {"when": pgtrigger.After, "level": pgtrigger.Statement}
    return [
        pgtrigger.Trigger(
            name="audit_inserts",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=whole_rows("create", "new_rows", side="after"),
            **common,
        ),
        pgtrigger.Trigger(
            name="audit_updates",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=AUDIT_UPDATE_SQL.format(
                entity=entity,
                entity_id=entity_id("n"),
                pk=pk,
                before_after=_before_after_sql(audited),
            ),
            **common,
        ),
        pgtrigger.Trigger(
            name="audit_deletes",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=whole_rows("delete", "old_rows", side="before"),
            **common,
        ),
    ]


def audited_models():
    """The registry models whose every change is audited, with their entity names."""
    return [apps.get_model(label) for label, _ in audited_tables()]


def register_audit_triggers() -> None:
    for label, entity_id_column in audited_tables():
        model = apps.get_model(label)
        # Columns PostgreSQL computes from others (a search key) change with them: not news.
        derived = tuple(
            f.column for f in model._meta.concrete_fields if isinstance(f, models.GeneratedField)
        )
        triggers = audit_triggers(
            entity=model._meta.model_name,
            entity_id_column=entity_id_column,
            pk=model._meta.pk.column,
            columns=tuple(f.column for f in model._meta.concrete_fields),
            derived_columns=derived,
        )
        pgtrigger.register(*triggers)(model)
