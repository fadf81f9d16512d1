"""The unit scoreboard (单位排名): for each unit that leads covered projects, over one
report period or the whole year, the reports due, on time, late, missing and returned,
the checkpoints overdue and, when the ``chasing`` app is installed, the reminders received
and the open 督办 items.

Counted as on a period's page (``projects/periods.py``):

- **Due** (应报): one report per covered project (active, of a tier the period covers) per
  period, from the project's lead unit. A closed period, and an open one past its due
  date, count every covered project; an open period before its due date counts only the
  reports already in, so no unit is marked down before its deadline.
- **On time / late** (按时 / 逾期): the lead unit's report is in (submitted, accepted or
  returned; a draft is still the unit's) and was submitted on or before the due date /
  after it (``submitted_late``).
- **Missing** (未报): due − on time − late.
- **Returned** (退回): of the reports in, those sent back for correction (also counted as
  on time or late).
- **Overdue checkpoints** (逾期关口): checkpoints of the unit's covered projects past their
  planned date and not passed (the dashboard's 逾期); for one period, those whose planned
  date fell within its dates.

A fixed number of aggregate queries whatever the number of projects, units or periods:
the covered projects counted by (lead unit, tier), the lead units' reports counted by
(period, unit, tier), the overdue checkpoints by (lead unit, tier); the caller passes the
plan's periods, which it has read anyway.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .choices import CheckpointStatus, ProjectStanding, ReportState
from .models import Checkpoint, ProgressUpdate, Project
from .models.period import default_tiers

PANEL_SIZE = 3  # the dashboard shows the first and the last three units


# --- optional hook: the `chasing` app (to-do lists, 催办/督办), developed apart ----------
# Nothing here depends on it. When it is installed, the scoreboard adds "reminders
# received" (if it offers ``reminders_received(plan, period) -> {unit id: count}``) and
# open 督办 items (``open_items(plan)``: items with ``unit_id`` and, for the bulletin,
# ``project``); without it those columns and items are left out.


def chasing_escalation():
    """``chasing.escalation`` when the app is installed, else None."""
    if not apps.is_installed("chasing"):
        return None
    from chasing import escalation  # the optional app, imported only when installed

    return escalation


def duban_items(plan):
    """The plan's open 督办 items from the ``chasing`` app; None when it is not installed."""
    escalation = chasing_escalation()
    if escalation is None:
        return None
    return list(escalation.open_items(plan))


def _reminders(plan, period):
    counter = getattr(chasing_escalation(), "reminders_received", None)
    return None if counter is None else dict(counter(plan, period))


# --- the scoreboard --------------------------------------------------------------------


@dataclass
class UnitScore:
    unit_id: int
    name: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    returned: int = 0
    overdue_checkpoints: int = 0
    reminders: int = 0
    duban: int = 0
    rank: int = 0

    @property
    def missing(self):
        return self.due - self.on_time - self.late

    @property
    def rate(self):
        """On time out of due (0–1), None when nothing is due yet."""
        return self.on_time / self.due if self.due else None

    @property
    def rate_percent(self):
        return None if self.rate is None else round(100 * self.rate)

    def sort_key(self):
        """Best first: highest on-time rate, then fewest missing, then name; units with
        nothing due yet last."""
        return (self.rate is None, -(self.rate or 0), self.missing, self.name)


@dataclass
class Scoreboard:
    plan: object
    periods: list  # the periods counted
    period: object = None  # one period, or None for the whole year
    rows: list = field(default_factory=list)
    unassigned: int = 0  # covered projects whose lead unit is 待定 (not ranked)
    has_reminders: bool = False
    has_duban: bool = False

    @property
    def totals(self):
        total = UnitScore(0, _("合计"))
        for row in self.rows:
            for name in ("due", "on_time", "late", "returned", "overdue_checkpoints"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
            total.reminders += row.reminders
            total.duban += row.duban
        return total

    @property
    def ranked(self):
        """Units with something due, best first."""
        return [row for row in self.rows if row.rate is not None]

    def panel(self, size=PANEL_SIZE):
        """(first, last) for the dashboard: the best and the worst ``size`` units; all of
        them as ``first`` when there are no more than twice that many."""
        ranked = self.ranked
        if len(ranked) <= 2 * size:
            return ranked, []
        return ranked[:size], ranked[-size:]


def _tiers(period):
    return set(period.tiers or default_tiers())


def counts_all(period, today):
    """Whether every covered project owes its report (closed, or past the due date)."""
    return not period.is_open or today > period.due_on


def unit_scoreboard(plan, periods, period=None, today=None, *, checkpoints=True):
    """The scoreboard of ``plan`` over ``period`` (one of ``periods``, the plan's periods)
    or, when None, over all of them: three aggregate queries (two without
    ``checkpoints``), none when the plan has no periods."""
    today = today or timezone.localdate()
    scope = [period] if period is not None else list(periods)
    board = Scoreboard(plan, scope, period)
    if not scope:
        return board
    tiers = set().union(*(_tiers(p) for p in scope))
    active = Q(project__standing=ProjectStanding.ACTIVE)

    # covered projects by lead unit and tier: who owes what, and the units' names
    scores, led = {}, {}
    projects = (
        Project.objects.filter(plan=plan, standing=ProjectStanding.ACTIVE, tier__in=tiers)
        .values("lead_unit", "lead_unit__name", "lead_unit__short_name", "tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in projects:
        unit = row["lead_unit"]
        led[(unit, row["tier"])] = row["n"]
        if unit is not None and unit not in scores:
            name = row["lead_unit__short_name"] or row["lead_unit__name"]
            scores[unit] = UnitScore(unit, name)
    for p in scope:
        if counts_all(p, today):
            for (unit, tier), n in led.items():
                if tier in _tiers(p):
                    if unit is None:
                        board.unassigned += n
                    else:
                        scores[unit].due += n

    # the lead units' reports that are in, by period, unit and tier
    reports = ProgressUpdate.objects.filter(active, unit=F("project__lead_unit"))
    reports = reports.filter(period=period) if period else reports.filter(period__plan=plan)
    reports = (
        reports.exclude(state=ReportState.DRAFT)
        .values("period", "unit", "project__tier")
        .annotate(
            late=Count("id", filter=Q(submitted_late=True)),
            on_time=Count("id", filter=Q(submitted_late=False)),
            returned=Count("id", filter=Q(state=ReportState.RETURNED)),
        )
        .order_by()
    )
    by_pk = {p.pk: p for p in scope}
    for row in reports:
        p, score = by_pk.get(row["period"]), scores.get(row["unit"])
        if p is None or score is None or row["project__tier"] not in _tiers(p):
            continue
        score.on_time += row["on_time"]
        score.late += row["late"]
        score.returned += row["returned"]
        if not counts_all(p, today):  # before the due date only what is in is due
            score.due += row["on_time"] + row["late"]

    if checkpoints:
        overdue = Checkpoint.objects.filter(
            active, project__plan=plan, project__tier__in=tiers, planned_date__lt=today
        ).exclude(status=CheckpointStatus.PASSED)
        if period is not None:
            overdue = overdue.filter(planned_date__range=(period.starts_on, period.ends_on))
        for row in overdue.values("project__lead_unit").annotate(n=Count("id")).order_by():
            if row["project__lead_unit"] in scores:
                scores[row["project__lead_unit"]].overdue_checkpoints += row["n"]

    _add_chasing(board, scores, plan, period)
    board.rows = sorted(scores.values(), key=UnitScore.sort_key)
    for rank, row in enumerate(board.ranked, start=1):
        row.rank = rank
    return board


def _add_chasing(board, scores, plan, period):
    """Reminders received and open 督办 items per unit, from the optional ``chasing`` app."""
    reminders = _reminders(plan, period)
    if reminders is not None:
        board.has_reminders = True
        for unit, n in reminders.items():
            if unit in scores:
                scores[unit].reminders = n
    items = duban_items(plan)
    if items is not None:
        board.has_duban = True
        for item in items:
            unit = getattr(item, "unit_id", None)
            if unit in scores:
                scores[unit].duban += 1


def dashboard_panel(plan, today=None):
    """The year's scoreboard, lean, for the dashboard panel: one query for the periods and
    two more when there are any; None without periods."""
    periods = list(plan.periods.all())
    if not periods:
        return None
    return unit_scoreboard(plan, periods, today=today, checkpoints=False)


# --- the ledger's second sheet -----------------------------------------------------------


def headers(board):
    """Column headers of the scoreboard, in order (the page and the ledger sheet)."""
    columns = [
        _("名次"),
        _("单位"),
        _("应报"),
        _("按时报送"),
        _("逾期提交"),
        _("未报"),
        _("退回修改"),
        _("按时率"),
        _("逾期关口"),
    ]
    if board.has_reminders:
        columns.append(_("收到催办"))
    if board.has_duban:
        columns.append(_("督办事项"))
    return columns


def values(board, row):
    cells = [
        row.rank or None,
        row.name,
        row.due,
        row.on_time,
        row.late,
        row.missing,
        row.returned,
        row.rate,
        row.overdue_checkpoints,
    ]
    if board.has_reminders:
        cells.append(row.reminders)
    if board.has_duban:
        cells.append(row.duban)
    return cells


def _text(value):
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def add_sheet(workbook, plan, today=None):
    """The year's scoreboard as a sheet 单位排名 of the ledger workbook (an XlsxWriter
    ``Workbook``): four queries (three when the plan has no periods). Text is written as
    text, never as a formula, a character XML cannot carry as U+FFFD."""
    periods = list(plan.periods.all())
    board = unit_scoreboard(plan, periods, today=today)
    sheet = workbook.add_worksheet(_("单位排名"))
    widths = (6, 24, 8, 10, 10, 8, 10, 10, 10, 10, 10)
    for column, width in enumerate(widths):
        sheet.set_column_pixels(column, column, 7 * width)  # exactly ``width`` in the file
    # the print margins this sheet has always had (openpyxl's defaults, in inches)
    sheet.set_margins(left=0.75, right=0.75, top=1, bottom=1)
    sheet.set_header("", {"margin": 0.5})
    sheet.set_footer("", {"margin": 0.5})
    heading = _("单位排名（全年）")
    title = workbook.add_format({"bold": True, "font_size": 14})
    sheet.write_string(0, 0, _text(f"{plan.title}　{heading}"), title)
    note = _("共%(n)s个报告期；牵头单位待定的项目不计入排名（%(m)s份应报）。") % {
        "n": len(periods),
        "m": board.unassigned,
    }
    sheet.write_string(1, 0, note)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for column, value in enumerate(headers(board)):
        sheet.write_string(2, column, value, header)
    percent = workbook.add_format({"num_format": "0%"})
    for row, score in enumerate(board.rows, start=3):
        for column, value in enumerate(values(board, score)):
            if isinstance(value, str):
                sheet.write_string(row, column, _text(value))
            elif isinstance(value, float):
                sheet.write_number(row, column, value, percent)
            elif value is not None:
                sheet.write_number(row, column, value)
    return board
