"""Writes to registry data beyond Wagtail's own save and publish: the admin screens' access
log, and the daily import's set-based writes of clients and services."""

import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.models import Revision

from . import bulk_sql
from .models import (
    CLIENT_FIELDS,
    CLIENT_MATCHING_FIELDS,
    Client,
    ClientProgramEnrollment,
    ClientRecordAccess,
    Discharge,
)

_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def client_access_record(*, staff, client: Client, view: str) -> ClientRecordAccess:
    """Log that ``staff`` opened ``client``'s record (``view``: record or edit)."""
    return ClientRecordAccess.objects.create(staff=staff, client=client, view=view)


def registry_records_write(*, cursor, staged: str, source: str) -> dict:
    """Write the rows of the table ``staged`` into the registry, set-based: a fixed number
    of statements whatever the number of rows, inside the caller's transaction.

    ``staged`` (a table the caller filled, usually temporary) has one line per row of an
    import: ``row_number``; ``uid`` (the id in ``source``); the client's columns
    (CLIENT_FIELDS and CLIENT_MATCHING_FIELDS; ``languages`` a text array, NULL = no
    value); ``client_id`` (the matched client, NULL for a new person), ``matched_by``
    ('uid' when ``source`` already gave this client that id), ``new_group`` (rows of one
    new person share it); ``program_id``, ``enrollment_start``, ``enrollment_end``,
    ``intake_date``, ``discharge_date``, ``discharge_reason``; ``reject_reason`` (rows with
    one are not written).

    Writes: new clients, live and published (no revision), with time-ordered ids, and
    each new person's id into ``staged.client_id``; changed client fields (a non-empty
    value updates, an empty one never erases; a name equal but for case, accents and
    spacing keeps the registry's spelling); the source's ids; enrollments (one per client,
    program and start; the last row's end date wins), intakes (per client, program, date
    and source) and discharges (per client, program and date; the last reason wins).
    Unchanged records are not touched. A record with unpublished changes also gets each
    new value in its pending draft, except for a field staff changed in that draft.

    Returns counts: ``clients``, ``enrollments``, ``intakes``, ``discharges`` (each
    ``inserted``/``updated``/``unchanged``) and ``source_ids_added``.
    """
    if not _TABLE_NAME.match(staged):
        raise ValueError(f"Not a table name: {staged!r}")

    def run(statement, params=None):
        cursor.execute(statement.replace(bulk_sql.STAGED, staged), params)

    params = {"source": source}
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(bulk_sql.WORK_TABLES)}")
    run(bulk_sql.CLIENT_VALUES)
    run(bulk_sql.INSERT_NEW_CLIENTS)
    clients_inserted = cursor.rowcount
    run(bulk_sql.PROPOSE_CLIENT_UPDATES)
    clients_updated = _apply_updates(
        cursor, Client, "registry_write_client_updates", bulk_sql.APPLY_CLIENT_UPDATES
    )
    run("SELECT count(*) FROM registry_write_client_values WHERE NOT is_new")
    clients_matched = cursor.fetchone()[0]
    run(bulk_sql.INSERT_SOURCE_IDS, params)
    source_ids_added = cursor.rowcount

    run(bulk_sql.ENROLLMENTS)
    enrollments_updated = _apply_updates(
        cursor,
        ClientProgramEnrollment,
        "registry_write_enrollment_updates",
        bulk_sql.APPLY_ENROLLMENT_UPDATES,
    )
    run(bulk_sql.INSERT_ENROLLMENTS)
    enrollments_inserted = cursor.rowcount
    run(bulk_sql.COUNT_ENROLLMENTS)
    enrollments_total = cursor.fetchone()[0]

    run(bulk_sql.INSERT_INTAKES, params)
    intakes_total, intakes_inserted = cursor.fetchone()

    run(bulk_sql.DISCHARGES)
    discharges_updated = _apply_updates(
        cursor, Discharge, "registry_write_discharge_updates", bulk_sql.APPLY_DISCHARGE_UPDATES
    )
    run(bulk_sql.INSERT_DISCHARGES)
    discharges_inserted = cursor.rowcount
    run(bulk_sql.COUNT_DISCHARGES)
    discharges_total = cursor.fetchone()[0]
    cursor.execute(f"DROP TABLE {', '.join(bulk_sql.WORK_TABLES)}")

    def kind(inserted, updated, total):
        return {"inserted": inserted, "updated": updated, "unchanged": total - inserted - updated}

    return {
        "clients": kind(clients_inserted, clients_updated, clients_inserted + clients_matched),
        "source_ids_added": source_ids_added,
        "enrollments": kind(enrollments_inserted, enrollments_updated, enrollments_total),
        "intakes": kind(intakes_inserted, 0, intakes_total),
        "discharges": kind(discharges_inserted, discharges_updated, discharges_total),
    }


def _apply_updates(cursor, model, updates_table: str, apply_sql: str) -> int:
    """Run ``apply_sql`` (which updates live rows from ``updates_table``) and carry the
    changes into pending drafts of those records; returns the number of records updated.

    Why: a record with unpublished changes shows its draft in the editor, and publishing that
    draft would write every field back, silently undoing the import. So each imported value
    is also written into the draft, unless staff changed that very field in the draft: their
    pending decision about that field stands, and is what publishing will apply.
    """
    cursor.execute(f"SELECT id FROM {updates_table} WHERE has_draft")  # noqa: S608
    drafted_ids = [row[0] for row in cursor.fetchall()]
    before = {obj.pk: _serialized(obj) for obj in model.objects.filter(pk__in=drafted_ids)}
    cursor.execute(apply_sql)
    updated = cursor.rowcount
    if drafted_ids:
        for obj in model.objects.filter(pk__in=drafted_ids).select_related("latest_revision"):
            revision = obj.latest_revision
            if revision is None:
                continue
            after = _serialized(obj)
            content = dict(revision.content)
            for name, new_value in after.items():
                old_value = before[obj.pk].get(name)
                if new_value != old_value and content.get(name) == old_value:
                    content[name] = new_value
            if content != revision.content:
                Revision.objects.filter(pk=revision.pk).update(content=content)
    return updated


_IMPORTED_FIELDS = {
    Client: (*CLIENT_FIELDS, *CLIENT_MATCHING_FIELDS),
    ClientProgramEnrollment: ("end_date",),
    Discharge: ("reason",),
}


def _serialized(obj) -> dict:
    """The imported fields as a revision stores them (JSON: dates as YYYY-MM-DD)."""
    data = {name: getattr(obj, name) for name in _IMPORTED_FIELDS[type(obj)]}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
