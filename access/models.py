"""Access exceptions ("break the glass"): a program-scoped staff member opened a client's
record outside their programs, giving a reason. Append-only and kept at least 10 years,
like the client record access log, so the agency can show who looked at whom and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.triggers import append_only_triggers

EXCEPTIONS_ARE_KEPT = "Access exceptions are append-only and kept for at least 10 years."
KEEP_EXCEPTIONS_SQL = (
    f"RAISE EXCEPTION '{EXCEPTIONS_ARE_KEPT}' USING ERRCODE = 'integrity_constraint_violation';"
)


class ExceptionReason(models.TextChoices):
    """The short choice a staff member gives before opening a record outside their
    programs; the free text says the rest."""

    CLIENT_PRESENT = "client_present", _("The client is here and asks for service")
    REFERRAL = "referral", _("Referral or transfer to my program")
    SAFETY = "safety", _("Safety or emergency")
    CONTINUITY = "continuity", _("Continuity of care")
    OTHER = "other", _("Other (explain below)")


class AccessException(models.Model):
    """Who opened whose record outside their programs, why, and until when."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_exceptions"
    )
    # No foreign-key constraint: the record of an exception outlives the client record.
    client = models.ForeignKey(
        "snippets.Client",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="access_exceptions",
    )
    reason = models.CharField(max_length=20, choices=ExceptionReason.choices)
    explanation = models.TextField(help_text=_("Why you need this record."))
    granted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("access exception")
        verbose_name_plural = _("access exceptions")
        ordering = ["-granted_at", "-id"]
        indexes = [
            # "Does this staff member hold an exception for this client now?" on every view.
            models.Index(fields=["staff", "client", "-expires_at"], name="access_exception_held"),
            models.Index(fields=["client", "-granted_at"], name="access_exception_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=ExceptionReason.values),
                name="access_exception_reason_in_list",
            ),
            models.CheckConstraint(
                condition=~models.Q(explanation=""), name="access_exception_explained"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="access_exception_expires_after_grant",
            ),
        ]
        triggers = append_only_triggers(
            refuse_sql=KEEP_EXCEPTIONS_SQL,
            rows_name="access_exceptions_are_append_only",
            truncate_name="access_exceptions_are_kept_truncate",
        )

    def __str__(self):
        # Ids only: this string can reach logs.
        return f"Access exception {self.pk} by staff {self.staff_id}"
