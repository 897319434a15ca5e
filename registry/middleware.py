"""Project-wide middleware: the container health check, the Content-Security-Policy and the
person's language."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.http import HttpResponse
from django.utils import translation

HEALTH_CHECK_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer ``GET /healthz`` with 200 when the database answers, 503 when it does not.

    It runs first, before host validation and the HTTPS redirect, because the probe comes
    from inside the container (Docker's HEALTHCHECK, a load balancer) by plain HTTP to an
    address that is not in ALLOWED_HOSTS. It says nothing about the registry's contents.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_CHECK_PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # any database failure means "not ready"
            return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")


class RegistryCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxations applied under /admin/ only.

    Wagtail 8.0's admin renders inline ``<script>`` blocks (date pickers, inline panels)
    without a nonce, so the admin needs 'unsafe-inline' for scripts; every other page
    keeps the strict policy from CONTENT_SECURITY_POLICY.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.replace = {**settings.REGISTRY_ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts


class IdleTimeoutMiddleware:
    """Count each request as activity, pushing the session's end SESSION_COOKIE_AGE out,
    except the admin's background pings.

    This replaces SESSION_SAVE_EVERY_REQUEST: an open edit form pings the server every
    10 seconds (Wagtail's editing sessions) whether or not anyone is at the screen, and
    counting those would keep an unattended session signed in for ever. Place it after
    SessionMiddleware.
    """

    BACKGROUND_PATHS = ("/admin/editing-sessions/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not request.path.startswith(self.BACKGROUND_PATHS):
            session.modified = True  # saved (and so renewed) unless it is empty
        return response


class PersonLanguageMiddleware:
    """Speak a signed-in person's own language (Account › Preferences) on every page.

    Wagtail applies that preference inside admin views only; the report pages are site
    pages, so without this a French-speaking reader would get the browser's language
    there. Without a preference, LocaleMiddleware's choice (the language cookie set by
    the report pages' switch, else the browser's Accept-Language) stands.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = preferred_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def preferred_language(user) -> str:
    """The person's chosen language code, or "" when they have not chosen one."""
    if not user.is_authenticated:
        return ""
    try:
        profile = user.wagtail_userprofile  # cached on the user: Wagtail reads it too
    except ObjectDoesNotExist:
        return ""
    language = profile.preferred_language
    return language if language in dict(settings.LANGUAGES) else ""
