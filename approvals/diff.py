"""What a submission changes: a record's fields and child rows as plain JSON values, and
the field-by-field difference between two such snapshots."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from modelcluster.models import get_all_child_relations

# Wagtail's own columns: publication state, revisions, locks, scheduling. Never proposed
# by an editor, never merged by an approval.
WAGTAIL_COLUMNS = {
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
}


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_fields(model):
    """The fields an editor changes: concrete, editable, not Wagtail's bookkeeping."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in WAGTAIL_COLUMNS
    ]


def child_relations(model):
    return list(get_all_child_relations(model))


def _child_fields(relation):
    parent_key = relation.field.name
    return [
        f
        for f in relation.related_model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in {parent_key, "sort_order"}
    ]


def snapshot(obj) -> dict:
    """The record's editable fields and child rows (in their order), as JSON values.

    ``obj`` may be the live row or a revision's ``as_object()``: both read the same way.
    """
    data = {f.name: _jsonable(f.value_from_object(obj)) for f in record_fields(type(obj))}
    for relation in child_relations(type(obj)):
        fields = _child_fields(relation)
        data[relation.get_accessor_name()] = [
            {f.name: _jsonable(f.value_from_object(child)) for f in fields}
            for child in getattr(obj, relation.get_accessor_name()).all()
        ]
    return data


def changes(before: dict, after: dict) -> dict:
    """{key: {"before": ..., "after": ...}} for every key whose value differs."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in after
        if before.get(key) != after.get(key)
    }


def creation(after: dict) -> dict:
    """A new record: every field that has a value, with nothing before."""
    return {
        key: {"before": None, "after": value}
        for key, value in after.items()
        if value not in (None, "", [], {})
    }
