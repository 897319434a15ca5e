import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.triggers import REFUSE_TRUNCATE_SQL

from .base import RegistryQuerySet, RegistryRecord, end_not_before_start
from .client import Client
from .program import Program

RESTRICTIONS_ARE_KEPT = (
    "Service restrictions are kept for at least 10 years and cannot be deleted: "
    "end the restriction by setting its end date instead."
)


KEEP_RESTRICTIONS_SQL = (
    f"RAISE EXCEPTION '{RESTRICTIONS_ARE_KEPT}' USING ERRCODE = 'integrity_constraint_violation';"
)

# A row that was ever live is kept: live now, published once, or recorded live by the
# audit log at any time (an import writes live rows without Wagtail's publication dates;
# an unpublish leaves "live: before true" behind). Only a draft that never went live, so
# never restricted anyone, may be discarded (by its author: snippets/viewsets.py).
# approvals.selectors.record_was_ever_live states the same rule for the admin.
KEEP_EVER_LIVE_RESTRICTIONS_SQL = (
    "IF OLD.live OR OLD.first_published_at IS NOT NULL OR EXISTS ("
    "SELECT 1 FROM audit_log a WHERE a.entity_id = OLD.id "
    "AND a.entity = 'servicerestriction' "
    "AND ((a.diff_json -> 'live' ->> 'before') = 'true' "
    "OR (a.diff_json -> 'live' ->> 'after') = 'true')) "
    f"THEN {KEEP_RESTRICTIONS_SQL} END IF; RETURN OLD;"
)


class RestrictionScope(models.TextChoices):
    ORG = "org", _("Whole agency")
    PROGRAM = "program", _("One program")


class RestrictionQuerySet(RegistryQuerySet):
    def active_on(self, day):
        """In force on ``day``: the end date, when there is one, is the last restricted day."""
        return self.filter(
            Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        )


class ServiceRestriction(RegistryRecord):
    """A client restricted from the whole agency or from one program for a period."""

    # Served by the (client, start_date) and (program, start_date) indexes below.
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="restrictions",
        db_index=False,
    )
    scope = models.CharField(_("scope"), max_length=10, choices=RestrictionScope.choices)
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restrictions",
        db_index=False,
        help_text=_("Required when the scope is one program; empty for the whole agency."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The last day of the restriction; empty if open-ended."),
    )
    reason = models.TextField(_("reason"))

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("service restrictions")
        verbose_name = _("service restriction")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=RestrictionScope.ORG) & Q(program__isnull=True))
                | (Q(scope=RestrictionScope.PROGRAM) & Q(program__isnull=False)),
                name="restriction_scope_matches_program",
                violation_error_message=_(
                    "Choose a program for a program restriction, and no "
                    "program for an agency-wide one."
                ),
            ),
            end_not_before_start(
                start="start_date",
                end="end_date",
                name="restriction_end_not_before_start",
                message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="restriction_reason_required",
                violation_error_message=_("Give the reason for the restriction."),
            ),
        ]
        indexes = [
            models.Index(fields=["client", "start_date"], name="restriction_client_start"),
            models.Index(fields=["program", "start_date"], name="restriction_program_start"),
            models.Index(fields=["start_date", "end_date"], name="restriction_dates"),
        ]
        triggers = [
            # Retention is the database's rule, not only the admin's: no path deletes one
            # that was ever in force.
            pgtrigger.Trigger(
                name="restrictions_are_kept",
                when=pgtrigger.Before,
                operation=pgtrigger.Delete,
                func=KEEP_EVER_LIVE_RESTRICTIONS_SQL,
            ),
            pgtrigger.Trigger(
                name="restrictions_are_kept_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func=REFUSE_TRUNCATE_SQL.format(refuse=KEEP_RESTRICTIONS_SQL),
            ),
        ]

    def clean(self):
        super().clean()
        # The CHECK constraint holds this too; here the message lands on the program field.
        if self.scope == RestrictionScope.PROGRAM and not self.program_id:
            raise ValidationError(
                {"program": gettext("Choose the program this restriction is for.")}
            )
        if self.scope == RestrictionScope.ORG and self.program_id:
            raise ValidationError(
                {
                    "program": gettext(
                        "An agency-wide restriction has no program: clear the program, "
                        "or change the scope to one program."
                    )
                }
            )

    def __str__(self):
        where = self.program.name if self.program_id else gettext("the whole agency")
        return gettext("%(client)s restricted from %(where)s from %(date)s") % {
            "client": self.client,
            "where": where,
            "date": f"{self.start_date:%Y-%m-%d}",
        }
