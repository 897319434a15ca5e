"""Reads about staff sign-in."""

from django.conf import settings
from django.utils import timezone


def locked_sign_ins():
    """Sign-ins locked out now (django-axes' attempts at the failure limit within the
    cool-off time), newest attempt first: e-mail, address and last attempt."""
    from axes.models import AccessAttempt

    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if cooloff:
        locked = locked.filter(attempt_time__gte=timezone.now() - cooloff)
    return locked.order_by("-attempt_time")
