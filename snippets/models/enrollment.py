import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DateField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .base import ManyRowsRecord, RegistryQuerySet, bookkeeping_indexes, end_not_before_start
from .client import Client
from .program import Program

# An open enrollment (no end date yet) runs on for ever. Comparing
# COALESCE(end_date, 9999-12-31) with a day, rather than "end_date IS NULL OR end_date >= day",
# makes "still enrolled after a day" one range on one index (report_enrollment_span, below),
# which the reports read without touching the table.
OPEN_ENDED = datetime.date.max


def end_or_open_ended():
    """The enrollment's end date, or OPEN_ENDED while it has none."""
    return Coalesce("end_date", Value(OPEN_ENDED), output_field=DateField())


class EnrollmentQuerySet(RegistryQuerySet):
    def active_on(self, day):
        """Enrolled on ``day``: started on or before it and not yet left.

        The end date is the day the person left (as bed-night counts treat it), so an
        enrollment ending on ``day`` no longer occupies a place that day.
        """
        return self.filter(Q(start_date__lte=day), GreaterThan(end_or_open_ended(), day))

    def overlapping(self, date_from, date_to):
        """Enrolled at any time from ``date_from`` to ``date_to``, both days included."""
        return self.filter(
            Q(start_date__lte=date_to), GreaterThanOrEqual(end_or_open_ended(), date_from)
        )


class ClientProgramEnrollment(ManyRowsRecord):
    """A client's enrollment in a program; several at once are allowed."""

    # No single-column indexes: the (client, date) and (program, date) indexes below lead
    # with these columns and serve the same lookups, at half the cost on every write.
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="enrollments",
        db_index=False,
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="enrollments",
        db_index=False,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The day the client left.")
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("enrollments")
        verbose_name = _("enrollment")
        ordering = ["-start_date"]
        constraints = [
            end_not_before_start(
                start="start_date",
                end="end_date",
                name="enrollment_end_not_before_start",
                message=_("The end date cannot be before the start date."),
            )
        ]
        indexes = [
            models.Index(
                fields=["program", "start_date", "end_date"], name="enrollment_program_dates"
            ),
            # Covering the program too: the daily import asks, for each of ~100,000 rows,
            # whether this client already has this program's enrollment from this day, and
            # answers from the index without reading the table. The end date and "live"
            # too: the need-to-know probe of a large scope (access.ProbedExists: a live
            # enrollment in one of the reader's programs, not ended before the scope
            # window) is answered from the index alone, without visiting each of the
            # client's enrollments in the table (a Leader's Restrictions list: 10,000 probes).
            models.Index(
                fields=["client", "start_date"],
                include=["program", "end_date", "live"],
                name="enrollment_client_start",
            ),
            # Vacancy Tracker and Org Summary (EnrollmentQuerySet.active_on, .overlapping):
            # live enrollments still running after a day are one range of this index, read
            # without touching the table (end_date is included because PostgreSQL only
            # answers from an expression index when the columns inside it are in it too).
            # The planner's statistics on the expression: snippets/models/sql.py.
            models.Index(
                end_or_open_ended(),
                include=["start_date", "end_date", "program", "client"],
                condition=Q(live=True),
                name="report_enrollment_span",
            ),
            *bookkeeping_indexes("enrollment"),
            # The Enrollments list's default order, newest first (Meta.ordering): its first
            # page reads 50 index entries instead of sorting 5,000,000 enrollments.
            models.Index(fields=["-start_date"], name="enrollment_newest"),
            # Who is enrolled in a program today (Programs' "Enrolled today", a program's
            # page): the live enrollments of the program not yet ended, read from the index
            # alone, instead of every enrollment the program ever had. end_date is included
            # so PostgreSQL answers the expression from the index without visiting the
            # table (sorting Programs by "Enrolled today" counts every program's).
            models.Index(
                "program",
                end_or_open_ended(),
                "start_date",
                include=["client", "end_date"],
                condition=Q(live=True),
                name="enrollment_program_open_span",
            ),
        ]

    def __str__(self):
        return gettext("%(client)s in %(program)s from %(date)s") % {
            "client": self.client,
            "program": self.program,
            "date": f"{self.start_date:%Y-%m-%d}",
        }

    def clean(self):
        super().clean()
        if not (self.client_id and self.program_id and self.start_date):
            return
        if self.pk and not self._adding_or_moving():
            return  # editing an existing enrollment's end date is always allowed
        from snippets.selectors import restriction_blocking_enrollment

        restriction = restriction_blocking_enrollment(
            client_id=self.client_id, program_id=self.program_id, start_date=self.start_date
        )
        if restriction:
            scope = (
                gettext("the whole agency")
                if restriction.scope == "org"
                else f"{restriction.program.name}"
            )
            until = (
                gettext("until %(date)s") % {"date": f"{restriction.end_date:%Y-%m-%d}"}
                if restriction.end_date
                else gettext("with no end date")
            )
            raise ValidationError(
                gettext(
                    "%(client)s is restricted from %(scope)s from %(start)s %(until)s "
                    "(reason: %(reason)s). An enrollment cannot start during a restriction."
                )
                % {
                    "client": restriction.client,
                    "scope": scope,
                    "start": f"{restriction.start_date:%Y-%m-%d}",
                    "until": until,
                    "reason": restriction.reason,
                }
            )

    def _adding_or_moving(self) -> bool:
        """True when the client, program or start date differ from the saved live row."""
        saved = (
            type(self)
            .objects.filter(pk=self.pk)
            .values("client_id", "program_id", "start_date")
            .first()
        )
        return saved is None or saved != {
            "client_id": self.client_id,
            "program_id": self.program_id,
            "start_date": self.start_date,
        }


class Intake(ManyRowsRecord):
    # No single-column indexes: the (client, date) and (program, date) indexes below lead
    # with these columns and serve the same lookups, at half the cost on every write.
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="intakes",
        db_index=False,
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="intakes",
        db_index=False,
    )
    intake_date = models.DateField(_("intake date"))
    source_system = models.CharField(
        _("source system"),
        max_length=20,
        blank=True,
        help_text=_("Where the intake was recorded: SMIS, EMH, FFAI, ..."),
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-intake_date"]
        indexes = [
            models.Index(fields=["program", "intake_date"], name="intake_program_date"),
            # Covering, for the daily import's "already recorded?" check (see enrollments),
            # and with "live" for the need-to-know probe, answered from the index alone.
            models.Index(
                fields=["client", "intake_date"],
                include=["program", "source_system", "live"],
                name="intake_client_date",
            ),
            # Org Summary: the period's live intakes by program.
            models.Index(
                fields=["intake_date"],
                include=["program", "client"],
                condition=Q(live=True),
                name="report_intake_date",
            ),
            *bookkeeping_indexes("intake"),
            # The Intakes list's default order, newest first (Meta.ordering).
            models.Index(fields=["-intake_date"], name="intake_newest"),
        ]

    def __str__(self):
        return gettext("Intake of %(client)s to %(program)s on %(date)s") % {
            "client": self.client,
            "program": self.program,
            "date": f"{self.intake_date:%Y-%m-%d}",
        }


class Discharge(ManyRowsRecord):
    # No single-column indexes: the (client, date) and (program, date) indexes below lead
    # with these columns and serve the same lookups, at half the cost on every write.
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="discharges",
        db_index=False,
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="discharges",
        db_index=False,
    )
    discharge_date = models.DateField(_("discharge date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("discharge")
        verbose_name_plural = _("discharges")
        ordering = ["-discharge_date"]
        indexes = [
            models.Index(fields=["program", "discharge_date"], name="discharge_program_date"),
            # Covering, for the daily import's "already recorded?" check (see enrollments),
            # and with "live" for the need-to-know probe, answered from the index alone.
            models.Index(
                fields=["client", "discharge_date"],
                include=["program", "live"],
                name="discharge_client_date",
            ),
            # Org Summary: the period's live discharges by program.
            models.Index(
                fields=["discharge_date"],
                include=["program", "client"],
                condition=Q(live=True),
                name="report_discharge_date",
            ),
            *bookkeeping_indexes("discharge"),
            # The Discharges list's default order, newest first (Meta.ordering).
            models.Index(fields=["-discharge_date"], name="discharge_newest"),
        ]

    def __str__(self):
        return gettext("Discharge of %(client)s from %(program)s on %(date)s") % {
            "client": self.client,
            "program": self.program,
            "date": f"{self.discharge_date:%Y-%m-%d}",
        }
