"""Writes for approvals: the workflow set-up, and each transition of a pending change.

Wagtail's moderation workflow drives the transitions (approvals/workflow.py connects its
signals and its finish action here); the Approvals screens call ``pending_change_approve``
and ``pending_change_decline``, which go through the same Wagtail task actions, so a
decision made from Wagtail's own editor and one made from Approvals behave the same.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowContentType, WorkflowTask

from audit.context import acting_as
from audit.display import field_label, model_for_entity
from staff.roles import RoleName

from .diff import changes, child_relations, creation, snapshot
from .models import ChangeKind, ChangeStatus, PendingChange

WORKFLOW_NAME = "Coordinator approval"
TASK_NAME = "Coordinator approval"
DECIDE_PERMISSION = "approvals.decide_pendingchange"


class ApprovalRefused(Exception):
    """A decision that cannot be made; the message says why, for the person deciding.

    Raised inside the decision's transaction, so nothing of it is written.
    """


def registry_record_models():
    # Read when called, so importing this module does not load the registry's models.
    # The registry's edit views ask approvals who may decide, so this import is inherent.
    from snippets.models import REGISTRY_RECORD_TYPES  # cycle: edit views ask approvals

    return list(REGISTRY_RECORD_TYPES)


@transaction.atomic
def approval_workflow_ensure() -> Workflow:
    """Create (or repair) the one workflow every registry record type goes through.

    A single group-approval task held by the Coordinator role, assigned to each registry
    snippet model. Idempotent; run by ``setup_roles`` (on ``staff.signals.roles_ensured``), after
    migrate, because Wagtail creates the publish permission approvers need after migrate.
    """
    coordinators = Group.objects.get(name=RoleName.COORDINATOR)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.active = True
    task.save()
    task.groups.set([coordinators])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    workflow.active = True
    workflow.save()
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    for model in registry_record_models():
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
            defaults={"workflow": workflow},
        )
    return workflow


def can_decide(user) -> bool:
    return user.is_authenticated and user.has_perm(DECIDE_PERMISSION)


def _live_record(change: PendingChange, *, lock: bool = False):
    model = model_for_entity(change.entity)
    queryset = model.objects.select_for_update() if lock else model.objects
    return queryset.filter(pk=change.entity_id).first()


# Transitions driven by Wagtail's workflow (approvals/workflow.py) --------------------------


def pending_change_open(*, task_state: TaskState, requested_by) -> PendingChange:
    """A record was submitted (or resubmitted): record what it proposes, field by field."""
    workflow_state = task_state.workflow_state
    record = workflow_state.content_object
    live = type(record).objects.get(pk=record.pk)
    # The record's latest revision, read afresh: on a resubmission Wagtail's task state can
    # point at the revision before the requester's latest edit.
    submitted = live.get_latest_revision() or task_state.revision
    proposed = submitted.as_object()
    never_published = not live.live and live.live_revision_id is None
    if never_published:
        diff, kind = creation(snapshot(proposed)), ChangeKind.CREATE
    else:
        diff, kind = _proposed_changes(live=live, proposed=proposed), ChangeKind.UPDATE
    return PendingChange.objects.create(
        entity=type(record)._meta.model_name,
        entity_id=record.pk,
        kind=kind,
        diff_json=diff,
        requested_by=requested_by or workflow_state.requested_by,
        revision=submitted,
        task_state=task_state,
    )


def _proposed_changes(*, live, proposed) -> dict:
    """The fields the requester changed: those where the proposal differs from the live row.

    A draft saved before a direct write (the daily import) still holds the older values of
    fields the requester never touched; where the proposal equals the last published
    version, the field is the draft's stale copy, not a proposal, and is left out, so an
    approval never undoes the import.
    """
    proposed_values = snapshot(proposed)
    diff = changes(snapshot(live), proposed_values)
    if live.live_revision_id:
        published = snapshot(live.live_revision.as_object())
        diff = {k: v for k, v in diff.items() if proposed_values.get(k) != published.get(k)}
    return diff


def _locked_change_for(task_state: TaskState) -> PendingChange | None:
    return PendingChange.objects.select_for_update().filter(task_state=task_state).first()


def _refuse_if_decided(change: PendingChange) -> None:
    if not change.is_pending:
        when = timezone.localtime(change.reviewed_at).strftime("%Y-%m-%d %H:%M")
        values = {
            "status": change.get_status_display().lower(),
            "name": change.reviewed_by,
            "when": when,
        }
        if change.reviewed_by:
            message = gettext(
                "This change was already %(status)s by %(name)s at %(when)s. Nothing was changed."
            )
        else:
            message = gettext(
                "This change was already %(status)s at %(when)s. Nothing was changed."
            )
        raise ApprovalRefused(message % values)


def _refuse_if_own(change: PendingChange, reviewer) -> None:
    if reviewer is not None and change.requested_by_id == reviewer.pk:
        raise ApprovalRefused(
            gettext(
                "You submitted this change: another Coordinator must decide it. "
                "Nothing was changed."
            )
        )


def pending_change_apply(*, task_state: TaskState, reviewer) -> PendingChange:
    """Approve: merge the submitted fields into the live record and publish, as ``reviewer``.

    Only the fields the submission changed are written; the others keep their live values
    (a Coordinator's edit or an import since the submission survives). If any submitted
    field changed underneath since, nothing is written and ApprovalRefused names them.
    Called by Wagtail when the workflow finishes (WAGTAIL_FINISH_WORKFLOW_ACTION), inside
    the approval's transaction.
    """
    change = _locked_change_for(task_state)
    if change is None:
        raise ApprovalRefused(gettext("This submission has no pending change on record."))
    _refuse_if_decided(change)
    _refuse_if_own(change, reviewer)
    if reviewer is None or not can_decide(reviewer):
        raise ApprovalRefused(gettext("Only Coordinators and Administrators approve changes."))

    # The audit rows of the publish name both: the approver and who proposed it.
    with acting_as(reviewer, requested_by=change.requested_by):
        live = _live_record(change, lock=True)
        if live is None:
            raise ApprovalRefused(gettext("The record no longer exists. Nothing was changed."))
        submitted = change.revision
        if submitted is None:
            raise ApprovalRefused(gettext("The submitted version is no longer on record."))
        if change.kind == ChangeKind.CREATE:
            revision = submitted
        else:
            revision = _merged_revision(
                change=change, live=live, submitted=submitted, user=reviewer
            )
        revision.publish(user=reviewer)

        change.status = ChangeStatus.APPROVED
        change.reviewed_by = reviewer
        change.reviewed_at = timezone.now()
        change.rationale = task_state.comment or ""
        change.save()
    return change


def _merged_revision(*, change: PendingChange, live, submitted, user):
    model = type(live)
    current = snapshot(live)
    underneath = [
        key
        for key, diff in change.diff_json.items()
        if current.get(key) != diff["before"] and current.get(key) != diff["after"]
    ]
    if underneath:
        labels = ", ".join(field_label(model, key) for key in underneath)
        raise ApprovalRefused(
            gettext(
                "Not approved: %(fields)s changed in the live record after this submission. "
                "Nothing was changed; decline it so the requester can resubmit from the "
                "current record."
            )
            % {"fields": labels}
        )
    proposed = submitted.as_object()
    relations = {r.get_accessor_name() for r in child_relations(model)}
    for key in change.diff_json:
        if key in relations:
            setattr(live, key, list(getattr(proposed, key).all()))
        else:
            field = model._meta.get_field(key)
            setattr(live, field.attname, getattr(proposed, field.attname))
    return live.save_revision(user=user)


def pending_change_mark_declined(*, task_state: TaskState, reviewer, rationale: str) -> None:
    """Wagtail rejected the task ("request changes"): the change is declined, with reasons."""
    change = _locked_change_for(task_state)
    if change is None:
        return
    _refuse_if_decided(change)
    _refuse_if_own(change, reviewer)
    if not (rationale or "").strip():
        raise ApprovalRefused(
            gettext("Give the rationale for declining: the requester will see it.")
        )
    if reviewer is None or not can_decide(reviewer):
        raise ApprovalRefused(gettext("Only Coordinators and Administrators decline changes."))
    change.status = ChangeStatus.DECLINED
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.rationale = rationale.strip()
    change.save()


def pending_change_mark_cancelled(*, task_state: TaskState, user) -> None:
    """The workflow was cancelled (withdrawn, restarted, or superseded by a direct publish)."""
    change = _locked_change_for(task_state)
    if change is None or not change.is_pending:
        return
    change.status = ChangeStatus.CANCELLED
    change.reviewed_by = user
    change.reviewed_at = timezone.now()
    change.save()


# Decisions from the Approvals screens -------------------------------------------------------


def _decidable(change_id, reviewer) -> tuple[PendingChange, TaskState]:
    if not can_decide(reviewer):
        raise ApprovalRefused(gettext("Only Coordinators and Administrators decide changes."))
    # The row lock makes decisions on one change take turns: a second Coordinator waits
    # here, then finds the change decided and is told so.
    change = PendingChange.objects.select_for_update().get(pk=change_id)
    _refuse_if_decided(change)
    _refuse_if_own(change, reviewer)
    task_state = TaskState.objects.filter(pk=change.task_state_id).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ApprovalRefused(gettext("This change is no longer awaiting a decision."))
    return change, task_state.specific


@transaction.atomic
def pending_change_approve(*, change_id, reviewer, comment: str = "") -> PendingChange:
    """Approve through Wagtail's task: it finishes the workflow, which applies the change."""
    change, task_state = _decidable(change_id, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "approve", comment=comment)
    change.refresh_from_db()
    return change


@transaction.atomic
def pending_change_decline(*, change_id, reviewer, rationale: str) -> PendingChange:
    """Decline with a rationale (required); the live record is not touched."""
    if not (rationale or "").strip():
        raise ApprovalRefused(
            gettext("Give the rationale for declining: the requester will see it.")
        )
    change, task_state = _decidable(change_id, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment=rationale.strip())
    change.refresh_from_db()
    return change
