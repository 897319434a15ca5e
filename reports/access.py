"""Who may read the reports: one rule used by the pages, their CSV routes and the sidebar."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from staff.roles import RoleName

# Staff see individual clients in the admin but not the agency-wide figures; everyone
# else reads them. Reading a report is not editing its page: these roles get no page
# permissions, so the check is made here rather than through Wagtail's page privacy.
REPORT_READER_ROLES = frozenset(
    {
        RoleName.ADMINISTRATOR,
        RoleName.COORDINATOR,
        RoleName.LEADER,
        RoleName.ANALYST,
        RoleName.MANAGER,
    }
)


def user_can_read_reports(user) -> bool:
    """True for an active staff member holding at least one report-reading role."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=REPORT_READER_ROLES).exists()


def report_readers_only(view):
    """Guard a page's serve() or route: anonymous visitors go to the login, other roles get 403.

    Applied to every route (page and CSV) because routes bypass the page's own serve().
    """

    @wraps(view)
    def guarded(page, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_can_read_reports(request.user):
            raise PermissionDenied(
                _("Reports are for Administrators, Coordinators, Leaders, Analysts and Managers.")
            )
        return view(page, request, *args, **kwargs)

    return guarded
