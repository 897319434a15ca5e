from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from .base import RegistryQuerySet, RegistryRecord


class Department(RegistryRecord):
    """A part of the agency that runs programs and services."""

    name = models.CharField(_("name"), max_length=200)
    # Nullable as the original ticket asks: "no owner recorded" is distinct from blank.
    owner = models.CharField(  # noqa: DJ001
        _("owner"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("Who is accountable for it."),
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="department_name_unique_ci",
                violation_error_message=_(
                    "A department with this name already exists (names are compared ignoring case)."
                ),
            )
        ]

    def __str__(self):
        return self.name


class DepartmentStaff(Orderable):
    """A staff member (typically a Leader) assigned to a whole department: it covers every
    program the department runs, for the need-to-know rule (access/rules.py)."""

    department = ParentalKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="staff_assignments",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        on_delete=models.PROTECT,
        related_name="department_assignments",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("department staff")
        verbose_name_plural = _("department staff")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "staff"],
                name="department_staff_unique",
                violation_error_message=_(
                    "This staff member is already assigned to the department."
                ),
            )
        ]

    def __str__(self):
        return str(self.staff)
