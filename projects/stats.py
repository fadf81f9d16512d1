"""The dashboard's figures for one plan, each from one aggregate query (constant in size)."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Official

from .models import (
    Checkpoint,
    Domain,
    GateKind,
    GateStatus,
    Instruction,
    ProgressStatus,
    ProgressUpdate,
    Project,
    stale_cutoff,
)

NOT_REPORTED = "none"
STATUS_ORDER = [*ProgressStatus.values, NOT_REPORTED]


@dataclass
class Bar:
    """One row of a stacked bar chart: a label and how many projects are in each status."""

    label: str
    counts: dict
    url_params: str = ""

    @property
    def total(self):
        return sum(self.counts.values())

    def segments(self):
        """(status, count, x, width) in percent of this row's total, for the SVG."""
        out, x = [], 0.0
        for status in STATUS_ORDER:
            n = self.counts.get(status, 0)
            if n:
                width = 100.0 * n / self.total
                out.append((status, n, round(x, 3), round(width, 3)))
                x += width
        return out


@dataclass
class PlanFigures:
    projects: int = 0
    gates: dict = field(default_factory=dict)  # kind -> {status: n}
    statuses: dict = field(default_factory=dict)  # progress status -> n
    overdue_checkpoints: int = 0
    stale_projects: int = 0
    open_instructions: int = 0
    by_domain: list = field(default_factory=list)
    by_official: list = field(default_factory=list)

    @property
    def checkpoints(self):
        return sum(sum(c.values()) for c in self.gates.values())

    @property
    def passed(self):
        return sum(c.get(GateStatus.PASSED, 0) for c in self.gates.values())

    def gate_rows(self):
        """(label, passed, total) per gate, in gate order."""
        return [
            (
                GateKind(kind).label,
                self.gates.get(kind, {}).get(GateStatus.PASSED, 0),
                sum(self.gates.get(kind, {}).values()),
                kind,
            )
            for kind in GateKind.values
        ]

    def status_rows(self):
        labels = dict(ProgressStatus.choices) | {NOT_REPORTED: _("未报告")}
        return [(s, labels[s], self.statuses.get(s, 0)) for s in STATUS_ORDER]


def _add(counts, key, n):
    counts[key] = counts.get(key, 0) + n


def plan_figures(plan, today=None):
    """Three aggregate queries over the plan (plus official names), whatever its size."""
    today = today or timezone.localdate()
    projects = Project.objects.filter(plan=plan)
    checkpoints = Checkpoint.objects.filter(project__plan=plan)
    figures = PlanFigures()

    late = Q(planned_date__lt=today) & ~Q(status=GateStatus.PASSED)
    gate_rows = checkpoints.values("kind", "status").annotate(
        n=Count("id"), overdue=Count("id", filter=late)
    )
    for row in gate_rows.order_by():
        figures.gates.setdefault(row["kind"], {})[row["status"]] = row["n"]
        figures.overdue_checkpoints += row["overdue"]

    # one pass over the projects: newest status and whether the newest report is stale
    cutoff = stale_cutoff(today)
    grouped = (
        projects.annotate(current=projects._latest("status"), last=projects._latest("reported_on"))
        .annotate(
            stale=Case(
                When(Q(last__isnull=True) | Q(last__lt=cutoff), then=Value(True)),
                default=Value(False),
            )
        )
        .values("domain", "lead_official", "current", "stale")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_domain, by_official = {}, {}
    for row in grouped:
        status, n = row["current"] or NOT_REPORTED, row["n"]
        figures.projects += n
        figures.stale_projects += n if row["stale"] else 0
        _add(figures.statuses, status, n)
        _add(by_domain.setdefault(row["domain"], {}), status, n)
        _add(by_official.setdefault(row["lead_official"], {}), status, n)

    figures.by_domain = [
        Bar(label, by_domain[value], f"domain={value}")
        for value, label in Domain.choices
        if value in by_domain
    ]
    names = dict(
        Official.objects.filter(pk__in=[k for k in by_official if k]).values_list("pk", "name")
    )
    figures.by_official = [
        Bar(names[pk], counts, f"lead_official={pk}")
        for pk, counts in sorted(by_official.items(), key=lambda kv: -sum(kv[1].values()))
        if pk
    ]
    if None in by_official:
        figures.by_official.append(Bar(_("待定"), by_official[None], "lead_official=none"))

    figures.open_instructions = Instruction.objects.open().filter(project__plan=plan).count()
    return figures


@dataclass
class Activity:
    when: object
    update: object = None
    decision: object = None


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
