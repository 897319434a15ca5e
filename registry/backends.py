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
