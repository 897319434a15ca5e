from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from .base import RegistryQuerySet, RegistryRecord
from .department import Department


class Program(RegistryRecord):
    """A program or service (a shelter, a drop-in, counselling) run by a department."""

    name = models.CharField(max_length=200)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,  # a department with programs cannot be deleted
        related_name="programs",
    )
    location = models.CharField(max_length=300, blank=True)
    capacity_current = models.PositiveIntegerField(
        "current capacity",
        null=True,
        blank=True,
        help_text="Beds or places. Leave empty for services without a fixed capacity.",
    )
    capacity_effective_date = models.DateField("capacity effective from", null=True, blank=True)
    # A confidential program (a domestic-violence shelter, say): enrollment in it is seen
    # only by its own staff and by Administrators (access/rules.py).
    confidential = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Enrollment in this program is visible only to its own staff and to "
        "Administrators.",
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "program or service"
        verbose_name_plural = "programs & services"
        constraints = [
            # The daily import names programs by name, so a name picks exactly one program.
            models.UniqueConstraint(
                Lower("name"),
                name="program_name_unique_ci",
                violation_error_message="A program with this name already exists "
                "(names are compared ignoring case).",
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

    program = ParentalKey(Program, on_delete=models.CASCADE, related_name="staff_assignments")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="program_assignments"
    )
    is_manager = models.BooleanField("manager", default=False)

    class Meta(Orderable.Meta):
        verbose_name = "program staff"
        verbose_name_plural = "program staff"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "staff"],
                name="program_staff_unique",
                violation_error_message="This staff member is already assigned to the program.",
            )
        ]

    def __str__(self):
        role = "manager" if self.is_manager else "staff"
        return f"{self.staff} ({role})"
