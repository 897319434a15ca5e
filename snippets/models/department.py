from django.db import models
from django.db.models.functions import Lower

from .base import RegistryQuerySet, RegistryRecord


class Department(RegistryRecord):
    """A part of the agency that runs programs and services."""

    name = models.CharField(max_length=200)
    # Nullable as the original ticket asks: "no owner recorded" is distinct from blank.
    owner = models.CharField(  # noqa: DJ001
        max_length=200, null=True, blank=True, help_text="Who is accountable for it."
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="department_name_unique_ci",
                violation_error_message="A department with this name already exists "
                "(names are compared ignoring case).",
            )
        ]

    def __str__(self):
        return self.name
