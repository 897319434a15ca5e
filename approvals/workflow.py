"""Glue between Wagtail's moderation workflow and pending changes.

Every transition of a submission goes through Wagtail (its editor buttons, its dashboard
panel, or our Approvals screens calling the task's actions); these receivers keep the
PendingChanges table in step, inside the same transaction.
"""

from django.dispatch import receiver
from wagtail.signals import task_cancelled, task_rejected, task_submitted

from staff.signals import roles_ensured

# Wagtail imports this module while defining its models (for the finish action), so the
# services, which import those models, are imported when first needed.


def finish_workflow(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: merge the approved submission instead of publishing
    the latest revision wholesale (which would undo any change made since)."""
    from . import services

    services.pending_change_apply(task_state=workflow_state.current_task_state, reviewer=user)


@receiver(roles_ensured)
def approval_workflow_on_roles(sender, **kwargs):
    # Manager and Leader edits wait for a Coordinator: the workflow names the role, so it
    # is (re)made whenever the roles are (setup_roles, the test database).
    from . import services

    services.approval_workflow_ensure()


@receiver(task_submitted)
def pending_change_on_submit(sender, instance, user=None, **kwargs):
    # Fires on the first submission and on each resubmission after a decline.
    from . import services

    services.pending_change_open(task_state=instance, requested_by=user)


@receiver(task_rejected)
def pending_change_on_reject(sender, instance, user=None, **kwargs):
    from . import services

    services.pending_change_mark_declined(
        task_state=instance, reviewer=user, rationale=instance.comment
    )


@receiver(task_cancelled)
def pending_change_on_cancel(sender, instance, user=None, **kwargs):
    from . import services

    services.pending_change_mark_cancelled(task_state=instance, user=user)
