"""The year's end: 销号 (closing out a project whose 成效关 passed), the year-end assessment,
carrying unfinished projects over into next year's plan (结转) or stopping them (终止), and
the rule that lets the plan year close (已总结).

Each function refuses with PermissionDenied, ValidationError (a broken rule, with its
message) or EditConflict, and then saves nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import (
    CheckpointKind,
    CheckpointStatus,
    CloseoutState,
    Grade,
    PlanStatus,
    ProjectStanding,
    Record,
    punct,
)
from .models import CLOSEOUT_STEPS, Assessment, Closeout, Project, ReformPlan
from .services import AlreadySubmitted
from .versioning import EditConflict, save_with_version

REASON_LIMIT = 100  # django-simple-history's change reason

# What a carried-over project takes with it into next year's plan (besides its
# participating units and checkpoints): its texts, leaders, units and tier. Not the
# documents of the old year (计划原文, 资料说明, 在全市改革计划中的位置), which the new
# plan has its own of, nor its reports, instructions, 销号 applications or assessment,
# which stay with the old project (linked both ways).
CARRIED_FIELDS = (
    "title",
    "domain",
    "tier",
    "issuing_level",
    "issuing_document",
    "problem",
    "principles",
    "content",
    "innovation",
    "goals",
    "lead_official",
    "lead_unit",
)


def _reason(label, text=""):
    text = text.strip()
    return f"{label}：{text}"[:REASON_LIMIT] if text else label


def project_name(project):
    """How the record names a project of another year: 2017年项目五."""
    return f"{project.plan.year}年项目{project.number_cn}"


def outcome_passed(project):
    """Whether the project's 成效关 stands passed (from the prefetched checkpoints when
    there, else one query)."""
    return any(
        c.kind == CheckpointKind.OUTCOME and c.status == CheckpointStatus.PASSED
        for c in project.checkpoints.all()
    )


def newest_closeout(project):
    return project.closeouts.select_related("applied_by", "reviewed_by").order_by("-pk").first()


# 销号 ------------------------------------------------------------------------------------


def _refused_from(step, newest):
    if newest is None:
        return _("该项目尚无销号申请，不能%(step)s。") % {"step": step.label}
    if newest.state == CloseoutState.APPLIED:
        return _("该项目已有待核验的销号申请。")
    return _("销号申请当前为「%(state)s」，不能%(step)s。") % {
        "state": newest.get_state_display(),
        "step": step.label,
    }


def move_closeout(project, user, action, *, note="", outside_evaluation="", expected_version=None):
    """Make one 销号 move (``CLOSEOUT_STEPS[action]``): the lead unit (or the office) applies
    with a summary of results; the office closes the project (已销号: locked from then on)
    or returns the application with a note. Returns the application."""
    step = CLOSEOUT_STEPS.get(action)
    if step is None:
        raise ValidationError(_("未知的操作。"))
    note = (note or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
        newest = newest_closeout(project)
        guard = (newest or Closeout(project=project)) if step.by_office else project
        guard.require(user, step.need)
        source = newest.state if newest else None
        if source not in step.sources:
            if not step.by_office and newest.state == CloseoutState.APPLIED:
                if newest.applied_by_id == user.pk and newest.summary == note:
                    raise AlreadySubmitted(newest)  # the same form sent twice
            raise ValidationError(_refused_from(step, newest))
        if step.needs_outcome_passed and not outcome_passed(project):
            raise ValidationError(_("「成效关」通过后才能申请或核验销号。"))
        if step.note_required and not note:
            raise ValidationError(step.note_required)
        if not step.by_office:
            return _apply(project, user, step, note)
        if newest.version != expected_version:
            raise EditConflict(newest)
        newest.state = step.target
        newest.review_note = note
        newest.outside_evaluation = (outside_evaluation or "").strip()
        newest.reviewed_by = user
        newest.reviewed_on = timezone.localdate()
        save_with_version(newest, expected_version, reason=_reason(step.record_label, note))
        if step.standing:
            project.standing = step.standing
            save_with_version(project, project.version, reason=_reason(step.record_label, note))
    return newest


def _apply(project, user, step, summary):
    closeout = Closeout(project=project, state=step.target, applied_by=user)
    setattr(closeout, step.note_field, summary)
    closeout._change_reason = step.record_label
    try:
        with transaction.atomic():
            closeout.save()
    except IntegrityError as exc:  # another application in the same moment
        raise ValidationError(_("该项目已有待核验的销号申请。")) from exc
    return closeout


# Year-end assessment ---------------------------------------------------------------------


def assess(assessment, user, expected_version):
    """Save a project's year-end assessment: a new one (``assessment.pk`` None) or the
    stored one, edited from ``expected_version``."""
    assessment.require(user, "assess")
    assessment.assessed_by = user
    if assessment.pk is not None:
        return save_with_version(assessment, expected_version, reason=Record.ASSESSED)
    assessment._change_reason = Record.ASSESSED
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:  # someone assessed it in the meantime
        current = Assessment.objects.filter(project=assessment.project_id).first()
        if current is None:
            raise
        raise EditConflict(current) from None
    return assessment


# Carry-over and stopping ------------------------------------------------------------------


def _locked_for_year_end(project, user):
    """The project, locked for a year-end decision: the office's, while the plan is carried
    out (执行中), on a project still on the list with no 销号 application waiting."""
    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    project.require(user, "conclude")
    plan = project.plan
    if plan.status != PlanStatus.IN_PROGRESS:
        raise ValidationError(
            _("计划当前为「%(status)s」：年终结转或终止须在计划执行中进行。")
            % {"status": plan.get_status_display()}
        )
    if project.closeouts.filter(state=CloseoutState.APPLIED).exists():
        raise ValidationError(_("该项目有待核验的销号申请，请先核验或退回。"))
    return project


def next_plan(plan):
    return ReformPlan.objects.filter(year=plan.year + 1).first()


def next_plan_problem(plan, following):
    """Why projects of ``plan`` cannot be carried into ``following`` (next year's plan,
    or None), or None when they can: it must exist and be a draft (起草)."""
    if following is None:
        return _("结转须先建立%(year)s年度计划（起草）。") % {"year": plan.year + 1}
    if following.status != PlanStatus.DRAFT:
        return _("%(year)s年度计划已是「%(status)s」，只能结转到起草中的计划。") % {
            "year": following.year,
            "status": following.get_status_display(),
        }
    return None


def carry_over(project, user, expected_version):
    """Carry an unfinished project over (结转) into next year's draft plan: a new project
    there, numbered after its last one, linked to this one (``carried_from``), with this
    one's texts, leaders, units and tier, its own rows of participating units, and new
    checkpoints that copy each checkpoint's status, notes and, when passed, its date passed
    and planned date (an unpassed one's planned date stays empty: the new plan sets it).
    This project becomes 已结转; each history names the other. Returns the new project."""
    with transaction.atomic():
        old = _locked_for_year_end(project, user)
        following = ReformPlan.objects.select_for_update().filter(year=old.plan.year + 1).first()
        problem = next_plan_problem(old.plan, following)
        if problem:
            raise ValidationError(problem)
        last = following.projects.aggregate(last=Max("number"))["last"] or 0
        new = Project(plan=following, number=last + 1, carried_from=old)
        for name in CARRIED_FIELDS:
            setattr(new, name, getattr(old, name))
        old.standing = ProjectStanding.CARRIED_OVER
        save_with_version(
            old, expected_version, reason=_reason(Record.CARRIED_TO, project_name(new))
        )
        new._change_reason = _reason(Record.CARRIED_FROM, project_name(old))
        new.save()  # its three checkpoints come with it (projects.signals)
        new.participating_units.set(old.participating_units.all())
        _copy_checkpoints(old, new)
    return new


def _copy_checkpoints(old, new):
    copies = {c.kind: c for c in new.checkpoints.all()}
    reason = _reason(Record.CARRIED_FROM, project_name(old))
    for checkpoint in old.checkpoints.all():
        copy = copies[checkpoint.kind]
        passed = checkpoint.status == CheckpointStatus.PASSED
        copy.status = checkpoint.status
        copy.passed_on = checkpoint.passed_on if passed else None
        copy.planned_date = checkpoint.planned_date if passed else None
        copy.evidence = checkpoint.evidence
        copy.assessment_notes = checkpoint.assessment_notes
        if copy.status != CheckpointStatus.NOT_STARTED or copy.evidence or copy.assessment_notes:
            copy._change_reason = reason
            copy.save()


def stop_project(project, user, reason, expected_version):
    """Stop (终止) an unfinished project at the year's end, with the reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        project = _locked_for_year_end(project, user)
        if not reason:
            raise ValidationError(_("终止项目须说明理由。"))
        project.standing = ProjectStanding.STOPPED
        project.ended_reason = reason
        save_with_version(project, expected_version, reason=_reason(Record.PROJECT_STOPPED, reason))
    return project


# Closing the year -------------------------------------------------------------------------


def require_year_decided(plan):
    """The rule of the plan's step 年度总结 (``planning.move_plan``): refused, naming them,
    while any project is still on the list (neither closed out, carried over nor stopped;
    withdrawn ones are off it already)."""
    undecided = list(plan.projects.active().order_by("number").only("number", "title"))
    if undecided:
        names = punct("list").join(p.heading for p in undecided)
        raise ValidationError(
            _("还有%(count)d个项目未作年终处理（销号、结转或终止）：%(names)s。")
            % {"count": len(undecided), "names": names}
        )


# What the pages show ----------------------------------------------------------------------


def project_yearend(project, user):
    """The project page's 销号 and assessment section: two queries (the newest application,
    the assessment), one more for a carried project's link."""
    assessment = Assessment.objects.filter(project=project).select_related("assessed_by").first()
    probe = assessment or Assessment(project=project)
    carried_into = None
    if project.standing == ProjectStanding.CARRIED_OVER:
        carried_into = project.carried_into.select_related("plan").first()
    carried_from = None
    if project.carried_from_id:
        carried_from = Project.objects.select_related("plan").get(pk=project.carried_from_id)
    return {
        "closeout": newest_closeout(project),
        "outcome_passed": outcome_passed(project),
        "can_apply": project.can_apply_closeout(user),
        "assessment": assessment,
        "can_assess": probe.can_assess(user),
        "carried_into": carried_into,
        "carried_from": carried_from,
    }


@dataclass
class UnitRow:
    """A lead unit's year: its projects and what became of them (the scoreboard's own
    figures join here: see the hook in yearend_overview)."""

    unit: object
    projects: list = field(default_factory=list)
    standings: dict = field(default_factory=dict)
    grades: dict = field(default_factory=dict)

    def add(self, project):
        self.projects.append(project)
        self.standings[project.standing] = self.standings.get(project.standing, 0) + 1
        grade = project.assessment.grade if has_assessment(project) else None
        self.grades[grade] = self.grades.get(grade, 0) + 1

    @property
    def grade_counts(self):
        """(grade's label, projects) for each grade, best first."""
        return [(label, self.grades.get(value, 0)) for value, label in Grade.choices]

    @property
    def unassessed(self):
        return self.grades.get(None, 0)


def has_assessment(project):
    try:
        return project.assessment is not None
    except Assessment.DoesNotExist:
        return False


@dataclass
class YearEnd:
    projects: list
    units: list
    undecided: list
    following: object
    following_problem: str | None
    counts: dict
    assessed: int
    replicable: list


def yearend_overview(plan):
    """The year-end page: the plan's projects (but withdrawn ones) with their standing,
    a waiting 销号 application, their assessment and where a carried one went; per lead
    unit, its projects and their ends and grades; next year's plan. Two queries."""
    pending = Closeout.objects.filter(project=OuterRef("pk"), state=CloseoutState.APPLIED)
    carried = Project.objects.filter(carried_from=OuterRef("pk")).values("number")[:1]
    projects = list(
        plan.projects.exclude(standing=ProjectStanding.WITHDRAWN)
        .select_related("plan", "lead_unit", "assessment")
        .annotate(pending_closeout=Exists(pending), carried_number=Subquery(carried))
        .order_by("number")
    )
    units = {}
    for project in projects:
        row = units.setdefault(project.lead_unit_id, UnitRow(project.lead_unit))
        row.add(project)
    # HOOK(scoreboard): projects/scoreboard.py (another branch) computes each unit's year
    # figures (unit_scoreboard(plan)); join them to these rows by unit id here.
    following = next_plan(plan)
    counts = {s: 0 for s in ProjectStanding.values}
    for project in projects:
        counts[project.standing] += 1
    return YearEnd(
        projects=projects,
        units=sorted(units.values(), key=lambda r: (r.unit is None, -len(r.projects))),
        undecided=[p for p in projects if p.standing == ProjectStanding.ACTIVE],
        following=following,
        following_problem=next_plan_problem(plan, following),
        counts=counts,
        assessed=sum(has_assessment(p) for p in projects),
        replicable=[p for p in projects if has_assessment(p) and p.assessment.replicable],
    )
