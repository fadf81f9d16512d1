"""Saving units, officials and accounts under their rules: one transaction per save, a
first history row before the first recorded change, and a duplicate that slips past the
form's check (two people saving at once) turned back into the constraint's message."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import CYCLE_MESSAGE, Unit

log = logging.getLogger(__name__)

BASELINE = "基线"  # history reason of a row's state before its first change in the app
SET_AT_ONCE = _("未保存：有人同时保存了相同的内容，请检查后重试。")


def ensure_baseline(instance):
    """Give a row loaded without history (a plan file, a bulk write) a first history row
    as it is stored now, so its first change shows old and new values."""
    model = type(instance)
    if instance.pk and not model.history.filter(id=instance.pk).exists():
        stored = model._default_manager.get(pk=instance.pk)
        model.history.bulk_history_create([stored], default_change_reason=BASELINE)


def record_change(instance, reason, fields):
    """Save ``fields`` of ``instance`` with ``reason`` in its history (停用账号…)."""
    with transaction.atomic():
        ensure_baseline(instance)
        instance._change_reason = reason
        instance.save(update_fields=fields)


def _refused_by_database(form):
    """After an IntegrityError: the constraint messages that now apply, on the form."""
    try:
        form.instance.validate_constraints()
    except ValidationError as exc:
        form._update_errors(exc)
    else:
        form.add_error(None, SET_AT_ONCE)


def save_form(form, *, before=None, after=None):
    """Save a valid model form in one transaction: ``before(form)`` may refuse by adding
    errors, ``after(instance)`` does what goes with the save (roles, a password). Returns
    the saved instance, or None with the reasons on the form and nothing written."""
    try:
        with transaction.atomic():
            if before is not None:
                before(form)
                if form.errors:
                    raise _Refused
            ensure_baseline(form.instance)
            instance = form.save()
            if after is not None:
                after(instance)
    except _Refused:
        return None
    except IntegrityError:
        log.info("save refused by the database: %s", type(form.instance).__name__)
        _refused_by_database(form)
        return None
    return instance


class _Refused(Exception):
    """Roll back: the form got errors inside the transaction."""


def check_unit_tree(form):
    """A new parent must not be the unit itself or below it. The tree is read with every
    unit locked (in id order), so two people re-parenting at once cannot make a loop."""
    unit = form.instance
    if "parent" not in form.changed_data or unit.parent_id is None:
        return
    links = dict(Unit.objects.select_for_update().order_by("pk").values_list("pk", "parent_id"))
    if unit.would_be_own_ancestor(links):
        form.add_error("parent", CYCLE_MESSAGE)
