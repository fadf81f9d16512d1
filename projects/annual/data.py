"""What the annual report reads, in a fixed number of queries whatever the number of
projects: the projects with their leads, assessment, checkpoints, newest report and the
number a carried one got next year (two); the intake's funnel (one, when installed); the
leaders' matrix and actions (three); the instructions (one); the scoreboard's year (the
periods and three aggregates, and the ``chasing`` app's when installed)."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import F, OuterRef, Subquery

from .. import leaders, scoreboard
from ..choices import ProjectStanding, ProjectTier
from ..closing import has_assessment
from ..models import Instruction, LeaderAction, Project


def intake_funnel(plan):
    """The intake's figures of ``plan`` (``intake.querysets.funnel_figures``: proposals
    received, reviewed, selected; suggestions, linked; calls) when the optional ``intake``
    app is installed, else None. ``projects`` never imports it otherwise."""
    if not apps.is_installed("intake"):
        return None
    from intake.querysets import funnel_figures  # the optional app, only when installed

    return funnel_figures(plan)


@dataclass
class YearData:
    plan: object
    projects: list
    funnel: dict | None
    matrix: object
    actions: list
    instructions: list
    board: object
    replicable: list
    figures: dict


def load(plan, today):
    carried = Project.objects.filter(carried_from=OuterRef("pk")).values("number")[:1]
    projects = list(
        plan.projects.in_plan()
        .select_related("lead_official", "lead_unit", "assessment")
        .prefetch_related("checkpoints")
        .with_current_status()
        .annotate(carried_number=Subquery(carried))
        .order_by("number")
    )
    standings, grades = {s: 0 for s in ProjectStanding.values}, {}
    for project in projects:
        project.plan = plan  # each project's plan, without a query
        project.annual_assessment = project.assessment if has_assessment(project) else None
        standings[project.standing] += 1
        if project.annual_assessment:
            grades[project.annual_assessment.grade] = (
                grades.get(project.annual_assessment.grade, 0) + 1
            )
    instructions = list(
        Instruction.objects.filter(project__plan=plan)
        .select_related("official", "project")
        .order_by("issued_on", "pk")
    )
    actions = list(
        LeaderAction.objects.filter(plan=plan)
        .select_related("official")
        .order_by(F("done_on").asc(nulls_first=True), "pk")
    )
    periods = list(plan.periods.all())
    return YearData(
        plan=plan,
        projects=projects,
        funnel=intake_funnel(plan),
        matrix=leaders.plan_matrix(plan, today),
        actions=actions,
        instructions=instructions,
        board=scoreboard.unit_scoreboard(plan, periods, today=today),
        replicable=[p for p in projects if p.annual_assessment and p.annual_assessment.replicable],
        figures={
            "standings": standings,
            "grades": grades,
            "assessed": sum(grades.values()),
            "district": sum(p.tier == ProjectTier.DISTRICT for p in projects),
        },
    )
