"""Optimistic edits: a row is saved only if nobody saved it since the user loaded it, and
an edit made on an older version is merged field by field into what is stored now."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F


class EditConflict(Exception):
    """Someone else saved the row after this user loaded it; ``current`` is what is stored now."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def save_with_version(instance, expected_version, *, reason=None, save=None):
    """Save ``instance`` only if nobody saved it since ``expected_version`` (compare-and-swap).

    The version is claimed with one conditional UPDATE, which is atomic on SQLite and
    PostgreSQL alike; the full save (and its history row) follows in the same transaction.
    ``save`` replaces ``instance.save`` (a ModelForm's ``save`` also writes its m2m fields).
    """
    model = type(instance)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict(model._default_manager.get(pk=instance.pk))
        instance.version = expected_version + 1
        if reason:
            instance._change_reason = reason
        (save or instance.save)()
    return instance


# Merging an edit made on a stale version -----------------------------------------------


@dataclass
class FieldConflict:
    """A field both editors changed, to different values: shown side by side."""

    name: str
    label: str
    stored: object  # the value saved now, as a form's cleaned value
    yours: object


@dataclass
class Merge:
    """The outcome of merging an edit into the row as it is stored now."""

    values: dict = field(default_factory=dict)  # name -> cleaned value to save
    conflicts: list = field(default_factory=list)


def _comparable(model_field, value):
    """A value as it compares: related rows by primary key, many-to-many as a set."""
    if model_field.many_to_many:
        return frozenset(getattr(v, "pk", v) for v in (value or ()))
    if model_field.is_relation:
        return getattr(value, "pk", value)
    return value


def stored_value(instance, name):
    """``instance``'s ``name`` as a form's cleaned value would hold it."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return list(getattr(instance, name).all())
    return getattr(instance, name)


def values_at(model, pk, version, names):
    """The comparable values of ``names`` of row ``pk`` as saved at ``version``, read from
    its history (the newest history row of that version); None when history lacks it."""
    row = (
        model.history.filter(id=pk, version=version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if row is None:
        return None
    values = {}
    for name in names:
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            target = f"{model_field.m2m_reverse_field_name()}_id"
            values[name] = frozenset(getattr(r, target) for r in getattr(row, name).all())
        else:
            values[name] = getattr(row, model_field.attname)
    return values


def merge(current, started_from, yours):
    """Three-way merge of ``yours`` (a form's cleaned values) into ``current`` (the row as
    stored now), against the version the user started from.

    A field only the other editor changed keeps the stored value; a field only this user
    changed takes theirs; a field both changed to different values is a conflict. Without
    the starting version in the history, every field that differs is a conflict.
    """
    model = type(current)
    names = list(yours)
    base = values_at(model, current.pk, started_from, names)
    outcome = Merge()
    for name in names:
        model_field = model._meta.get_field(name)
        stored = stored_value(current, name)
        mine, theirs = _comparable(model_field, yours[name]), _comparable(model_field, stored)
        if mine == theirs:
            outcome.values[name] = yours[name]
        elif base is not None and mine == base[name]:
            outcome.values[name] = stored  # only the other editor changed it
        elif base is not None and theirs == base[name]:
            outcome.values[name] = yours[name]  # only this user changed it
        else:
            label = str(model_field.verbose_name)
            outcome.conflicts.append(FieldConflict(name, label, stored, yours[name]))
    return outcome
