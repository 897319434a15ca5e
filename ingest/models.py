"""The record of each daily import run. The rows of the file itself are staged in a
temporary table (see sql.py): they hold personal data and live only as long as the run."""

import uuid

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    DRY_RUN = "dry_run", _("Dry run (nothing written)")
    FAILED = "failed", _("Failed (nothing written)")
    # A run still marked running when the next one starts was killed: its transaction
    # rolled back, so it wrote nothing.
    INTERRUPTED = "interrupted", _("Interrupted (nothing written)")


class IngestRun(models.Model):
    """One run of ``manage.py ingest_daily``: which file, when, and what it did."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(
        max_length=20, help_text=_("The outside system: SMIS, EMH, FFAI, ...")
    )
    file_name = models.CharField(max_length=500)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    rows_read = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rejects_path = models.CharField(max_length=500, blank=True)
    # Counts only (rows read; inserted, updated, unchanged per kind of record; rejects per
    # reason): never names or dates of birth.
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, help_text=_("Why the run failed, when it did."))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")

    def __str__(self):
        return gettext("%(source)s import of %(file)s (%(status)s)") % {
            "source": self.source,
            "file": self.file_name,
            "status": self.get_status_display(),
        }

    @property
    def error_in_reader_language(self) -> str:
        """Why the run failed, in the active language (the text is stored in English)."""
        from .messages import in_reader_language

        return in_reader_language(self.error)
