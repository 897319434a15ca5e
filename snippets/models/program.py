from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from .base import RegistryQuerySet, RegistryRecord
from .department import Department


class Program(RegistryRecord):
    """A program or service (a shelter, a drop-in, counselling) run by a department."""

    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,  # a department with programs cannot be deleted
        related_name="programs",
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    capacity_current = models.PositiveIntegerField(
        _("current capacity"),
        null=True,
        blank=True,
        help_text=_("Beds or places. Leave empty for services without a fixed capacity."),
    )
    capacity_effective_date = models.DateField(_("capacity effective from"), null=True, blank=True)
    # A confidential program (a domestic-violence shelter, say): enrollment in it is seen
    # only by its own staff and by Administrators (access/rules.py).
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        db_default=False,
        help_text=_(
            "Enrollment in this program is visible only to its own staff and to Administrators."
        ),
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program or service")
        verbose_name_plural = _("programs & services")
        constraints = [
            # The daily import names programs by name, so a name picks exactly one program.
            models.UniqueConstraint(
                Lower("name"),
                name="program_name_unique_ci",
                violation_error_message=_(
                    "A program with this name already exists (names are compared ignoring case)."
                ),
            ),
        ]
        indexes = [
            # Admin search uses UPPER(name) LIKE '%...%'; a trigram index keeps it fast.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="program_name_trgm"),
        ]

    def __str__(self):
        return self.name


class ProgramStaff(Orderable):
    """A staff member assigned to a program; several per program, several managers allowed."""

    program = ParentalKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="staff_assignments",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        on_delete=models.PROTECT,
        related_name="program_assignments",
    )
    is_manager = models.BooleanField(_("manager"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("program staff")
        verbose_name_plural = _("program staff")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "staff"],
                name="program_staff_unique",
                violation_error_message=_("This staff member is already assigned to the program."),
            )
        ]

    def __str__(self):
        role = gettext("manager") if self.is_manager else gettext("staff")
        return f"{self.staff} ({role})"


class DateRangeInclusive(models.Func):
    """daterange(from, to, '[]'): both days included; a NULL bound is unbounded."""

    function = "daterange"
    template = "%(function)s(%(expressions)s, '[]')"
    output_field = DateRangeField()


def capacity_period():
    """The entry's period as an inclusive daterange: the expression of the exclusion
    constraint below, so a lookup written with it is served by that constraint's GiST
    index (program_id, daterange)."""
    return DateRangeInclusive("effective_from", "effective_to")


class ProgramCapacityQuerySet(models.QuerySet):
    def in_effect_on(self, day):
        """The capacity entries in effect on ``day`` (at most one per program): a range
        lookup, ``daterange(from, to, '[]') @> day``, an empty bound unbounded."""
        return self.alias(period=capacity_period()).filter(period__contains=day)


class ProgramCapacity(Orderable):
    """The program's capacity over a period: places from ``effective_from`` to
    ``effective_to``, both days included. An empty start means "since the program began",
    an empty end "still in effect". A day no entry covers has no capacity recorded.

    Edited as a list on the program's form, so a change goes through the program's
    revisions and approvals like any other field. Periods of one program never overlap
    (an exclusion constraint in the database).
    """

    program = ParentalKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="capacity_history",
    )
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Beds or places."))
    effective_from = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Leave empty for “since the program began”.")
    )
    effective_to = models.DateField(
        _("to (last day)"), null=True, blank=True, help_text=_("Leave empty while still in effect.")
    )

    objects = ProgramCapacityQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("capacity period")
        verbose_name_plural = _("capacity history")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=0),
                name="program_capacity_not_negative",
                violation_error_message=_("A capacity cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(effective_from__isnull=True)
                | models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="program_capacity_period_in_order",
                violation_error_message=_("A capacity period cannot end before it starts."),
            ),
            # Two periods of one program covering the same day would give that day two
            # capacities. Inclusive date ranges; an empty bound is unbounded, as in
            # PostgreSQL's daterange. Needs btree_gist for the equality on program_id.
            ExclusionConstraint(
                name="program_capacity_periods_do_not_overlap",
                expressions=[
                    ("program", RangeOperators.EQUAL),
                    (capacity_period(), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_(
                    "Capacity periods of one program cannot overlap: "
                    "end the earlier period the day before the next one starts."
                ),
            ),
        ]

    def __str__(self):
        start = self.effective_from.isoformat() if self.effective_from else gettext("the start")
        end = self.effective_to.isoformat() if self.effective_to else gettext("now")
        return ngettext(
            "%(count)s place, %(start)s to %(end)s",
            "%(count)s places, %(start)s to %(end)s",
            self.capacity,
        ) % {"count": self.capacity, "start": start, "end": end}
