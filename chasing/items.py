"""The work that waits on a unit, read live from the plan's own rows: nothing is copied, so
an item is gone the moment the report is submitted, the checkpoint sent for review or the
instruction followed up.

Three kinds of work are chased, each owed by the project's lead unit and due on a day:
- a period's report: an open period (started) covering the project, the lead unit's report
  missing, a draft or returned; due on the period's ``due_on``;
- a checkpoint to submit: 进行中 or 需整改, or 未开始 with a planned date within 30 days;
  due on its planned date (none: listed, never chased);
- a leader's instruction not yet carried out: due ``INSTRUCTION_DUE_DAYS`` after it was
  issued.

Every list here costs a fixed number of queries, whatever the number of projects.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from projects.choices import (
    COUNTED_REPORTS,
    CheckpointStatus,
    InstructionStatus,
    PeriodStatus,
    PlanStatus,
    ProjectStanding,
    ReportState,
)
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project, ReportPeriod
from projects.models.period import default_tiers

from . import conf
from .choices import ItemKind

OWING_CHECKPOINT = (
    CheckpointStatus.NOT_STARTED,
    CheckpointStatus.IN_PROGRESS,
    CheckpointStatus.REWORK,
)
OWING_REPORT = (ReportState.DRAFT, ReportState.RETURNED)


@dataclass
class Item:
    """One piece of work a unit owes: what, on which project, by when."""

    kind: str
    project: Project
    unit: object
    due_on: date | None
    period: ReportPeriod | None = None
    checkpoint: Checkpoint | None = None
    instruction: Instruction | None = None
    report: ProgressUpdate | None = None  # the unit's draft or returned report, if any

    def __str__(self):
        """The item as the bulletin lists it: 甲局：一、…的实施关报审，已逾期N天（应于…前办理）."""
        from .texts import what, when  # texts reads items' fields; items never need texts

        unit = getattr(self.unit, "short_name", "") or "牵头单位待定"
        return f"{unit}：{what(self)}，{when(self)}"

    @property
    def key(self):
        """The item's name in the reminder records."""
        if self.kind == ItemKind.REPORT:
            return f"report:{self.period.pk}:{self.project.pk}:{self.unit.pk}"
        if self.kind == ItemKind.CHECKPOINT:
            return f"checkpoint:{self.checkpoint.pk}"
        return f"instruction:{self.instruction.pk}"

    def days_late(self, today=None):
        """Days past the due date (negative: days left); None without a due date."""
        if self.due_on is None:
            return None
        return ((today or timezone.localdate()) - self.due_on).days

    def is_escalated(self, today=None):
        """督办: still not done ``ESCALATE_AFTER_DAYS`` days after the due date."""
        late = self.days_late(today)
        return late is not None and late > 0 and late >= conf.get("ESCALATE_AFTER_DAYS")

    @property
    def url(self):
        """Where the work is done."""
        if self.kind == ItemKind.REPORT:
            if self.report is not None:
                return reverse("update_edit", args=[self.report.pk])
            return f"{self.project.get_absolute_url()}#progress-form"
        if self.kind == ItemKind.CHECKPOINT:
            return self.checkpoint.get_absolute_url()
        return reverse("instruction_follow_up", args=[self.instruction.pk])

    @property
    def view_url(self):
        """Where anyone who reads the plan sees it (the period's page, the checkpoint…)."""
        if self.kind == ItemKind.REPORT:
            return self.period.get_absolute_url()
        if self.kind == ItemKind.CHECKPOINT:
            return self.checkpoint.get_absolute_url()
        return f"{self.project.get_absolute_url()}#instructions-h"

    @property
    def record_fields(self):
        """The fields a reminder about this item stores."""
        return {
            "item": self.key,
            "kind": self.kind,
            "project": self.project,
            "unit": self.unit,
            "period": self.period,
            "checkpoint": self.checkpoint,
            "instruction": self.instruction,
            "due_on": self.due_on,
        }

    @property
    def sort_key(self):
        return (self.due_on or date.max, self.project.plan_id, self.project.number, self.kind)


def live(prefix=""):
    """Projects that are chased: on the plan's list (not withdrawn), in a plan not closed."""
    return Q(**{f"{prefix}standing": ProjectStanding.ACTIVE}) & ~Q(
        **{f"{prefix}plan__status": PlanStatus.CLOSED}
    )


def on_projects(prefix, filters):
    """``filters`` on the project (``lead_unit=…``) as seen from a row ``prefix`` away."""
    return Q(**{f"{prefix}{name}": value for name, value in filters.items()})


def open_periods(today=None, plan=None):
    """Open periods that have started, in plans not closed, the earliest due first."""
    today = today or timezone.localdate()
    periods = (
        ReportPeriod.objects.filter(status=PeriodStatus.OPEN, starts_on__lte=today)
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("plan")
        .order_by("due_on", "pk")
    )
    if plan is not None:
        periods = periods.filter(plan=plan)
    return list(periods)


def periods_of_request(request, today=None):
    """``open_periods`` read once per request (the header's count and a panel share it)."""
    if not hasattr(request, "chasing_periods"):
        request.chasing_periods = open_periods(today)
    return request.chasing_periods


def _tiers(period):
    return period.tiers or default_tiers()


def owed_reports_query(period, **project_filters):
    """The projects ``period`` covers whose lead unit has not submitted its report."""
    done = ProgressUpdate.objects.filter(
        period=period.pk,
        project=OuterRef("pk"),
        unit=OuterRef("lead_unit"),
        state__in=COUNTED_REPORTS,
    )
    return (
        Project.objects.filter(plan=period.plan_id, tier__in=_tiers(period))
        .filter(live(), lead_unit__isnull=False, **project_filters)
        .exclude(Exists(done))
    )


def owed_reports(periods, **project_filters):
    """The reports still owed in ``periods``: two queries (none without periods), whatever
    the number of projects."""
    if not periods:
        return []
    covered = Q()
    for period in periods:
        covered |= Q(plan=period.plan_id, tier__in=_tiers(period))
    covered = (
        Project.objects.filter(covered)
        .filter(live(), lead_unit__isnull=False, **project_filters)
        .order_by("plan", "number")
    )
    projects = list(covered.select_related("plan", "lead_unit", "lead_official"))
    # always asked (a subquery, not the ids above): the same count of queries either way
    reports = ProgressUpdate.objects.filter(
        period__in=[p.pk for p in periods],
        project__in=covered.values("pk"),
        unit=F("project__lead_unit"),
    ).only("pk", "period_id", "project_id", "unit_id", "state", "version")
    by_key = {(r.period_id, r.project_id, r.unit_id): r for r in reports}
    items = []
    for period in periods:
        tiers = _tiers(period)
        for project in projects:
            if project.plan_id != period.plan_id or project.tier not in tiers:
                continue
            report = by_key.get((period.pk, project.pk, project.lead_unit_id))
            if report is not None and report.state not in OWING_REPORT:
                continue
            items.append(
                Item(
                    ItemKind.REPORT,
                    project,
                    project.lead_unit,
                    period.due_on,
                    period=period,
                    report=report,
                )
            )
    return items


def checkpoints_query(today=None, **project_filters):
    """Checkpoints the lead unit has to submit: 进行中 or 需整改, or 未开始 with a planned
    date within 30 days (or past)."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=conf.CHECKPOINT_SOON_DAYS)
    return Checkpoint.objects.filter(
        live("project__"),
        on_projects("project__", project_filters),
        Q(status__in=[CheckpointStatus.IN_PROGRESS, CheckpointStatus.REWORK])
        | Q(status=CheckpointStatus.NOT_STARTED, planned_date__lte=soon),
        project__lead_unit__isnull=False,
    )


def instructions_query(**project_filters):
    """Instructions not yet carried out on projects with a lead unit."""
    return Instruction.objects.filter(
        live("project__"),
        on_projects("project__", project_filters),
        status=InstructionStatus.OPEN,
        project__lead_unit__isnull=False,
    )


def instruction_due(issued_on):
    return issued_on + timedelta(days=conf.get("INSTRUCTION_DUE_DAYS"))


def checkpoint_items(checkpoints):
    return [
        Item(
            ItemKind.CHECKPOINT,
            c.project,
            c.project.lead_unit,
            c.planned_date,
            checkpoint=c,
        )
        for c in checkpoints.select_related(
            "project__plan", "project__lead_unit", "project__lead_official"
        )
    ]


def instruction_items(instructions):
    return [
        Item(
            ItemKind.INSTRUCTION,
            i.project,
            i.project.lead_unit,
            instruction_due(i.issued_on),
            instruction=i,
        )
        for i in instructions.select_related(
            "project__plan", "project__lead_unit", "project__lead_official", "official"
        )
    ]


def due_by(today, until):
    """Every item with a due date on or before ``until`` (reminders, 督办): five queries."""
    periods = [p for p in open_periods(today) if p.due_on <= until]
    checkpoints = checkpoints_query(today).filter(
        status__in=OWING_CHECKPOINT, planned_date__lte=until
    )
    issued_by = until - timedelta(days=conf.get("INSTRUCTION_DUE_DAYS"))
    instructions = instructions_query().filter(issued_on__lte=issued_by)
    items = [
        *owed_reports(periods),
        *checkpoint_items(checkpoints),
        *instruction_items(instructions),
    ]
    return sorted(items, key=lambda item: item.sort_key)


def escalation_cutoff(today):
    """Items due on or before this day are 督办 (at least one day late)."""
    return today - timedelta(days=max(conf.get("ESCALATE_AFTER_DAYS"), 1))


def escalated_parts(today, periods, **project_filters):
    """督办 as (the periods whose owed reports are 督办, checkpoints, instructions)."""
    cutoff = escalation_cutoff(today)
    periods = [p for p in periods if p.due_on <= cutoff]
    checkpoints = checkpoints_query(today, **project_filters).filter(
        status__in=OWING_CHECKPOINT, planned_date__lte=cutoff
    )
    issued_by = cutoff - timedelta(days=conf.get("INSTRUCTION_DUE_DAYS"))
    instructions = instructions_query(**project_filters).filter(issued_on__lte=issued_by)
    return periods, checkpoints, instructions


def escalated(today=None, *, plan=None, period=None, periods=None, **project_filters):
    """督办 items: still not done ``ESCALATE_AFTER_DAYS`` days after their due date, of a
    plan or of one period (its reports only), optionally on some projects only."""
    today = today or timezone.localdate()
    if period is not None:
        late = period.is_open and period.due_on <= escalation_cutoff(today)
        return owed_reports([period] if late else [], **project_filters)
    if plan is not None:
        project_filters["plan"] = plan
    if periods is None:
        periods = open_periods(today, plan)
    periods, checkpoints, instructions = escalated_parts(today, periods, **project_filters)
    items = [
        *owed_reports(periods, **project_filters),
        *checkpoint_items(checkpoints),
        *instruction_items(instructions),
    ]
    return sorted(items, key=lambda item: item.sort_key)
