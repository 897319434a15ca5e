"""Staff are the people who log in; roles are the groups that grant them permissions."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import RoleName


class StaffManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("Staff need an email address to log in.")
        staff = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        staff.set_password(password)
        staff.save(using=self._db)
        return staff

    def create_superuser(self, email, password=None, **extra_fields):
        """`createsuperuser` makes an Administrator: permissions come only from roles."""
        from .services import roles_ensure, staff_assign_roles

        extra_fields.pop("is_superuser", None)
        staff = self.create_user(email, password, **extra_fields)
        roles_ensure()
        staff_assign_roles(staff=staff, roles=[RoleName.ADMINISTRATOR])
        return staff

    def get_by_natural_key(self, username):
        return self.get(email=username.strip().lower())


class Staff(AbstractBaseUser, PermissionsMixin):
    """A member of the agency's staff, who logs in with their email address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    # Stored in lower case (CHECK below), so the unique index is case-insensitive.
    email = models.EmailField(_("email"), max_length=254, unique=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        db_column="active",
        help_text=_("Inactive staff cannot log in; their history stays."),
    )
    # Roles: the Wagtail user admin's group checkboxes write straight into StaffRole.
    groups = models.ManyToManyField(
        Group,
        through="StaffRole",
        verbose_name=_("roles"),
        blank=True,
        related_name="user_set",
        related_query_name="user",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = pgettext_lazy("people", "staff")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="staff_email_lower_case",
                violation_error_message="Email addresses are stored in lower case.",
            ),
            # Every permission comes from a role: the superuser flag, which would bypass
            # roles, is never set (createsuperuser makes an Administrator instead).
            models.CheckConstraint(
                condition=models.Q(is_superuser=False),
                name="staff_permissions_only_from_roles",
                violation_error_message="Permissions come from roles; give the Administrator "
                "role instead.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def role_names(self) -> list[str]:
        return [group.name for group in self.groups.all()]


class RoleQuerySet(models.QuerySet):
    def registry_roles(self):
        return self.filter(name__in=RoleName.values)


class Role(Group):
    """A role is a Wagtail group; this proxy names it in the agency's words."""

    objects = RoleQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("role")


class StaffRole(models.Model):
    """The StaffRoles junction: which staff member holds which role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="staff_roles")

    class Meta:
        db_table = "staff_roles"
        verbose_name = _("staff role")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "role"],
                name="staff_role_unique",
                violation_error_message="This staff member already holds this role.",
            )
        ]

    def __str__(self):
        return f"{self.staff} – {self.role.name}"
