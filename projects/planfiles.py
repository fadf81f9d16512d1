"""Plan files: the year's plan as a JSON fixture in ``fixtures/``, checked before it is
loaded, loaded without overwriting what the app has changed since."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import Domain
from .models import ReformPlan


def plan_fixtures():
    """The plan files an administrator may load: ``fixtures/plan_*.json``."""
    folder = Path(settings.BASE_DIR) / "fixtures"
    return sorted(p.stem for p in folder.glob("plan_*.json"))


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
