"""What every registry record shares: a UUID, timestamps, and Wagtail's revisions, drafts,
locking and moderation workflow, so that changes can be proposed, reviewed and published."""

import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Cast
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin


class RegistryQuerySet(models.QuerySet):
    def live(self):
        """Published records only. Drafts and unapproved proposals never count as data."""
        return self.filter(live=True)

    def for_listing(self):
        """Fetch what admin lists show per row (moderation state, schedule) in a fixed number
        of queries, however many rows: Wagtail would otherwise ask twice per row."""
        from wagtail.models import Revision, WorkflowState

        content_type = ContentType.objects.get_for_model(self.model)
        scheduled = Revision.objects.filter(
            content_type=content_type,
            object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
            approved_go_live_at__isnull=False,
        )
        return self.annotate(_approved_schedule=Exists(scheduled)).prefetch_related(
            Prefetch(
                "workflow_states",
                queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
                to_attr="_current_workflow_states",
            )
        )


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

    @property
    def approved_schedule(self):
        # Set by RegistryQuerySet.for_listing(); otherwise Wagtail's query per record.
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule


def end_not_before_start(*, start: str, end: str, name: str, message: str):
    """A CHECK that an optional end date is not before its start date."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=message,
        violation_error_code="end_before_start",
    )
