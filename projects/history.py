"""The 变更记录 of a project: every change to it, its checkpoints, updates and instructions.

Four queries whatever the number of changes: the history rows of each model are read
once, grouped by object, and each row is compared with the one before it in Python.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import Record, punct
from .instructions import INSTRUCTION_STEPS
from .models import (
    PLAN_STEPS,
    REPORT_STEPS,
    TRANSITIONS,
    Checkpoint,
    Instruction,
    ProgressUpdate,
    Project,
    ReformPlan,
)

KIND_LABELS = {
    "+": pgettext_lazy("history", "新建"),
    "~": pgettext_lazy("history", "修改"),
    "-": pgettext_lazy("history", "删除"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    user: object
    subject: str
    kind: str
    reason: str
    changes: list = field(default_factory=list)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


def reason_display(reason):
    """A stored change reason in the reader's language: the record label (开始推进, 报审…)
    translated, what the user wrote after it kept as written, the colon as the language
    writes it."""
    reason = reason or ""
    labels = Record.LABELS | {t.record_label: t.label for t in TRANSITIONS.values()}
    labels |= {s.record_label: s.label for s in PLAN_STEPS.values()}
    labels |= {s.record_label: s.label for s in REPORT_STEPS.values()}
    labels |= {s.record_label: s.label for s in INSTRUCTION_STEPS.values()}
    label, colon, rest = reason.partition("：")
    if label not in labels:
        return reason
    if not colon:
        return str(labels[label])
    return f"{labels[label]}{punct('colon')}{rest}"


SKIP_FIELDS = {"id", "version", "updated_at", "created_at", "project", "plan"}


def _display(f, value):
    """A recorded value as the reader reads it: a choice by its label, yes / no, a moment
    in local time to the minute (not the stored UTC with microseconds)."""
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(local, "Y-m-d H:i")
    return str(value)


def _tracked_m2m(model):
    """The many-to-many fields whose history django-simple-history keeps (参与单位)."""
    return [f for f in model._meta.many_to_many if hasattr(model.history.model, f.name)]


def _m2m_links(model, object_ids):
    """For each tracked many-to-many field, history row id → the related ids it recorded,
    for the objects ``object_ids``: one query per field, however long their history."""
    links = {}
    for f in _tracked_m2m(model):
        through = model.history.model.__dict__[f.name].model
        own, target = f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id"
        by_row = links.setdefault(f.name, {})
        pairs = through.objects.filter(**{f"{own}__in": object_ids})
        for history_id, related_id in pairs.values_list("history_id", target):
            by_row.setdefault(history_id, []).append(related_id)
    return links


def _m2m_changes(model, links, previous, row, related):
    """Changes to the many-to-many fields the history tracks (参与单位)."""
    changes = []
    for f in _tracked_m2m(model):
        recorded = links.get(f.name, {})
        old = tuple(sorted(recorded.get(previous.history_id, ())))
        new = tuple(sorted(recorded.get(row.history_id, ())))
        if old != new:
            related.setdefault(f.related_model, {}).update(dict.fromkeys((*old, *new)))
            changes.append(
                Change(str(f.verbose_name), (f.related_model, old), (f.related_model, new))
            )
    return changes


def _is_noise(row, changes):
    """A baseline written by a migration, or a save that changed nothing visible."""
    reason = row.history_change_reason or ""
    return reason == Record.BASELINE or (row.history_type == "~" and not changes and not reason)


def _entries(model, rows, subject_of, related, object_ids=()):
    """Entries for one model's history rows; related ids are noted in ``related`` to label."""
    recorded = {f.attname for f in model.history.model._meta.concrete_fields}
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIP_FIELDS and f.attname in recorded
    ]
    rows = list(rows)
    links = _m2m_links(model, object_ids) if object_ids else {}
    out = []
    for _pk, versions in groupby(rows, key=lambda r: r.id):
        previous = None
        for row in versions:
            changes = []
            if previous is not None:
                changes += _m2m_changes(model, links, previous, row, related)
            for f in fields if previous is not None else ():
                old, new = getattr(previous, f.attname), getattr(row, f.attname)
                if old == new:
                    continue
                if f.is_relation:
                    labels = related.setdefault(f.related_model, {})
                    labels.update({old: None, new: None})
                    changes.append(
                        Change(str(f.verbose_name), (f.related_model, old), (f.related_model, new))
                    )
                else:
                    changes.append(Change(str(f.verbose_name), _display(f, old), _display(f, new)))
            previous = row
            if _is_noise(row, changes):
                continue
            out.append(
                Entry(
                    when=row.history_date,
                    user=row.history_user,
                    subject=subject_of(row),
                    kind=row.history_type,
                    reason=reason_display(row.history_change_reason),
                    changes=changes,
                )
            )
    return out


def _label_related(entries, related):
    """Replace (model, id) pairs by names: one query per related model, not per change."""
    for model, labels in related.items():
        objects = model._default_manager.in_bulk([pk for pk in labels if pk is not None])
        labels.update({pk: str(obj) for pk, obj in objects.items()})
    for entry in entries:
        for change in entry.changes:
            for attr in ("old", "new"):
                value = getattr(change, attr)
                if isinstance(value, tuple):
                    model, key = value
                    keys = key if isinstance(key, tuple) else (key,)
                    names = [related[model].get(k) or "—" for k in keys]
                    setattr(change, attr, "、".join(names) or "—")


def _rows(model, **filters):
    return (
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )


def _checkpoint_subject(row):
    return str(dict(Checkpoint._meta.get_field("kind").flatchoices).get(row.kind, row.kind))


def _newest(entries, related, limit):
    entries.sort(key=lambda e: e.when, reverse=True)
    entries = entries[:limit]
    _label_related(entries, related)
    return entries


def project_history(project, limit=50):
    """The newest ``limit`` changes to ``project`` and everything hanging off it."""
    related = {}
    entries = [
        *_entries(
            Project,
            _rows(Project, id=project.pk),
            lambda r: str(_("项目信息")),
            related,
            object_ids=[project.pk],
        ),
        *_entries(
            Checkpoint, _rows(Checkpoint, project_id=project.pk), _checkpoint_subject, related
        ),
        *_entries(
            ProgressUpdate,
            _rows(ProgressUpdate, project_id=project.pk),
            lambda r: str(_("进展报告 %(date)s") % {"date": r.reported_on}),
            related,
        ),
        *_entries(
            Instruction,
            _rows(Instruction, project_id=project.pk),
            lambda r: str(_("领导批示 %(date)s") % {"date": r.issued_on}),
            related,
        ),
    ]
    return _newest(entries, related, limit)


def plan_history(plan, limit=30):
    """The newest ``limit`` changes to the plan itself: its steps, title and summary."""
    related = {}
    entries = _entries(ReformPlan, _rows(ReformPlan, id=plan.pk), lambda r: str(_("计划")), related)
    return _newest(entries, related, limit)


def checkpoint_history(checkpoint, limit=30):
    """The newest ``limit`` changes to one checkpoint (one query, plus related labels)."""
    related = {}
    entries = _entries(
        Checkpoint, _rows(Checkpoint, id=checkpoint.pk), _checkpoint_subject, related
    )
    return _newest(entries, related, limit)


def instruction_history(instruction, limit=30):
    """The newest ``limit`` changes to one instruction (one query, plus related labels)."""
    related = {}
    entries = _entries(
        Instruction, _rows(Instruction, id=instruction.pk), lambda r: str(_("领导批示")), related
    )
    return _newest(entries, related, limit)
