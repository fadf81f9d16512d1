"""Workflows that touch more than one row: versioned saves, checkpoint decisions, plan loading."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Checkpoint, Domain, InstructionStatus, ReformPlan


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


def _fixture_path(name):
    for folder in settings.FIXTURE_DIRS:
        path = Path(folder) / f"{name}.json"
        if path.is_file():
            return path
    raise ValidationError(_("找不到计划文件 %(name)s.json。") % {"name": name})


def check_plan_file(path):
    """What ``loaddata`` would not refuse by itself: a project number twice in the file (the
    second would silently overwrite the first) or a project without title or valid domain.
    Raises ValidationError naming the record."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(_("文件不是有效的 JSON：%(error)s") % {"error": exc}) from exc
    if not isinstance(records, list):
        raise ValidationError(_("文件内容应为记录列表。"))
    seen = set()
    for index, record in enumerate(records, start=1):
        if not (isinstance(record, dict) and isinstance(record.get("fields"), dict)):
            raise ValidationError(_("第 %(n)s 条记录格式不对。") % {"n": index})
        if record.get("model") != "projects.project":
            continue
        fields = record["fields"]
        key = (json.dumps(fields.get("plan")), fields.get("number"))
        if key in seen:
            raise ValidationError(
                _("第 %(n)s 条记录：项目序号 %(number)s 在文件中重复。")
                % {"n": index, "number": fields.get("number")}
            )
        seen.add(key)
        if not str(fields.get("title") or "").strip():
            raise ValidationError(_("第 %(n)s 条记录：缺少项目名称。") % {"n": index})
        if fields.get("domain") not in Domain.values:
            raise ValidationError(
                _("第 %(n)s 条记录：领域“%(domain)s”无效。")
                % {"n": index, "domain": fields.get("domain")}
            )


def _reason(exc):
    """The first non-empty message along the exception's causes (loaddata wraps them)."""
    while exc is not None:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if text.strip():
            return text.strip()
        exc = exc.__cause__ or exc.__context__
    return _("未知错误")


def _save_new_rows(path):
    """Save the file's rows that are not in the database yet and leave existing rows alone:
    edits made in the app (with their history and version) win over the file. Natural keys
    find existing rows; new projects get their checkpoints from the post_save signal."""
    deferred = []
    with path.open(encoding="utf-8") as stream:
        for row in serializers.deserialize("json", stream, handle_forward_references=True):
            manager = type(row.object)._default_manager
            if row.object.pk is not None and manager.filter(pk=row.object.pk).exists():
                continue
            row.save()
            if row.deferred_fields:
                deferred.append(row)
    for row in deferred:
        row.save_deferred_fields()


def load_plan_fixture(name):
    """Check a plan fixture, then add what it has that the database lacks, in one
    transaction; returns the plans now present.

    A malformed or partial fixture raises ValidationError with the reason, and leaves the
    database as it was. (``manage.py loaddata`` would instead overwrite existing rows.)
    """
    try:
        path = _fixture_path(name)
        check_plan_file(path)
        with transaction.atomic():
            _save_new_rows(path)
    except Exception as exc:  # the deserializer wraps failures differently
        raise ValidationError(
            _("改革计划载入失败，数据库未作任何改动。原因：%(reason)s") % {"reason": _reason(exc)}
        ) from exc
    return list(ReformPlan.objects.all())
