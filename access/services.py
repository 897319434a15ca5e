"""Writes of the need-to-know rule: access exceptions and the client's consent choice."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from snippets.models import Client, ClientRecordAccess
from snippets.services import client_access_record

from .models import AccessException, ExceptionReason


class ExceptionRefused(Exception):
    """The access exception cannot be granted; the message says why."""


@transaction.atomic
def access_exception_grant(*, staff, client: Client, reason: str, explanation: str):
    """Grant ``staff`` the full record of ``client`` for REGISTRY_ACCESS_EXCEPTION_HOURS,
    and write it to the access log. Raises ExceptionRefused without a reason from the list
    or without an explanation."""
    explanation = (explanation or "").strip()
    if reason not in ExceptionReason.values:
        raise ExceptionRefused(_("Choose why you need this record."))
    if not explanation:
        raise ExceptionRefused(_("Say in a few words why you need this record."))
    now = timezone.now()
    granted = AccessException.objects.create(
        staff=staff,
        client=client,
        reason=reason,
        explanation=explanation,
        expires_at=now + datetime.timedelta(hours=settings.REGISTRY_ACCESS_EXCEPTION_HOURS),
    )
    client_access_record(staff=staff, client=client, view=ClientRecordAccess.View.EXCEPTION)
    return granted


def client_sharing_consent_record(*, client: Client, consent: str, staff) -> None:
    """Remember who recorded the client's consent choice and when (on the instance; the
    caller saves it, so it goes through drafts and approvals like any other field)."""
    client.sharing_consent = consent
    client.sharing_consent_recorded_by = staff
    client.sharing_consent_recorded_at = timezone.now()
