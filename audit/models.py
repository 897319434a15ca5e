"""The audit log: one row per insert, update or delete on a registry table, written by
PostgreSQL triggers (audit/triggers.py) in the same transaction as the change."""

import uuid

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .triggers import REFUSE_TRUNCATE_SQL

AUDIT_IS_APPEND_ONLY = "The audit log is append-only: its rows are never changed or deleted."


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    # One row per daily import run, holding its summary (counts), written by the import.
    IMPORT = "import", _("Import summary")


class SearchableValues(models.Func):
    """The words and numbers among a diff's before and after values, as one text: names,
    answers, reasons, addresses, capacities, at any depth (a list of languages, extra
    demographic answers).

    Left out: column names (every row has them); record ids (the search box finds a record
    by its id through entity_id instead); dates and times (the date filters and a record's
    own history find those changes); yes/no flags and empty values. Indexing only these
    keeps the trigram index cheap to write: indexing the whole diff text tripled the cost of
    the audit rows of a nightly import, and the dates of its ~200,000 services cost another
    second (docs/ingest.md).

    A change to PATH needs a migration that rebuilds the index by hand (the path is not an
    argument, so makemigrations cannot see it); tests/audit checks that search still uses it.
    """

    # jsonpath: every value under every column's before/after; strings that are neither
    # UUIDs nor dates, and numbers.
    PATH = (
        "strict $.*.*.** ? ("
        '(@.type() == "string" && !(@ like_regex "^[0-9a-f]{8}-[0-9a-f]{4}-")'
        ' && !(@ like_regex "^[0-9]{4}-[0-9]{2}-[0-9]{2}"))'
        ' || @.type() == "number")'
    )
    template = f"(jsonb_path_query_array(%(expressions)s, '{PATH}'::jsonpath))::text"
    output_field = models.TextField()


class AuditLogQuerySet(models.QuerySet):
    def newest_first(self):
        # Matches the (changed_at DESC, audit_id DESC) index, so any page is an index range.
        return self.order_by("-changed_at", "-audit_id")

    def for_record(self, record_id):
        """A record's own history: its row and its child rows (program staff, source ids)."""
        return self.filter(entity_id=record_id)


class AuditLog(models.Model):
    """Who changed which registry row, when, and each changed column's before and after.

    ``entity`` is the record type (``client``, ``programstaff``, ...); ``entity_id`` is the
    registry record the row belongs to: the record itself, or for a child row (a program's
    staff, a client's source ids) its parent record, so a record's history includes its
    child rows. ``row_id`` is the changed row's own key. ``diff_json`` maps each column to
    ``{"before": ..., "after": ...}`` (``before`` is null on create, ``after`` on delete).
    """

    audit_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.CharField(max_length=60)
    entity_id = models.UUIDField(null=True, blank=True)
    row_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    # PROTECT: a staff member with history is deactivated, never deleted; and the audit
    # table cannot be updated, so SET_NULL would fail anyway.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # served by the (changed_by, changed_at) index below
        help_text=_("Empty when the system made the change (an import, a script)."),
    )
    # Set on the rows an approval writes: changed_by approved the change, this person
    # proposed it. Empty for every direct change.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # served by the partial (requested_by, changed_at) index below
        help_text=_("Who proposed the change, when it was applied by an approval."),
    )
    changed_at = models.DateTimeField(default=timezone.now)
    diff_json = models.JSONField(default=dict)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        db_table = "audit_log"
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-changed_at", "-audit_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values),
                name="audit_action_in_list",
            )
        ]
        # Every list filter is served by an index that ends in the list's order, so a page
        # is read straight off an index however large the table grows.
        indexes = [
            models.Index(
                models.F("changed_at").desc(), models.F("audit_id").desc(), name="audit_newest"
            ),
            models.Index("entity_id", models.F("changed_at").desc(), name="audit_record"),
            # Staff changes only: the system's rows (the nightly import's ~200,000) are the
            # bulk of the log and would only be read newest-first through audit_newest.
            models.Index(
                "changed_by",
                models.F("changed_at").desc(),
                name="audit_by_staff",
                condition=models.Q(changed_by__isnull=False),
            ),
            # Approved changes only (a small share of the log): search by a requester's name.
            models.Index(
                "requested_by",
                models.F("changed_at").desc(),
                name="audit_by_requester",
                condition=models.Q(requested_by__isnull=False),
            ),
            models.Index(
                "entity", "action", models.F("changed_at").desc(), name="audit_by_entity_action"
            ),
            models.Index("action", models.F("changed_at").desc(), name="audit_by_action"),
            # Search looks inside before/after values (UPPER(...) LIKE '%...%'), which a
            # trigram index answers without reading the table.
            GinIndex(
                OpClass(Upper(SearchableValues("diff_json")), name="gin_trgm_ops"),
                name="audit_words_trgm",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="audit_log_append_only",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=f"RAISE EXCEPTION '{AUDIT_IS_APPEND_ONLY}' "
                "USING ERRCODE = 'insufficient_privilege';",
            ),
            # As the registry's other keep-forever tables: only the test runner, on a
            # connection opened with registry.allow_truncate=on, may empty it.
            pgtrigger.Trigger(
                name="audit_log_no_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func=REFUSE_TRUNCATE_SQL.format(
                    refuse=f"RAISE EXCEPTION '{AUDIT_IS_APPEND_ONLY}' "
                    "USING ERRCODE = 'insufficient_privilege';"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.entity} {self.row_id} at {self.changed_at}"
