"""Field values as a reader would say them, for the conflict box and history-like lists."""

import copy

from django.utils.translation import gettext as _


def field_display(instance, name):
    """``instance``'s ``name``: the model's ``get_<name>_display`` when it has one (every
    field with choices does), related rows by name, dates in ISO form, "—" for nothing."""
    model_field = instance._meta.get_field(name)
    if hasattr(instance, f"get_{name}_display"):
        value = getattr(instance, f"get_{name}_display")()
    elif model_field.many_to_many:
        value = "、".join(str(o) for o in getattr(instance, name).all())
    elif model_field.is_relation:
        related = getattr(instance, name)
        value = str(related) if related is not None else _("待定")
    else:
        raw = getattr(instance, name)
        value = raw.isoformat() if hasattr(raw, "isoformat") else raw
    return "—" if value in (None, "") else str(value)


def value_display(instance, name, value):
    """How ``value`` (a form's cleaned value) would read if it were ``instance``'s ``name``."""
    if instance._meta.get_field(name).many_to_many:
        return "、".join(str(o) for o in value) or "—"
    shown = copy.copy(instance)
    setattr(shown, name, value)
    return field_display(shown, name)
