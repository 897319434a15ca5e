"""The audit trigger on every registry table.

One AFTER INSERT/UPDATE/DELETE row trigger per table writes an ``audit_log`` row in the
same transaction as the change, whatever made it: the admin, an approval, the daily
import, the shell, a bulk ``QuerySet.update()`` or raw SQL. The acting staff member is
read from the transaction setting ``registry.actor_id`` (see audit/context.py); when it is
empty the change is the system's (``changed_by`` NULL).
"""

import pgtrigger
from django.apps import apps
from django.db import models

# (model label, column holding the registry record the row belongs to). Child rows are
# filed under their parent record, so a record's history shows its staff and source ids.
AUDITED_TABLES = (
    ("snippets.Department", "id"),
    ("snippets.Program", "id"),
    ("snippets.ProgramStaff", "program_id"),
    ("snippets.Client", "id"),
    ("snippets.ClientSourceId", "client_id"),
    ("snippets.ClientProgramEnrollment", "id"),
    ("snippets.Intake", "id"),
    ("snippets.Discharge", "id"),
    ("snippets.ServiceRestriction", "id"),
    ("snippets.DemographicQuestion", None),  # settings, keyed by integer: row_id only
)

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

AUDIT_FUNC = """
    actor := NULLIF(current_setting('registry.actor_id', true), '');
    IF TG_OP = 'INSERT' THEN
        old_row := '{{}}'::jsonb;
        new_row := to_jsonb(NEW);
    ELSIF TG_OP = 'UPDATE' THEN
        old_row := to_jsonb(OLD);
        new_row := to_jsonb(NEW);
    ELSE
        old_row := to_jsonb(OLD);
        new_row := '{{}}'::jsonb;
    END IF;
    SELECT COALESCE(
        jsonb_object_agg(
            col, jsonb_build_object('before', old_row -> col, 'after', new_row -> col)
        ),
        '{{}}'::jsonb
    ) INTO diff
    FROM jsonb_object_keys(old_row || new_row) AS col
    WHERE col <> ALL ({ignored})
      AND (old_row -> col) IS DISTINCT FROM (new_row -> col);
    IF TG_OP = 'UPDATE' AND diff = '{{}}'::jsonb THEN
        RETURN NULL;
    END IF;
    INSERT INTO audit_log (audit_id, entity, entity_id, row_id, action, changed_by_id,
                           changed_at, diff_json)
    VALUES (
        gen_random_uuid(),
        '{entity}',
        {entity_id},
        (CASE WHEN TG_OP = 'DELETE' THEN old_row ELSE new_row END) ->> 'id',
        CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
        actor::uuid,
        clock_timestamp(),
        diff
    );
    RETURN NULL;
"""


def audit_trigger(
    *, entity: str, entity_id_column: str | None, derived_columns: tuple[str, ...] = ()
) -> pgtrigger.Trigger:
    columns = (*NOT_AUDITED_COLUMNS, *derived_columns)
    ignored = "ARRAY[" + ", ".join(f"'{c}'" for c in columns) + "]"
    entity_id = (
        f"((CASE WHEN TG_OP = 'DELETE' THEN old_row ELSE new_row END) ->> "
        f"'{entity_id_column}')::uuid"
        if entity_id_column
        else "NULL"
    )
    return pgtrigger.Trigger(
        name="audit_changes",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("actor", "text"), ("old_row", "jsonb"), ("new_row", "jsonb"), ("diff", "jsonb")],
        func=AUDIT_FUNC.format(ignored=ignored, entity=entity, entity_id=entity_id),
    )


def audited_models():
    """The registry models whose every change is audited, with their entity names."""
    return [apps.get_model(label) for label, _ in AUDITED_TABLES]


def register_audit_triggers() -> None:
    for label, entity_id_column in AUDITED_TABLES:
        model = apps.get_model(label)
        # Columns PostgreSQL computes from others (a search key) change with them: not news.
        derived = tuple(
            f.column for f in model._meta.concrete_fields if isinstance(f, models.GeneratedField)
        )
        trigger = audit_trigger(
            entity=model._meta.model_name,
            entity_id_column=entity_id_column,
            derived_columns=derived,
        )
        pgtrigger.register(trigger)(model)
