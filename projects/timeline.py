"""The timeline page's geometry: a month axis for a plan and, for each project on a page,
where its three checkpoints' planned and passed dates fall on it. Numbers and words only;
``templates/projects/timeline.html`` draws the SVG.

Horizontal positions are percentages of the SVG's width (SVG takes them for ``x``, ``cx``,
``x1``…), vertical ones pixels: the chart stretches to any width while its marks stay round
and its text keeps its size. The axis is the same on every page of a plan: the plan year,
widened to every planned or passed date of the plan (one aggregate query) and to today
when today is within a year of it.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min, Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .choices import OVERDUE_LABEL, OVERDUE_LOOK, CheckpointKind, CheckpointStatus
from .models import Checkpoint, Project
from .models.checkpoint import CHECKPOINT_ORDERING

# Where the axis runs, in percent of the chart's width; project labels sit left of it and
# are clipped at LABEL_CLIP (the full title is in the tooltip and the text alternative).
CHART_LEFT = 31.0
CHART_RIGHT = 98.5
LABEL_CLIP = 29.5
ROW_HEIGHT = 30  # pixels
AXIS_HEIGHT = 46  # pixels above the first row: the year line and the month line
BOTTOM_MARGIN = 6
# One SVG per block of rows, each with its own axis: a block prints whole on an A4
# landscape page, and on screen the months are never far away.
ROWS_PER_BLOCK = 15
MAX_LABELS = 16  # month (or year) labels across the axis, at most
LABEL_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)  # months between labels
MONTHLY_GRID_UP_TO = 36  # months on the axis up to which every month gets a grid line
TODAY_REACH = 12  # months: today is put on the axis when at most this far outside it

# The letter in each checkpoint's mark, so the three tell apart without colour.
INITIALS = {
    CheckpointKind.PLAN: pgettext_lazy("checkpoint initial", "方"),
    CheckpointKind.IMPLEMENTATION: pgettext_lazy("checkpoint initial", "实"),
    CheckpointKind.OUTCOME: pgettext_lazy("checkpoint initial", "效"),
}


def month_index(day):
    return day.year * 12 + day.month - 1


def month_start(index):
    return date(index // 12, index % 12 + 1, 1)


def iso(day):
    return day.strftime("%Y-%m-%d") if day else ""


def timeline_projects(plan):
    """The plan's projects with their checkpoints' dates and statuses, in two queries
    whatever their number (three with a page's count)."""
    checkpoints = Checkpoint.objects.only(
        "project_id", "kind", "status", "planned_date", "passed_on"
    ).order_by(CHECKPOINT_ORDERING.asc())  # within a project; no join for the plan's order
    return (
        Project.objects.filter(plan=plan)
        .only("plan_id", "number", "title")
        .order_by("number")
        .prefetch_related(Prefetch("checkpoints", queryset=checkpoints))
    )


def date_extent(plan):
    """The earliest and latest planned or passed date of the plan's checkpoints, or None."""
    found = Checkpoint.objects.filter(project__plan=plan).aggregate(
        Min("planned_date"), Max("planned_date"), Min("passed_on"), Max("passed_on")
    )
    dates = [day for day in found.values() if day]
    return (min(dates), max(dates)) if dates else None


@dataclass(frozen=True)
class Tick:
    """A grid line at the start of a month, and the labels that go with it (may be empty)."""

    day: date
    x: float
    label: str = ""
    label_x: float = 0.0
    label_anchor: str = "middle"
    year_label: str = ""

    @property
    def month(self):
        return self.day.strftime("%Y-%m")


@dataclass(frozen=True)
class Axis:
    start: date  # the first day of the first month
    end: date  # the first day of the month after the last
    today: date
    today_shown: bool

    @property
    def months(self):
        return month_index(self.end) - month_index(self.start)

    def x(self, day):
        """Where ``day`` falls, in percent of the chart's width."""
        share = (day - self.start).days / (self.end - self.start).days
        return round(CHART_LEFT + (CHART_RIGHT - CHART_LEFT) * share, 3)

    @property
    def today_x(self):
        return self.x(self.today) if self.today_shown else None

    @property
    def today_label_end(self):
        """Today's label goes left of its line near the right edge (else it would be cut)."""
        return self.today_shown and self.today_x > CHART_RIGHT - 8

    @property
    def label_step(self):
        return next(
            (step for step in LABEL_STEPS if -(-self.months // step) <= MAX_LABELS),
            LABEL_STEPS[-1],
        )

    def _labelled_at(self, index, step):
        if step >= 12:  # a year's number at its January, every step // 12 years
            return index % 12 == 0 and (index // 12) % (step // 12) == 0
        return index % step == 0  # step divides 12: January always has a label

    def ticks(self):
        """Grid lines at month starts (every month on an axis of up to three years, else
        at the labels only), with month and year labels. The first month is labelled too
        when the first regular label is far from it."""
        step, first, last = self.label_step, month_index(self.start), month_index(self.end)
        labelled = [i for i in range(first, last) if self._labelled_at(i, step)]
        if not labelled or labelled[0] - first >= step / 2:
            labelled.insert(0, first)
        labelled = set(labelled)
        ticks, year_shown = [], False
        for index in range(first, last):
            day = month_start(index)
            if index in labelled:
                ticks.append(self._labelled(day, index, step, with_year=not year_shown))
                year_shown = True
            elif self.months <= MONTHLY_GRID_UP_TO:
                ticks.append(Tick(day, self.x(day)))
        ticks.append(Tick(self.end, self.x(self.end)))  # the axis's right end
        return ticks

    def _labelled(self, day, index, step, with_year):
        x = self.x(day)
        if x > CHART_RIGHT - 3:  # a label starting here would be cut off: grid line only
            return Tick(day, x)
        if step >= 12:
            return Tick(day, x, date_format(day, _("Y年")), x, "start")
        label_x, anchor = x, "start"
        if step == 1:  # a month's name in the middle of its month
            label_x, anchor = self.x(day + (month_start(index + 1) - day) / 2), "middle"
        year = date_format(day, _("Y年")) if day.month == 1 or with_year else ""
        return Tick(day, x, date_format(day, _("n月")), label_x, anchor, year)


def build_axis(year, extent, today):
    """The months of ``year``, widened to ``extent`` (first, last) and to today if near."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if extent:
        first, last = min(first, extent[0]), max(last, extent[1])
    today_shown = (
        month_index(first) - TODAY_REACH <= month_index(today) <= month_index(last) + TODAY_REACH
    )
    if today_shown:
        first, last = min(first, today), max(last, today)
    start = first.replace(day=1)
    end = month_start(month_index(last) + 1)
    return Axis(start, end, today, today_shown)


@dataclass(frozen=True)
class Stop:
    """One checkpoint of a row: its dates, status, and where its marks go."""

    checkpoint: Checkpoint
    kind: str
    kind_label: str
    initial: str
    url: str
    planned: date | None
    passed: date | None
    status: CheckpointStatus
    overdue: bool
    planned_x: float | None
    passed_x: float | None
    summary: str  # the dates and status in words, for the text alternative
    tooltip: str  # the project, the checkpoint and the summary

    @property
    def css_class(self):
        return self.status.css_class

    @property
    def overdue_class(self):
        return OVERDUE_LOOK.css_class if self.overdue else ""


def _summary(checkpoint, overdue):
    parts = [
        _("计划完成 %(date)s") % {"date": iso(checkpoint.planned_date)}
        if checkpoint.planned_date
        else _("未排期")
    ]
    if checkpoint.passed_on:
        parts.append(_("通过 %(date)s") % {"date": iso(checkpoint.passed_on)})
    else:
        parts.append(str(CheckpointStatus(checkpoint.status).label))
    if overdue:
        parts.append(str(OVERDUE_LABEL))
    return _("；").join(parts)


def project_label(project):
    return f"{project.number_label}、{project.title}"


def _stop(project, checkpoint, axis):
    overdue = checkpoint.is_overdue
    summary = _summary(checkpoint, overdue)
    kind = CheckpointKind(checkpoint.kind)
    planned, passed = checkpoint.planned_date, checkpoint.passed_on
    return Stop(
        checkpoint=checkpoint,
        kind=kind.value,
        kind_label=str(kind.label),
        initial=str(INITIALS[kind]),
        url=reverse("checkpoint_detail", args=[project.plan.year, project.number, kind.value]),
        planned=planned,
        passed=passed,
        status=CheckpointStatus(checkpoint.status),
        overdue=overdue,
        planned_x=axis.x(planned) if planned else None,
        passed_x=axis.x(passed) if passed else None,
        summary=summary,
        tooltip=_("%(project)s · %(checkpoint)s：%(summary)s")
        % {"project": project_label(project), "checkpoint": kind.label, "summary": summary},
    )


@dataclass(frozen=True)
class Row:
    project: Project
    url: str
    stops: list
    top: int  # pixels from the top of its block
    today_x: float | None  # where today's line is, if on the axis

    @property
    def middle(self):
        return self.top + ROW_HEIGHT // 2

    @property
    def bottom(self):
        return self.top + ROW_HEIGHT

    @property
    def label(self):
        return project_label(self.project)

    @property
    def cells(self):
        """The stop of each kind in order, None where a checkpoint is missing."""
        by_kind = {stop.kind: stop for stop in self.stops}
        return [by_kind.get(kind) for kind in CheckpointKind.values]

    @property
    def marks(self):
        """(stop, passed?) in drawing order: planned dates, then passed ones, then overdue
        planned dates on top (a mark drawn later covers one at a nearby date)."""
        planned = [s for s in self.stops if s.planned]
        return [
            *((s, False) for s in planned if not s.overdue),
            *((s, True) for s in self.stops if s.passed),
            *((s, False) for s in planned if s.overdue),
        ]

    @property
    def late_from_x(self):
        """Where the row's lateness begins: its earliest overdue planned date (the line runs
        from there to today's), or None."""
        late = [s.planned_x for s in self.stops if s.overdue and s.planned_x is not None]
        return min(late) if late and self.today_x is not None else None

    @property
    def scheduled(self):
        """Has at least one mark on the axis."""
        return any(s.planned or s.passed for s in self.stops)


@dataclass(frozen=True)
class Block:
    """One SVG: up to ROWS_PER_BLOCK rows under their own axis."""

    rows: list
    number: int

    @property
    def height(self):
        return AXIS_HEIGHT + ROW_HEIGHT * len(self.rows) + BOTTOM_MARGIN

    @property
    def rows_bottom(self):
        return AXIS_HEIGHT + ROW_HEIGHT * len(self.rows)

    @property
    def first(self):
        return self.rows[0].project

    @property
    def last(self):
        return self.rows[-1].project


@dataclass(frozen=True)
class Chart:
    axis: Axis
    ticks: list
    blocks: list
    # the layout, for the template
    label_clip: float = LABEL_CLIP
    chart_left: float = CHART_LEFT
    row_height: int = ROW_HEIGHT
    axis_height: int = AXIS_HEIGHT

    @property
    def rows(self):
        return [row for block in self.blocks for row in block.rows]

    @property
    def kinds(self):
        """(name, initial) of the three checkpoints, for the legend."""
        return [(str(kind.label), str(INITIALS[kind])) for kind in CheckpointKind]

    @property
    def initials(self):
        return [str(INITIALS[kind]) for kind in CheckpointKind]

    @property
    def statuses(self):
        return CheckpointStatus.values


def build_chart(plan, projects, today):
    """The chart of ``projects`` (a page of ``timeline_projects(plan)``) on the plan's axis."""
    projects = list(projects)
    for project in projects:
        project.plan = plan  # links need the year; no query per project
    axis = build_axis(plan.year, date_extent(plan), today)
    blocks = []
    for start in range(0, len(projects), ROWS_PER_BLOCK):
        rows = [
            Row(
                project=project,
                url=reverse("project_detail", args=[plan.year, project.number]),
                stops=[_stop(project, c, axis) for c in project.checkpoints.all()],
                top=AXIS_HEIGHT + ROW_HEIGHT * offset,
                today_x=axis.today_x,
            )
            for offset, project in enumerate(projects[start : start + ROWS_PER_BLOCK])
        ]
        blocks.append(Block(rows, len(blocks) + 1))
    return Chart(axis, axis.ticks(), blocks)
