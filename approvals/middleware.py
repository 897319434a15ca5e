from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse

from .services import ApprovalRefused


class ApprovalRefusedMiddleware:
    """A decision refused from Wagtail's own editor or dashboard (a conflict, a decline
    without rationale, one's own submission) shows its reason instead of a server error.

    Runs inside ActorMiddleware's transaction, which it rolls back: nothing is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApprovalRefused):
            return None
        transaction.set_rollback(True)
        messages.error(request, str(exception))
        return redirect(request.META.get("HTTP_REFERER") or reverse("approvals:index"))
