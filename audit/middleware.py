from django.db import transaction

from .context import actor_set


class ActorMiddleware:
    """Run each signed-in request in one transaction that names its staff member as actor.

    The audit trigger reads the actor from the transaction, so every registry write the
    request makes (however deep in Wagtail) is recorded as theirs. A server error rolls the
    whole request back, as ATOMIC_REQUESTS would. Place after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with transaction.atomic():
            actor_set(user)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response
