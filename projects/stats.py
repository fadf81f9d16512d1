"""The dashboard's figures for one plan, each from one aggregate query (constant in size)."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Official

from .choices import (
    NOT_REPORTED,
    NOT_REPORTED_CSS,
    NOT_REPORTED_LABEL,
    PROGRESS_ORDER,
    CheckpointKind,
    CheckpointStatus,
    Domain,
    ProgressStatus,
    Record,
)
from .models import Checkpoint, Instruction, ProgressUpdate, Project
from .querysets import stale_cutoff


def progress_label(status):
    """The label of a progress status, 未报告 included."""
    return NOT_REPORTED_LABEL if status == NOT_REPORTED else ProgressStatus(status).label


def progress_css(status):
    return NOT_REPORTED_CSS if status == NOT_REPORTED else ProgressStatus(status).css_class


class ProgressLook:
    """Label and CSS class of ``self.status``, a progress status or 未报告."""

    @property
    def label(self):
        return progress_label(self.status)

    @property
    def css_class(self):
        return progress_css(self.status)


@dataclass
class Segment(ProgressLook):
    """One status's share of a bar: where it starts and how wide it is, in percent."""

    status: str
    count: int
    x: float
    width: float


@dataclass
class Bar:
    """One row of a stacked bar chart: a label and how many projects are in each status."""

    label: str
    counts: dict
    query: dict = field(default_factory=dict)  # the list's filter for this row
    scale: int = 0  # the longest row of the chart: every row is drawn against it

    @property
    def total(self):
        return sum(self.counts.values())

    def segments(self):
        """The statuses in chart order, in percent of the chart's longest row (so bars of
        one chart compare), for the SVG."""
        out, x = [], 0.0
        scale = max(self.scale, self.total)
        for status in PROGRESS_ORDER:
            n = self.counts.get(status, 0)
            if n:
                width = 100.0 * n / scale
                out.append(Segment(status, n, round(x, 3), round(width, 3)))
                x += width
        return out


@dataclass
class StatusCount(ProgressLook):
    """How many projects are in a progress status."""

    status: str
    count: int


@dataclass
class PlanFigures:
    projects: int = 0
    by_checkpoint: dict = field(default_factory=dict)  # kind -> {status: n}
    statuses: dict = field(default_factory=dict)  # progress status -> n
    overdue_checkpoints: int = 0
    stale_projects: int = 0
    open_instructions: int = 0
    by_domain: list = field(default_factory=list)
    by_official: list = field(default_factory=list)

    @property
    def checkpoints(self):
        return sum(sum(c.values()) for c in self.by_checkpoint.values())

    @property
    def passed(self):
        return sum(c.get(CheckpointStatus.PASSED, 0) for c in self.by_checkpoint.values())

    def checkpoint_rows(self):
        """(label, passed, total) per checkpoint kind, in order."""
        rows = []
        for kind in CheckpointKind:
            counts = self.by_checkpoint.get(kind.value, {})
            rows.append((kind.label, counts.get(CheckpointStatus.PASSED, 0), sum(counts.values())))
        return rows

    def status_rows(self):
        """Projects per progress status (未报告 last)."""
        return [StatusCount(s, self.statuses.get(s, 0)) for s in PROGRESS_ORDER]


def _add(counts, key, n):
    counts[key] = counts.get(key, 0) + n


def plan_figures(plan, tier=None, today=None):
    """Three aggregate queries over the plan's active projects of ``tier`` (all tiers when
    None), plus official names, whatever the plan's size."""
    today = today or timezone.localdate()
    figures = PlanFigures()
    projects = Project.objects.filter(plan=plan).in_plan().of_tier(tier)
    scope = {"tier": tier} if tier else {}  # the bars link to the list of the same tier

    late = Q(planned_date__lt=today) & ~Q(status=CheckpointStatus.PASSED)
    checkpoint_counts = (
        Checkpoint.objects.filter(project__in=projects)
        .values("kind", "status")
        .annotate(n=Count("id"), overdue=Count("id", filter=late))
        .order_by()
    )
    for row in checkpoint_counts:
        figures.by_checkpoint.setdefault(row["kind"], {})[row["status"]] = row["n"]
        figures.overdue_checkpoints += row["overdue"]

    # one pass over the projects: current status and whether the newest report is stale
    cutoff = stale_cutoff(today)
    grouped = (
        projects.annotate(
            stale=Case(
                When(
                    Q(current_reported_on__isnull=True) | Q(current_reported_on__lt=cutoff),
                    then=Value(True),
                ),
                default=Value(False),
            )
        )
        .values("domain", "lead_official", "current_status", "stale")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_domain, by_official = {}, {}
    for row in grouped:
        status, n = row["current_status"] or NOT_REPORTED, row["n"]
        figures.projects += n
        figures.stale_projects += n if row["stale"] else 0
        _add(figures.statuses, status, n)
        _add(by_domain.setdefault(row["domain"], {}), status, n)
        _add(by_official.setdefault(row["lead_official"], {}), status, n)

    figures.by_domain = [
        Bar(label, by_domain[value], {"domain": value, **scope})
        for value, label in Domain.choices
        if value in by_domain
    ]
    names = dict(
        Official.objects.filter(pk__in=[k for k in by_official if k]).values_list("pk", "name")
    )
    figures.by_official = [
        Bar(names[pk], counts, {"lead_official": pk, **scope})
        for pk, counts in sorted(by_official.items(), key=lambda kv: -sum(kv[1].values()))
        if pk
    ]
    if None in by_official:
        unassigned = {"lead_official": "none", **scope}
        figures.by_official.append(Bar(_("待定"), by_official[None], unassigned))

    for chart in (figures.by_domain, figures.by_official):
        longest = max((bar.total for bar in chart), default=0)
        for bar in chart:
            bar.scale = longest
    figures.open_instructions = Instruction.objects.open().filter(project__in=projects).count()
    return figures


@dataclass
class Activity:
    """One line of 最新动态: a progress report, or a change to a checkpoint (a decision that
    moved its status, or a new planned date, which moves nothing)."""

    when: object
    update: object = None
    decision: object = None

    @property
    def rescheduled(self):
        return self.decision is not None and self.decision.history_change_reason == Record.SCHEDULED


def recent_activity(plan, limit=10):
    """The latest progress reports and checkpoint decisions across the plan, newest first."""
    # ids first: answered from the (project, id) index without reading the report texts
    newest = (
        ProgressUpdate.objects.filter(project__plan=plan)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )
    updates = (
        ProgressUpdate.objects.filter(pk__in=list(newest))
        .select_related("project__plan", "author")
        .order_by("-pk")
    )
    decisions = (
        Checkpoint.history.filter(project__plan=plan)
        .exclude(history_type="+")
        .select_related("history_user", "project__plan")
        .order_by("-history_date")[:limit]
    )
    merged = [Activity(u.created_at, update=u) for u in updates] + [
        Activity(d.history_date, decision=d) for d in decisions
    ]
    return sorted(merged, key=lambda a: a.when, reverse=True)[:limit]
