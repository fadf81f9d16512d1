"""Workflows that touch more than one row: versioned saves, checkpoint decisions, plan loading."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Checkpoint, InstructionStatus, ReformPlan


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


CHECKPOINT_ACTIONS = {
    # action: (who may do it, the Checkpoint method, the change reason's label)
    "start": ("submit", Checkpoint.start, "开始推进"),
    "submit": ("submit", Checkpoint.submit, "报审"),
    "approve": ("review", Checkpoint.approve, "审核通过"),
    "send_back": ("review", Checkpoint.send_back, "退回整改"),
    "reopen": ("review", Checkpoint.reopen, "重新打开"),
}


def allowed_checkpoint_actions(project, user):
    """The actions this user may attempt on the project's checkpoints (rules decide the rest)."""
    may = {
        "submit": project.can_submit_checkpoints(user),
        "review": project.can_review_checkpoints(user),
    }
    return {action for action, (who, _m, _l) in CHECKPOINT_ACTIONS.items() if may[who]}


def decide_checkpoint(checkpoint, user, action, note, expected_version):
    """Apply one decision to a checkpoint, enforcing who may do it and the 三关 order.

    Raises PermissionDenied, ValidationError (a broken rule, with its message) or
    EditConflict; on any of them nothing is saved.
    """
    if action not in CHECKPOINT_ACTIONS:
        raise ValidationError(_("未知的操作。"))
    project = checkpoint.project
    if action not in allowed_checkpoint_actions(project, user):
        raise PermissionDenied(_("您没有权限对该关口执行此操作。"))
    _who, method, label = CHECKPOINT_ACTIONS[action]
    with transaction.atomic():
        siblings = list(Checkpoint.objects.select_for_update().filter(project=project))
        current = next(c for c in siblings if c.pk == checkpoint.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        method(current, siblings, note)
        reason = f"{label}：{note.strip()}" if note.strip() else label
        save_with_version(current, expected_version, reason=reason[:100])
    return current


def follow_up_instruction(instruction, user, follow_up, done_on, expected_version):
    """Record how a leader's instruction was carried out and mark it 已落实."""
    if not instruction.project.can_follow_up_instructions(user):
        raise PermissionDenied(_("您没有权限登记该批示的落实情况。"))
    instruction.follow_up = follow_up
    instruction.followed_up_on = done_on or timezone.localdate()
    instruction.followed_up_by = user
    instruction.status = InstructionStatus.DONE
    # change reasons are part of the Chinese record, whatever the interface language
    return save_with_version(instruction, expected_version, reason="登记落实情况")


def load_plan_fixture(name):
    """Load a plan fixture in one transaction; returns the plans now present.

    A malformed or partial fixture raises ValidationError with the loader's reason, and
    leaves the database as it was.
    """
    try:
        with transaction.atomic():
            call_command("loaddata", name, verbosity=0)
    except Exception as exc:  # loaddata wraps every failure differently
        raise ValidationError(
            _("改革计划载入失败，数据库未作任何改动。原因：%(reason)s") % {"reason": exc}
        ) from exc
    return list(ReformPlan.objects.all())
