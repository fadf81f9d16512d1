"""Optimistic edits: a row is saved only if nobody saved it since the user loaded it."""

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
