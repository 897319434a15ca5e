"""Approval e-mails in each recipient's language.

Wagtail renders each notification inside the recipient's preference, but for a recipient
with no preference of their own it takes the language active at that moment: the sender's
(a French-speaking Manager's submission would e-mail every Coordinator in French). Here a
recipient without a preference gets the agency's language (LANGUAGE_CODE), as the admin
would give them without a browser language.
"""

from django.conf import settings
from django.utils import translation
from wagtail.admin import mail
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted


class RecipientLanguageMixin:
    def send_emails(self, template_set, context, recipients, **kwargs):
        sent = True
        for recipient in recipients:
            with translation.override(settings.LANGUAGE_CODE):
                sent = super().send_emails(template_set, context, [recipient], **kwargs) and sent
        return sent


def _notifier(base):
    return type(base.__name__, (RecipientLanguageMixin, base), {})()


# Wagtail's receivers (wagtail/admin/signal_handlers.py), by their dispatch_uid.
NOTIFIERS = [
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        _notifier(mail.GroupApprovalTaskStateSubmissionEmailNotifier),
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        _notifier(mail.WorkflowStateSubmissionEmailNotifier),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        _notifier(mail.WorkflowStateRejectionEmailNotifier),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        _notifier(mail.WorkflowStateApprovalEmailNotifier),
    ),
]


def notifiers_connect() -> None:
    """Put ours in place of Wagtail's (same signals, same dispatch_uid: whichever app is
    ready first, only ours stays connected)."""
    for signal, sender, uid, notifier in NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(notifier, sender=sender, dispatch_uid=uid, weak=False)
