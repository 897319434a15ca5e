from axes.backends import AxesStandaloneBackend


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
