from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.triggers import append_only_triggers

ACCESS_LOG_IS_KEPT = "The client record access log is append-only and kept for at least 10 years."
KEEP_ACCESS_LOG_SQL = (
    f"RAISE EXCEPTION '{ACCESS_LOG_IS_KEPT}' USING ERRCODE = 'integrity_constraint_violation';"
)


class ClientRecordAccess(models.Model):
    """Who opened which client's record, and when. Append-only; kept at least 10 years."""

    class View(models.TextChoices):
        RECORD = "record", _("Record page")
        EDIT = "edit", _("Edit form")
        # Reading the record another way: its change history, a revision or a comparison
        # of revisions, or the chooser's data for a form (access/views.py logs these too).
        HISTORY = "history", _("History or revisions")
        CHOOSER = "chooser", _("Chooser")
        # Opened outside the staff member's programs, with a reason (break the glass).
        EXCEPTION = "exception", _("Access exception")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        on_delete=models.PROTECT,
        related_name="client_accesses",
    )
    # No foreign-key constraint: the log outlives a client record an Administrator deletes.
    client = models.ForeignKey(
        "snippets.Client",
        verbose_name=_("client"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="accesses",
    )
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True, db_index=True)
    view = models.CharField(_("view"), max_length=10, choices=View.choices)

    class Meta:
        verbose_name = _("client record access")
        verbose_name_plural = _("client record accesses")
        ordering = ["-accessed_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-accessed_at"], name="access_client_time"),
            models.Index(fields=["staff", "-accessed_at"], name="access_staff_time"),
        ]
        triggers = append_only_triggers(
            refuse_sql=KEEP_ACCESS_LOG_SQL,
            rows_name="access_log_is_append_only",
            truncate_name="access_log_is_kept_truncate",
        )

    def __str__(self):
        return gettext("%(staff)s opened a client record at %(when)s") % {
            "staff": self.staff,
            "when": f"{self.accessed_at:%Y-%m-%d %H:%M}",
        }
