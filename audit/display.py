"""Readable before/after: field labels instead of column names, related records by name
instead of UUID, choice labels instead of stored codes. Used by the Audit Log and the
Approvals screens."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from modelcluster.models import get_all_child_relations

EMPTY = "—"


def removed_record(pk) -> str:
    """How a screen names a record that no longer exists."""
    return gettext("(removed record %(id)s)") % {"id": pk}


def model_for_entity(entity: str):
    """The registry model an audit or pending-change ``entity`` names, or None."""
    from .triggers import audited_tables

    for label, _ in audited_tables():
        app_label, model_name = label.split(".")
        if model_name.lower() == entity:
            return apps.get_model(app_label, model_name)
    return None


def entity_label(entity: str) -> str:
    model = model_for_entity(entity)
    return str(capfirst(model._meta.verbose_name)) if model else entity


def _field(model, key: str):
    """The model field stored under ``key``: a field name or a column (``program_id``)."""
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        for field in model._meta.concrete_fields:
            if field.column == key or field.attname == key:
                return field
    return None


def _child_relation(model, key: str):
    if model is None:
        return None
    for relation in get_all_child_relations(model):
        if relation.get_accessor_name() == key:
            return relation
    return None


# Fields whose model gives no verbose name of its own (Django then makes one from the field's
# name, in English, untranslated): their labels in words, in the reader's language.
UNNAMED_FIELD_LABELS = {
    "id": gettext_lazy("id"),
    "created_at": gettext_lazy("created at"),
    "updated_at": gettext_lazy("updated at"),
    "sort_order": gettext_lazy("sort order"),
    "search_name": gettext_lazy("search name"),
    "kind": gettext_lazy("kind"),
    "status": gettext_lazy("status"),
    "run": gettext_lazy("import run"),
    "source": gettext_lazy("source"),
    "row_number": gettext_lazy("row number"),
    "row_key": gettext_lazy("row key"),
    "row_values": gettext_lazy("row values"),
    "client": gettext_lazy("client"),
    "top_score": gettext_lazy("top score"),
    "decided_by": gettext_lazy("decided by"),
    "decided_at": gettext_lazy("decided at"),
    "decision_note": gettext_lazy("decision note"),
    "decided_client": gettext_lazy("decided client"),
    "survivor": gettext_lazy("surviving record"),
    "merged": gettext_lazy("merged record"),
    "possible_match": gettext_lazy("possible match"),
    "merged_by": gettext_lazy("merged by"),
    "merged_at": gettext_lazy("merged at"),
    "reason": gettext_lazy("reason"),
    "field_choices": gettext_lazy("field choices"),
    "moved": gettext_lazy("moved rows"),
    "undone_by": gettext_lazy("undone by"),
    "undone_at": gettext_lazy("undone at"),
}


def _verbose_name(field):
    if isinstance(field.verbose_name, Promise) or field.name not in UNNAMED_FIELD_LABELS:
        return field.verbose_name
    return UNNAMED_FIELD_LABELS[field.name]


def field_label(model, key: str) -> str:
    if relation := _child_relation(model, key):
        return str(capfirst(relation.related_model._meta.verbose_name_plural))
    field = _field(model, key)
    if field is not None:
        return str(capfirst(_verbose_name(field)))
    return capfirst(key.replace("_", " "))


class NameResolver:
    """Looks up related records by primary key once per screen, to show them by name.

    ``prime`` fetches many at once (one query per record type), so a screen that names 50
    records costs a few queries, not 50; ``name`` looks up only what was not primed.
    """

    def __init__(self):
        self._cache: dict[tuple[type, str], str] = {}

    def prime(self, wanted: Iterable[tuple[type | None, object]]) -> None:
        """Fetch the names of every ``(model, pk)`` in ``wanted`` not already known."""
        by_model: dict[type, dict[str, object]] = defaultdict(dict)
        for model, pk in wanted:
            if model is None or pk in (None, "") or (model, str(pk)) in self._cache:
                continue
            try:
                by_model[model][str(pk)] = model._meta.pk.to_python(pk)
            except ValidationError:
                self._cache[(model, str(pk))] = removed_record(pk)
        for model, pks in by_model.items():
            # select_related(): a name made of related records (an enrollment's client and
            # program) comes in the same query.
            found = {
                str(obj.pk): str(obj)
                for obj in model._default_manager.select_related().filter(pk__in=pks.values())
            }
            for pk in pks:
                self._cache[(model, pk)] = found.get(pk) or removed_record(pk)

    def name(self, model, pk) -> str:
        key = (model, str(pk))
        if key not in self._cache:
            obj = model._default_manager.filter(pk=pk).first()
            self._cache[key] = str(obj) if obj is not None else removed_record(pk)
        return self._cache[key]


def display_value(model, key: str, value, resolver: NameResolver | None = None) -> str:
    """``value`` (as stored in diff JSON) the way a person reads it."""
    resolver = resolver or NameResolver()
    if relation := _child_relation(model, key):
        rows = value or []
        if not rows:
            return EMPTY
        child = relation.related_model
        return "; ".join(_child_row(child, row, resolver) for row in rows)
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    field = _field(model, key)
    if field is None:
        return str(value)
    if isinstance(field, models.ForeignKey):
        return resolver.name(field.related_model, value)
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(field, models.DateTimeField):
        return str(value).replace("T", " ")[:16]
    return str(value)


def diff_references(entity: str, diff: dict) -> Iterator[tuple[type, object]]:
    """Every ``(model, pk)`` that ``display_value`` would name for ``diff``: foreign keys
    before and after, and those in child rows (a program's staff)."""
    model = model_for_entity(entity)
    for key, change in (diff or {}).items():
        values = [change.get("before"), change.get("after")] if isinstance(change, dict) else []
        if relation := _child_relation(model, key):
            child = relation.related_model
            for rows in values:
                for row in rows or []:
                    for child_key, child_value in (row or {}).items():
                        field = _field(child, child_key)
                        if isinstance(field, models.ForeignKey) and child_value:
                            yield field.related_model, child_value
            continue
        field = _field(model, key)
        if isinstance(field, models.ForeignKey):
            for value in values:
                if value:
                    yield field.related_model, value


def _child_row(child_model, row: dict, resolver: NameResolver) -> str:
    parts = []
    for key, value in row.items():
        field = _field(child_model, key)
        if field is None or isinstance(field, models.AutoField):
            continue
        if isinstance(field, models.BooleanField):
            if value:
                parts.append(str(_verbose_name(field)))
            continue
        parts.append(display_value(child_model, key, value, resolver))
    return " ".join(p for p in parts[:1]) + (f" ({', '.join(parts[1:])})" if parts[1:] else "")


@dataclass
class FieldChange:
    key: str
    label: str
    before: str
    after: str
    current: str | None = None
    changed_underneath: bool = False


def readable_diff(entity: str, diff: dict, resolver: NameResolver | None = None):
    """``diff`` ({key: {"before", "after"}}) as FieldChange rows in the model's field order."""
    resolver = resolver or NameResolver()
    model = model_for_entity(entity)
    order = {}
    if model is not None:
        names = [f.name for f in model._meta.concrete_fields]
        names += [r.get_accessor_name() for r in get_all_child_relations(model)]
        order = {name: i for i, name in enumerate(names)}

    def position(key):
        field = _field(model, key)
        return order.get(field.name if field is not None else key, len(order))

    return [
        FieldChange(
            key=key,
            label=field_label(model, key),
            before=display_value(model, key, change.get("before"), resolver),
            after=display_value(model, key, change.get("after"), resolver),
        )
        for key, change in sorted(diff.items(), key=lambda item: position(item[0]))
    ]


def record_model_for_entity(entity: str):
    """The registry record an audit row's ``entity_id`` points at: the model itself, or a
    child row's parent (program staff → program)."""
    from modelcluster.fields import ParentalKey

    model = model_for_entity(entity)
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if isinstance(field, ParentalKey):
            return field.related_model
    return model
