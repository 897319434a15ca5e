"""What every registry record shares: a UUID, timestamps, and Wagtail's revisions, drafts,
locking and moderation workflow, so that changes can be proposed, reviewed and published."""

import copy
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


def _unindexed(mixin, name: str):
    """Wagtail's field ``name`` of ``mixin``, exactly as Wagtail declares it but without
    its single-column index."""
    # A copy, as Django copies an abstract parent's fields into each child (get_field() and
    # deconstruct() need the app registry, not ready while models are being defined).
    field = copy.deepcopy(next(f for f in mixin._meta.local_fields if f.name == name))
    field.db_index = False
    return field


# Wagtail's mixins index these on every snippet table (see ManyRowsRecord).
BOOKKEEPING_FOREIGN_KEYS = ("latest_revision", "live_revision", "locked_by")


class ManyRowsRecord(RegistryRecord):
    """A record kept by the hundred thousand or million (clients, enrollments, intakes,
    discharges), which the daily import writes without revisions or locks.

    Wagtail indexes latest_revision, live_revision, locked_by and first_published_at on every
    snippet table. Here those would be indexes of NULLs that every imported row must still
    be added to (four of the eight index insertions per imported enrollment). So the three
    foreign keys are indexed only where set (``bookkeeping_indexes``: what they serve, finding
    the rows that point at a revision or a staff member being deleted, never looks for
    NULL), and first_published_at not at all: nothing filters or sorts these tables by it.
    (Snippets migration 0007 made the database so; 0012 told the models.)
    """

    latest_revision = _unindexed(RevisionMixin, "latest_revision")
    live_revision = _unindexed(DraftStateMixin, "live_revision")
    first_published_at = _unindexed(DraftStateMixin, "first_published_at")
    locked_by = _unindexed(LockableMixin, "locked_by")

    class Meta:
        abstract = True


def bookkeeping_indexes(prefix: str) -> list[models.Index]:
    """The partial indexes of a ManyRowsRecord's Wagtail foreign keys, named
    ``<prefix>_<field>_set`` (Django allows index names of 30 characters)."""
    return [
        models.Index(
            fields=[field],
            condition=models.Q(**{f"{field}__isnull": False}),
            name=f"{prefix}_{field}_set",
        )
        for field in BOOKKEEPING_FOREIGN_KEYS
    ]


def end_not_before_start(*, start: str, end: str, name: str, message: str):
    """A CHECK that an optional end date is not before its start date."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=message,
        violation_error_code="end_before_start",
    )
