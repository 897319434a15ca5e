"""Wagtail's own reports (Site history, Workflows, Workflow tasks, Locked pages, Aging
pages, Page types usage) show who edited which client: only audit-log readers open them.

Their URLs are served again, ahead of Wagtail's, wrapped in the audit-log check; the
names stay Wagtail's, so every link Wagtail builds still reaches the wrapped view.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import path
from wagtail.admin.urls import reports as wagtail_reports

from .views import can_read_audit


def audit_readers_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # Signed-out visitors go on to Wagtail's own check, which sends them to log in.
        if request.user.is_authenticated and not can_read_audit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def gated_report_urlpatterns():
    """Wagtail's report URL patterns, each behind the audit-log permission (no names)."""
    return [
        path(str(pattern.pattern), audit_readers_only(pattern.callback))
        for pattern in wagtail_reports.urlpatterns
    ]
