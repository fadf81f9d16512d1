"""督办: work still not done ``ESCALATE_AFTER_DAYS`` days after its due date.

An item becomes 督办 by date alone and stops being one when the work is done (report
submitted or accepted, checkpoint submitted, instruction followed up), so these lists are
always current; ``send_reminders`` notifies the project's lead official once per item.

For the monthly bulletin::

    from chasing.escalation import open_items
    open_items(plan)            # the plan's open 督办 items
    open_items(period=period)   # one period's reports still owed, 督办 ones only
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from . import conf
from .choices import Channel, Stage
from .items import escalated
from .models import Reminder

PANEL_SIZE = 10  # the dashboard lists the most overdue; the 督办 page lists them all
PAGE_SIZE = 50


@dataclass
class Flag:
    """A 督办 item as the dashboard and the bulletin show it."""

    item: object
    days_late: int
    since: object  # the day it became 督办
    notified: list  # names of the officials told (督办通知 recorded)


def open_items(plan=None, *, period=None, today=None, **project_filters):
    """The open 督办 items of ``plan`` (or of ``period``: its owed reports), earliest due
    first: a list of ``chasing.items.Item`` (kind, project, unit, due_on, period,
    checkpoint, instruction, url). A fixed number of queries, at most five."""
    return escalated(today, plan=plan, period=period, **project_filters)


def flags(items, plan, today=None):
    """``items`` (of ``plan``) as Flags, with who was told: one query, always."""
    today = today or timezone.localdate()
    after = timedelta(days=max(conf.get("ESCALATE_AFTER_DAYS"), 1))
    told = {}
    notices = Reminder.objects.filter(
        project__plan=plan, stage=Stage.ESCALATION, channel=Channel.IN_APP
    ).values_list("item", "to_whom")
    for key, name in notices:
        told.setdefault(key, []).append(name)
    return [
        Flag(item, item.days_late(today), item.due_on + after, told.get(item.key, []))
        for item in items
    ]


def reminders_received(plan, period=None):
    """Unit id → how many times the unit was chased (催办 or 督办) in ``plan``, or about
    ``period``'s reports: one per piece of work and day, however many people and channels
    it reached. One query; the scoreboard's 收到催办 column."""
    reminders = Reminder.objects.filter(project__plan=plan).order_by()
    if period is not None:
        reminders = reminders.filter(period=period)
    counts = {}
    for unit_id, _item, _day in reminders.values_list("unit_id", "item", "day").distinct():
        counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts
