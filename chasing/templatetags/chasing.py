"""The chasing panels other apps' pages include: 催办 on a period page, 督办 on the
dashboard, the reminders sent on a project's and a unit's page. Each reads what it shows
in a fixed number of queries and hands it to its template."""

from dataclasses import dataclass, field

from django import template
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from projects import roles
from projects.choices import ReportState
from units.models import User

from ..choices import DELIVERY_LOOKS, Delivery, ItemKind
from ..escalation import PANEL_SIZE, flags
from ..items import escalated, periods_of_request
from ..models import Reminder, UnitWebhook

register = template.Library()
LOG_SIZE = 20


@dataclass
class UnitReach:
    """How a unit can be reached: liaisons, those with an email address, a robot."""

    unit: object
    liaisons: int = 0
    emails: int = 0
    robot: bool = False
    owed: list = field(default_factory=list)

    @property
    def reachable(self):
        return self.liaisons or self.robot


@dataclass
class OwedRow:
    row: object  # projects.periods.Owed
    reach: UnitReach
    last: object = None  # the newest reminder about it


@register.simple_tag(takes_context=True)
def period_chase(context):
    """The 催办 panel of a period page (the office, an open period): the reports still
    owed, how each unit can be reached, the last reminder; None for anyone else."""
    period, state, user = context["period"], context["state"], context["user"]
    if not (period.is_open and Reminder.may_chase(user)):
        return None
    owed = [
        row
        for row in state.rows
        if row.project.lead_unit_id and (row.missing or row.report.state == ReportState.RETURNED)
    ]
    units = {}
    for row in owed:
        units.setdefault(row.project.lead_unit_id, UnitReach(row.project.lead_unit))
    if units:
        people = (
            User.objects.filter(is_active=True, unit__in=units, groups__name=roles.UNIT_LIAISON)
            .values("unit")
            .annotate(
                n=Count("pk", distinct=True), e=Count("pk", filter=~Q(email=""), distinct=True)
            )
            .order_by()
        )
        for row in people:
            units[row["unit"]].liaisons, units[row["unit"]].emails = row["n"], row["e"]
        robots = UnitWebhook.objects.filter(active=True, unit__in=units).values_list(
            "unit", flat=True
        )
        for unit_id in robots:
            units[unit_id].robot = True
    last = {}
    for reminder in Reminder.objects.filter(period=period).order_by("created_at", "pk"):
        last[reminder.project_id] = reminder
    rows = []
    for row in owed:
        reach = units[row.project.lead_unit_id]
        reach.owed.append(row)
        rows.append(OwedRow(row, reach, last.get(row.project.pk)))
    return {
        "rows": rows,
        "units": list(units.values()),
        "started": period.starts_on <= timezone.localdate(),
    }


@register.simple_tag(takes_context=True)
def escalation_flags(context, plan):
    """The plan's open 督办 items for the dashboard, with who was told: the most overdue
    (``PANEL_SIZE``) and how many there are (all on the 督办 page)."""
    periods = [p for p in periods_of_request(context["request"]) if p.plan_id == plan.pk]
    items = escalated(plan=plan, periods=periods)
    return {"shown": flags(items[:PANEL_SIZE], plan), "total": len(items)}


@register.simple_tag(takes_context=True)
def reminder_log(context):
    """The newest reminders about a project (project page) or to a unit or an official
    (their page); errors are shown to the office only."""
    reminders = Reminder.objects.select_related(
        "recipient", "sent_by", "unit", "project__plan", "period", "checkpoint", "instruction"
    )
    if context.get("kind") == "unit":
        reminders = reminders.filter(unit=context["owner"])
    elif context.get("kind") == "official":
        reminders = reminders.filter(recipient__official=context["owner"])
    elif context.get("project") is not None:
        reminders = reminders.filter(project=context["project"])
    else:
        return None
    return {
        "rows": list(reminders.order_by("-created_at", "-pk")[:LOG_SIZE]),
        "show_errors": Reminder.may_chase(context["user"]),
    }


def _badge(css, icon, text):
    return format_html(
        '<span class="badge {}"><span class="badge-icon" aria-hidden="true">{}</span>{}</span>',
        css,
        icon,
        text,
    )


@register.simple_tag
def due_badge(item, today):
    """还剩 N 天 / 今日到期 / 逾期 N 天, and 督办 when it is one."""
    late = item.days_late(today)
    if late is None:
        return _badge("checkpoint-not_started", "○", _("未定期限"))
    if late > 0:
        badge = _badge("overdue", "!", _("逾期 %(n)d 天") % {"n": late})
    elif late == 0:
        badge = _badge("stale", "!", _("今日到期"))
    else:
        badge = _badge("checkpoint-in_progress", "…", _("还剩 %(n)d 天") % {"n": -late})
    if item.is_escalated(today):
        badge = format_html("{} {}", badge, _badge("overdue flag", "⚑", _("督办")))
    return badge


@register.simple_tag
def item_label(item):
    """What the item is, in the interface language: 2017年6月进展报告, 方案关报审…"""
    if item.kind == ItemKind.REPORT:
        return _("%(period)s进展报告") % {"period": item.period.name}
    if item.kind == ItemKind.CHECKPOINT:
        return _("%(gate)s报审") % {"gate": item.checkpoint.get_kind_display()}
    return _("%(date)s批示的落实") % {"date": date_format(item.instruction.issued_on, "Y-m-d")}


@register.simple_tag
def reminder_what(reminder):
    """What a recorded reminder was about, in the interface language."""
    if reminder.period_id:
        return _("%(period)s进展报告") % {"period": reminder.period.name}
    if reminder.checkpoint_id:
        return _("%(gate)s报审") % {"gate": reminder.checkpoint.get_kind_display()}
    if reminder.instruction_id:
        issued = reminder.instruction.issued_on
        return _("%(date)s批示的落实") % {"date": date_format(issued, "Y-m-d")}
    return reminder.get_kind_display()


@register.simple_tag
def delivery_badge(reminder):
    icon, css = DELIVERY_LOOKS[Delivery(reminder.status)]
    return _badge(css, icon, reminder.get_status_display())
