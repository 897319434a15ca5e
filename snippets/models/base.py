"""What every registry record shares: a UUID, timestamps, and Wagtail's revisions, drafts,
locking and moderation workflow, so that changes can be proposed, reviewed and published."""

import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin


class RegistryQuerySet(models.QuerySet):
    def live(self):
        """Published records only. Drafts and unapproved proposals never count as data."""
        return self.filter(live=True)


class RegistryRecord(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        for_concrete_model=False,
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def revisions(self):
        return self._revisions


def end_not_before_start(*, start: str, end: str, name: str, message: str):
    """A CHECK that an optional end date is not before its start date."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=message,
        violation_error_code="end_before_start",
    )
