"""The access helpers: the object asked for, or Http404 (no such object) or
PermissionDenied (with the message of the object the file is attached to). Whether a user
may see or change files is always the attached object's own answer (``registry``); the
views hold no permission checks of their own."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Attachment

CLOSED = _("该项目所在的年度计划已总结，附件只能查看，不能再添加或移除。")
REMOVED = _("该附件已被移除。")


def closed_reason(obj):
    """Why files of ``obj`` may no longer change: its own words (``evidence_closed_reason``)
    or, by default, that its plan was closed."""
    return getattr(obj, "evidence_closed_reason", None) or CLOSED


def _require(rules, obj, user, need):
    rules.require_read(obj, user)
    if need == "attach":
        if rules.closed(obj):  # nobody attaches once closed: say so, not who else might
            raise PermissionDenied(closed_reason(obj))
        rules.require_attach(obj, user)


def get_target_for_user(request, label, pk, *, need="read"):
    """The object ``label`` #``pk`` that accepts files, if the user may ``need`` it:
    ``read`` (see it and its files) or ``attach`` (add files; not once closed).
    Returns (object, its rules)."""
    obj, rules = registry.load(label, pk)
    if obj is None:
        raise Http404("no such object, or it takes no files")
    _require(rules, obj, request.user, need)
    return obj, rules


def get_attachment_for_user(request, pk, *, need="read"):
    """A file, if the user may ``need`` it: ``read`` (see its row), ``download`` (read
    it, while not removed) or ``remove`` (who may attach to its object, while the object
    is open and the file not yet removed). Returns (attachment, its object's rules)."""
    attachment = get_object_or_404(Attachment.objects.for_listing(), pk=pk)
    label = f"{attachment.content_type.app_label}.{attachment.content_type.model}"
    obj, rules = registry.load(label, attachment.object_id)
    if obj is None:
        raise Http404("its object is gone, or takes no files now")
    attachment.target = obj
    _require(rules, obj, request.user, "attach" if need == "remove" else "read")
    if need in ("download", "remove") and attachment.is_removed:
        raise Http404(REMOVED)
    return attachment, rules
