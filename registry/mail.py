"""Outgoing mail when production has no mail server configured (EMAIL_HOST unset)."""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("registry.mail")

NOT_CONFIGURED_BACKEND = "registry.mail.NotConfiguredEmailBackend"
NOT_CONFIGURED_MESSAGE = (
    "Mail is not configured (EMAIL_HOST is not set): approval notifications and "
    "password-reset e-mails are not sent. Set EMAIL_HOST and its companions (see .env.example)."
)


class NotConfiguredEmailBackend(BaseEmailBackend):
    """Sends nothing and reports every message as handled.

    Without it Django would try localhost:25 and log a traceback per notification; the
    start-up warning (warn_if_mail_not_configured) says once that mail is off.
    """

    def send_messages(self, email_messages):
        return len(email_messages or [])


def warn_if_mail_not_configured() -> None:
    """Log one warning line at start-up when outgoing mail goes nowhere."""
    if settings.EMAIL_BACKEND == NOT_CONFIGURED_BACKEND:
        logger.warning(NOT_CONFIGURED_MESSAGE)
