"""The six roles and what each may do with registry records.

A role is a Wagtail group of the same name; a staff member holds a role through a row in
the StaffRoles table, which is the very table behind the Wagtail user admin's group
checkboxes. So there is one source of truth for who may do what.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoleName(models.TextChoices):
    # The value is the group's name (stored); the label is how a role is shown.
    ADMINISTRATOR = "Administrator", _("Administrator")
    COORDINATOR = "Coordinator", _("Coordinator")
    MANAGER = "Manager", _("Manager")
    LEADER = "Leader", _("Leader")
    STAFF = "Staff", pgettext_lazy("role", "Staff")
    ANALYST = "Analyst", _("Analyst")


def role_label(name: str) -> str:
    """A role's name as shown in the reader's language; another group's name as stored."""
    return RoleName(name).label if name in RoleName.values else name


# Actions on each registry record type, per role. "publish" makes a change live;
# "lock"/"unlock" are Wagtail's editing locks. Delete is the Administrator's alone, and
# service restrictions are never deleted by anyone (they are kept at least 10 years).
REGISTRY_ACTIONS_BY_ROLE: dict[str, tuple[str, ...]] = {
    RoleName.ADMINISTRATOR: ("view", "add", "change", "publish", "lock", "unlock", "delete"),
    RoleName.COORDINATOR: ("view", "add", "change", "publish", "lock", "unlock"),
    RoleName.MANAGER: ("view", "add", "change"),
    RoleName.LEADER: ("view", "add", "change"),
    RoleName.STAFF: ("view",),
    RoleName.ANALYST: ("view",),
}

# Record types whose delete permission no role receives.
UNDELETABLE_MODELS = {"servicerestriction"}

# Beyond registry records: Coordinators decide pending changes and read the audit log
# (Administrators hold every permission). As "app_label.codename".
EXTRA_PERMISSIONS_BY_ROLE: dict[str, tuple[str, ...]] = {
    RoleName.COORDINATOR: (
        "approvals.view_pendingchange",
        "approvals.decide_pendingchange",
        "audit.view_auditlog",
        # "Possible matches": same person or not, merge and unmerge (identity/).
        "identity.decide_possiblematch",
    ),
}
