"""Setting up and changing a year's plan: its steps, its projects (added, changed and
withdrawn, with 计划调整 once approved) and what leading-group meetings decide.

Each function refuses with PermissionDenied or ValidationError (a broken rule, with its
message) and then saves nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from . import closing, services
from .choices import (
    AdjustmentKind,
    CheckpointKind,
    DecisionKind,
    PlanStatus,
    ProjectStanding,
    Record,
)
from .display import field_display, value_display
from .models import PLAN_STEPS, Checkpoint, PlanAdjustment, Project, ReformPlan
from .versioning import save_with_version

# An approved plan's projects change these only with a reason (计划调整).
WATCHED_FIELDS = ("title", "content", "goals", "lead_official", "lead_unit", "participating_units")


def create_plan(user, plan):
    """A new year's plan, as a draft (起草)."""
    if not user.has_perm("projects.add_reformplan"):
        raise PermissionDenied(plan.refusal("manage"))
    plan.status = PlanStatus.DRAFT
    plan._change_reason = Record.PLAN_CREATED
    plan.save()
    return plan


def move_plan(plan, user, action, expected_version):
    """Make one step of the plan's life by hand (审议通过 comes from a meeting)."""
    step = PLAN_STEPS.get(action)
    if step is None or step.by_meeting:
        raise ValidationError(_("未知的操作。"))
    plan.require(user, "manage")
    if plan.status not in step.sources:
        raise ValidationError(
            _("计划当前状态为「%(status)s」，不能%(step)s。")
            % {"status": plan.get_status_display(), "step": step.label}
        )
    if step.target == PlanStatus.CLOSED:
        closing.require_year_decided(plan)  # every project closed out, carried or stopped
    plan.status = step.target
    save_with_version(plan, expected_version, reason=step.record_label)
    return step


def watched_changes(project, values):
    """[{field, before, after}] for the watched fields whose new ``values`` (a form's
    cleaned data) differ from ``project`` as stored, in words a reader would use."""
    changes = []
    for name in WATCHED_FIELDS:
        if name not in values:
            continue
        before, after = field_display(project, name), value_display(project, name, values[name])
        if before != after:
            label = str(project._meta.get_field(name).verbose_name)
            changes.append({"field": label, "before": before, "after": after})
    return changes


def _adjust(plan, project, user, kind, reason, changes=()):
    PlanAdjustment.objects.create(
        plan=plan, project=project, kind=kind, reason=reason, changes=list(changes), made_by=user
    )


def save_project_edit(form, user, reason=""):
    """Save a project edit (a valid ProjectForm); on an approved plan a change to a watched
    field needs ``reason`` and is recorded as 计划调整."""
    project = form.instance
    plan = project.plan
    if project.needs_correction:  # ended or closed: the office corrects, with a reason
        if not user.has_perm("projects.change_project") or not project.can_correct(user):
            raise PermissionDenied(_("只有区委改革办可以更正已结束的项目。"))
        if not reason.strip():
            raise ValidationError({"reason": _("更正已结束的项目须写明理由。")})
        project._change_reason = f"{Record.PROJECT_CORRECTED}：{reason.strip()}"[:100]
        save_with_version(project, form.cleaned_data["version"], save=form.save)
        return project
    with transaction.atomic():
        stored = Project.objects.select_related("lead_official", "lead_unit").get(pk=project.pk)
        changes = watched_changes(stored, form.cleaned_data) if plan.is_locked else []
        # the version first: a stale form is a conflict to resolve before anything else
        save_with_version(project, form.cleaned_data["version"], save=form.save)
        if changes and not reason.strip():  # rolls the save back
            message = _("计划已审议通过：修改项目名称、内容、目标、牵头领导或单位须说明调整理由。")
            raise ValidationError({"reason": message} if "reason" in form.fields else message)
        if changes:
            _adjust(plan, project, user, AdjustmentKind.CHANGED, reason.strip(), changes)
    return project


def add_project(plan, user, project, reason=""):
    """Add a project (unsaved, with its fields) to ``plan``; on an approved plan with a
    reason, recorded as 计划调整. Its three checkpoints come with it."""
    plan.require(user, "manage")
    if plan.is_closed:
        raise ValidationError(_("该年度计划已总结，不能再新增项目。"))
    if plan.is_locked and not reason.strip():
        raise ValidationError(_("计划已审议通过：新增项目须说明调整理由。"))
    with transaction.atomic():
        project.plan = plan
        project._change_reason = Record.PROJECT_ADDED
        project.save()
        if plan.is_locked:
            _adjust(plan, project, user, AdjustmentKind.ADDED, reason.strip())
    return project


def withdraw_project(project, user, reason, expected_version):
    """Withdraw (撤销) a project: it stays, marked, with the reason; never deleted."""
    plan = project.plan
    plan.require(user, "manage")
    if plan.is_closed:
        raise ValidationError(_("该年度计划已总结，项目不能再撤销。"))
    if project.standing == ProjectStanding.WITHDRAWN:
        raise ValidationError(_("该项目已撤销。"))
    if not reason.strip():
        raise ValidationError(_("撤销项目须说明理由。"))
    with transaction.atomic():
        project.standing = ProjectStanding.WITHDRAWN
        project.withdrawn_reason = reason.strip()
        save_with_version(
            project, expected_version, reason=f"{Record.PROJECT_WITHDRAWN}：{reason.strip()}"[:100]
        )
        if plan.is_locked:
            _adjust(plan, project, user, AdjustmentKind.WITHDRAWN, reason.strip())
    return project


def record_decision(meeting, user, decision):
    """Record a meeting's decision (unsaved) and carry it out: approving a plan moves it
    to 审议通过 (from 送审稿 only); approving a project's 方案关 passes that checkpoint
    under the 三关 rules (it must have been submitted); a task is recorded."""
    meeting.require(user, "manage")
    with transaction.atomic():
        decision.meeting = meeting
        last = meeting.decisions.aggregate(last=Max("position"))["last"] or 0
        decision.position = last + 1
        if decision.kind == DecisionKind.APPROVE_PLAN:
            _approve_plan(decision.plan, meeting, user)
        elif decision.kind == DecisionKind.APPROVE_CHECKPOINT:
            checkpoint = Checkpoint.objects.select_related("project__plan").get(
                project=decision.project, kind=CheckpointKind.PLAN
            )
            decision.checkpoint = checkpoint
            note = _("经%(meeting)s审议通过") % {"meeting": meeting.title}
            services.decide_checkpoint(checkpoint, user, "approve", str(note), checkpoint.version)
        decision.save()
    return decision


def _approve_plan(plan, meeting, user):
    step = PLAN_STEPS["approve"]
    plan = ReformPlan.objects.select_for_update().get(pk=plan.pk)
    plan.require(user, "manage")
    if plan.status not in step.sources:
        raise ValidationError(
            _("计划当前状态为「%(status)s」，须先形成送审稿才能审议通过。")
            % {"status": plan.get_status_display()}
        )
    plan.status = step.target
    plan.approved_by = meeting.title
    plan.approved_on = meeting.held_on
    save_with_version(plan, plan.version, reason=f"{step.record_label}：{meeting.title}")
