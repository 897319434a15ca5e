from django import template

from .. import selectors
from ..views import can_decide

register = template.Library()


@register.inclusion_tag("identity/includes/client_identity.html", takes_context=True)
def client_identity_panel(context, client):
    """On a client's record: "may be the same person as …" while a pair waits, the records
    merged into this one (with "Undo merge"), and "Merge with another record"."""
    request = context["request"]
    return {
        **selectors.client_identity(client=client),
        "client": client,
        "can_decide": can_decide(request.user),
        "csrf_token": context.get("csrf_token"),
    }
