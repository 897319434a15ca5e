from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that arrive over HTTP.

    Axes refuses any authenticate() call without a request. Only code calls it that way
    (management commands, the test client's login()), never a guesser on the network,
    so those calls skip the throttle instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_client_address(request) -> str | None:
    """The address sign-in attempts are counted against (AXES_CLIENT_IP_CALLABLE).

    Behind the reverse proxy every request comes from the proxy's address, so with
    LOGIN_TRUST_X_FORWARDED_FOR the last X-Forwarded-For entry (the one the proxy itself
    wrote) is used instead. Without it the header is ignored: a client could forge it.
    """
    if settings.LOGIN_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def login_username(request, credentials: dict | None = None) -> str | None:
    """The e-mail sign-in attempts are counted against (AXES_USERNAME_CALLABLE).

    Normalised as staff.models stores e-mails (stripped, lower case), so that
    ``ANALYST@…`` and ``analyst@…`` are one account to the lockout as they are to sign-in.
    Axes calls this both when it checks for a lockout (with the credentials given to
    authenticate()) and when it counts a failure.
    """
    if credentials is not None and settings.AXES_USERNAME_FORM_FIELD in credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        username = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username).strip().lower()
