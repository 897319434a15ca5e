"""Pending changes: one row per submission of a registry record for a Coordinator's
decision, kept in step with Wagtail's moderation workflow (approvals/workflow.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    # The requester withdrew or restarted it (a direct publish leaves it pending).
    CANCELLED = "cancelled", _("Cancelled")


class ChangeKind(models.TextChoices):
    CREATE = "create", _("New record")
    UPDATE = "update", _("Change")


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeStatus.PENDING)

    def oldest_first(self):
        return self.order_by("requested_at", "change_id")


class PendingChange(models.Model):
    """A proposed change to one registry record, awaiting or having had a decision.

    ``diff_json`` maps each field the submission changed to ``{"before": ..., "after": ...}``
    where ``before`` is the live value when it was submitted. Approval applies exactly these
    fields, and refuses if any of them has changed underneath since.
    """

    change_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entity = models.CharField(max_length=60)
    entity_id = models.UUIDField()
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    diff_json = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_changes"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_changes",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    # Wagtail's side: the submitted revision and the task it waits in. SET_NULL because
    # deleting a record deletes its workflow states; the decision stays on record here.
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_state = models.OneToOneField(
        "wagtailcore.TaskState",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pending_change",
    )

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        db_table = "pending_changes"
        verbose_name = _("pending change")
        ordering = ["requested_at"]
        permissions = [("decide_pendingchange", "Can approve or decline pending changes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="pending_change_status_in_list"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="pending_change_kind_in_list"
            ),
            # A decision says who made it and when; an open one has neither.
            models.CheckConstraint(
                condition=(
                    Q(status=ChangeStatus.PENDING)
                    & Q(reviewed_by__isnull=True)
                    & Q(reviewed_at__isnull=True)
                )
                | (
                    Q(status__in=[ChangeStatus.APPROVED, ChangeStatus.DECLINED])
                    & Q(reviewed_by__isnull=False)
                    & Q(reviewed_at__isnull=False)
                )
                | (Q(status=ChangeStatus.CANCELLED) & Q(reviewed_at__isnull=False)),
                name="pending_change_decision_recorded",
                violation_error_message=_("A decided change records who decided it and when."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ChangeStatus.DECLINED) | ~Q(rationale=""),
                name="pending_change_decline_has_rationale",
                violation_error_message=_("Give the rationale for declining."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ChangeStatus.APPROVED, ChangeStatus.DECLINED])
                | ~Q(reviewed_by=models.F("requested_by")),
                name="pending_change_not_decided_by_requester",
                violation_error_message=_("Nobody decides their own submission."),
            ),
            # As Wagtail allows one workflow in progress per record.
            models.UniqueConstraint(
                fields=["entity", "entity_id"],
                condition=Q(status=ChangeStatus.PENDING),
                name="pending_change_one_open_per_record",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"], name="pending_change_queue"),
            models.Index(fields=["requested_by", "requested_at"], name="pending_change_requester"),
            models.Index(fields=["entity", "entity_id"], name="pending_change_record"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.entity} {self.entity_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeStatus.PENDING
