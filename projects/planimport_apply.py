"""Importing a plan's projects from Excel, part three: writing what the preview showed.

``import_file`` builds the preview again inside one transaction, with the plan's projects
and checkpoints locked, refuses if it no longer matches the one the office confirmed
(``ImportStale``) or still has problems (``ImportRefused``), and then writes in bulk, as
``planfiles.py`` loads a plan: new units and officials, new projects with their three
checkpoints and first history rows, changed projects and checkpoints with a history row
each (versions raised, so an edit opened before the import is merged, not lost), and on an
approved plan one 计划调整 per project with the reason. Any error writes nothing.
"""

import logging
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from units.models import Official, Unit

from .choices import AdjustmentKind, CheckpointKind, Record
from .models import Checkpoint, PlanAdjustment, Project
from .planimport_compare import build_preview

logger = logging.getLogger(__name__)
BATCH = 1000
M2M = "participating_units"


class ImportRefused(Exception):
    """The preview has problems, or needs a reason it was not given; nothing written."""

    def __init__(self, preview, message=""):
        super().__init__(message)
        self.preview, self.message = preview, message


class ImportStale(ImportRefused):
    """The plan changed since the preview the office confirmed; nothing written."""


def reason_message():
    return _(
        "计划已审议通过：本次导入新增项目或修改项目名称、内容、目标、牵头领导或单位，须说明调整理由。"
    )


def import_file(plan, imported, user, *, choices=None, reason="", fingerprint=None):
    """Write ``imported`` into ``plan`` as its preview shows; returns the preview written.
    ``fingerprint``: the confirmed preview's, refused if the plan has moved on since."""
    reason = (reason or "").strip()
    try:
        with transaction.atomic():
            preview = build_preview(plan, imported, choices, lock=True)
            if fingerprint is not None and fingerprint != preview.fingerprint:
                raise ImportStale(
                    preview, _("预览之后计划已有变动，未导入。请核对下面更新后的预览再确认。")
                )
            if not preview.ready:
                raise ImportRefused(preview, _("未导入：请先解决下列问题。"))
            if preview.needs_reason and not reason:
                raise ImportRefused(preview, reason_message())
            _write(preview, user, reason)
    except IntegrityError as exc:  # someone saved the same unit or number at this moment
        logger.warning("import into %s refused: %s", plan.year, exc)
        raise ValidationError(
            _("保存时与他人的修改冲突，未作任何改动。请重新上传或刷新预览后再试。")
        ) from exc
    return preview


def _write(preview, user, reason):
    _create_names(preview.names)
    added = _add_projects(preview.plan, preview.new, user)
    _change_projects(preview.changed, user)
    _reschedule(preview.changed, user)
    if preview.plan.is_locked:
        adjustments = [
            PlanAdjustment(
                plan=preview.plan,
                project=project,
                kind=AdjustmentKind.ADDED,
                reason=reason,
                made_by=user,
            )
            for project in added
        ] + [
            PlanAdjustment(
                plan=preview.plan,
                project=o.project,
                kind=AdjustmentKind.CHANGED,
                reason=reason,
                changes=o.watched,
                made_by=user,
            )
            for o in preview.changed
            if o.watched
        ]
        PlanAdjustment.objects.bulk_create(adjustments, batch_size=BATCH)


def _create_names(names):
    """The units and officials the office chose to create (their pks set in place, so
    the rows that name them point at them)."""
    for model in (Unit, Official):
        new = [n.target for n in names if n.creates and isinstance(n.target, model)]
        model.objects.bulk_create(new, batch_size=BATCH)


def _links(projects_units):
    through = Project.participating_units.through
    return [
        through(project_id=project.pk, unit_id=unit.pk)
        for project, units in projects_units
        for unit in units
    ]


def _history_with_units(projects, user, reason, *, update):
    """A history row per project, with its participating units as stored now (the
    recorded link keeps the link's own id, as django-simple-history does)."""
    history = Project.history.bulk_history_create(
        projects,
        batch_size=BATCH,
        update=update,
        default_user=user,
        default_change_reason=reason,
    )
    by_project = {h.id: h for h in history}
    through = Project.participating_units.through
    recorded = Project.history.model.__dict__[M2M].model
    for batch in batched(by_project, BATCH):
        links = through.objects.filter(project_id__in=batch).values_list(
            "pk", "project_id", "unit_id"
        )
        recorded.objects.bulk_create(
            [
                recorded(id=pk, history=by_project[project], project_id=project, unit_id=unit)
                for pk, project, unit in links
            ],
            batch_size=BATCH,
        )


def _add_projects(plan, outcomes, user):
    projects = []
    for outcome in outcomes:
        values = dict(outcome.fields)
        units = values.pop(M2M, [])
        project = Project(plan=plan, number=outcome.number, **values)
        projects.append((project, units))
    for batch in batched([p for p, _u in projects], BATCH):
        Project.objects.bulk_create(batch)
    Project.participating_units.through.objects.bulk_create(_links(projects), batch_size=BATCH)
    saved = [p for p, _u in projects]
    _history_with_units(saved, user, Record.PROJECT_ADDED, update=False)
    checkpoints = [
        Checkpoint(project=project, kind=kind, planned_date=outcome.dates.get(kind))
        for project, outcome in zip(saved, outcomes, strict=True)
        for kind in CheckpointKind.values
    ]
    for batch in batched(checkpoints, BATCH):
        Checkpoint.objects.bulk_create(batch)
    Checkpoint.history.bulk_history_create(
        checkpoints,
        batch_size=BATCH,
        default_user=user,
        default_change_reason=Record.PROJECT_ADDED,
    )
    return saved


def _change_projects(outcomes, user):
    changing = [o for o in outcomes if o.fields]
    if not changing:
        return
    names, relinked = set(), []
    for outcome in changing:
        project = outcome.project
        for name, value in outcome.fields.items():
            if name == M2M:
                relinked.append((project, value))
            else:
                setattr(project, name, value)  # a unit or official created above has its pk
                names.add(name)
        project.version += 1  # locked: nobody else saved it since it was read
    projects = [o.project for o in changing]
    Project.objects.bulk_update(projects, [*sorted(names), "version"], batch_size=BATCH)
    through = Project.participating_units.through
    through.objects.filter(project__in=[p for p, _units in relinked]).delete()
    through.objects.bulk_create(_links(relinked), batch_size=BATCH)
    _history_with_units(projects, user, None, update=True)


def _reschedule(outcomes, user):
    """New planned dates, each checkpoint's version raised, recorded as 调整计划完成日期."""
    changed = []
    for outcome in outcomes:
        for checkpoint in outcome.project.checkpoints.all():
            if checkpoint.kind in outcome.dates:
                checkpoint.planned_date = outcome.dates[checkpoint.kind]
                checkpoint.version += 1
                changed.append(checkpoint)
    Checkpoint.objects.bulk_update(changed, ["planned_date", "version"], batch_size=BATCH)
    Checkpoint.history.bulk_history_create(
        changed,
        batch_size=BATCH,
        update=True,
        default_user=user,
        default_change_reason=Record.SCHEDULED,
    )
