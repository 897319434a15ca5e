"""Writes to staff and roles."""

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.users.models import UserProfile

from .models import Staff
from .roles import (
    EXTRA_PERMISSIONS_BY_ROLE,
    REGISTRY_ACTIONS_BY_ROLE,
    UNDELETABLE_MODELS,
    RoleName,
)
from .signals import roles_ensured

REGISTRY_APP = "snippets"


def _registry_model_names() -> list[str]:
    """The registry's record types (snippets.models.REGISTRY_RECORD_TYPES), by model name.

    Read through the app registry rather than imported: the registry's records build on
    staff (they name staff members), so staff does not import snippets."""
    record_types = apps.get_app_config(REGISTRY_APP).models_module.REGISTRY_RECORD_TYPES
    return [model._meta.model_name for model in record_types]


def _registry_permissions(actions: Iterable[str]) -> list[Permission]:
    codenames = [
        f"{action}_{model}"
        for model in _registry_model_names()
        for action in actions
        if not (action == "delete" and model in UNDELETABLE_MODELS)
    ]
    found = list(
        Permission.objects.filter(content_type__app_label=REGISTRY_APP, codename__in=codenames)
    )
    missing = set(codenames) - {p.codename for p in found}
    if missing:
        # publish/lock/unlock are created by Wagtail after migrate; without them a role
        # would silently lack a power it should have.
        raise RuntimeError(
            f"Permissions missing: {', '.join(sorted(missing))}. Run `manage.py migrate` first."
        )
    return found


def _extra_permissions(role: str) -> list[Permission]:
    wanted = EXTRA_PERMISSIONS_BY_ROLE.get(role, ())
    found = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in (label.split(".") for label in wanted)
    ]
    return found


def _undeletable_permissions() -> list[str]:
    return [f"delete_{model}" for model in UNDELETABLE_MODELS]


# Groups Wagtail's migrations create for page editing; the registry's roles replace them.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the six roles and set each one's permissions to exactly what it should hold,
    and delete Wagtail's default Moderators and Editors groups.

    Idempotent: running it again repairs any drift (a permission added or removed by hand
    in the group editor). Returns the groups by role name.
    """
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    # Not offered as roles: nobody could tell what they allow in a registry.
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).delete()
    groups = {}
    for role in RoleName:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == RoleName.ADMINISTRATOR:
            # "Everything, staff and roles included" — except deleting what must be kept.
            permissions = list(
                Permission.objects.exclude(
                    content_type__app_label=REGISTRY_APP, codename__in=_undeletable_permissions()
                )
            )
        else:
            permissions = [
                access_admin,
                *_registry_permissions(REGISTRY_ACTIONS_BY_ROLE[role]),
                *_extra_permissions(role),
            ]
        group.permissions.set(permissions)
        groups[role.value] = group

    administrators = groups[RoleName.ADMINISTRATOR]
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        ):
            GroupPagePermission.objects.get_or_create(
                group=administrators, page=root_page, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for permission in Permission.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"],
            codename__regex=r"^(add|change|delete|choose)_",
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=administrators, collection=root_collection, permission=permission
            )

    # Apps built on the roles finish their setup (approvals: the Coordinator workflow).
    roles_ensured.send(sender=roles_ensure, groups=groups)
    return groups


def staff_assign_roles(*, staff: Staff, roles: Iterable[str]) -> None:
    """Give ``staff`` exactly these roles (by name), creating StaffRole rows as needed."""
    groups = list(Group.objects.filter(name__in=list(roles)))
    unknown = set(roles) - {g.name for g in groups}
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}. Run setup_roles first.")
    staff.groups.set(groups)


def staff_create(
    *, email: str, first_name: str, last_name: str, password: str | None, roles: Iterable[str]
) -> Staff:
    """Create (or update, matched by email) a staff member holding exactly ``roles``."""
    with transaction.atomic():
        staff = Staff.objects.filter(email=email.strip().lower()).first()
        if staff is None:
            staff = Staff.objects.create_user(
                email, password, first_name=first_name, last_name=last_name
            )
        else:
            staff.first_name, staff.last_name = first_name, last_name
            if password:
                staff.set_password(password)
            staff.save()
        staff_assign_roles(staff=staff, roles=roles)
    return staff


def staff_set_language(*, staff: Staff, language: str) -> None:
    """Remember ``language`` (a code from settings.LANGUAGES) as the person's own.

    It is Wagtail's per-user preference (Account › Preferences), so the admin and the
    report pages follow one choice. Raises ValueError for a language the registry lacks.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Not one of the registry's languages: {language!r}")
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
