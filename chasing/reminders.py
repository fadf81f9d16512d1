"""When reminders go out (the schedule), the daily run of ``send_reminders``, and the
office's 催办 by hand.

For each item with a due date, each liaison of the lead unit (in-app, and by email when
they have an address) and the unit's group robot get:
- one reminder ``REMINDER_DAYS_BEFORE`` days before the due date (or the first run after
  that, while still before it);
- one on the due date;
- after it, the day after, then every ``REMINDER_REPEAT_DAYS`` days while it is still not
  done (a reminder sent by hand counts: the next automatic one waits as long);
and, once the item is ``ESCALATE_AFTER_DAYS`` days late (督办), the project's lead official
gets one 督办 notice through their account. Only reminders that arrived count: one that
failed is tried again on the next run (at most ``REMINDER_MAX_ATTEMPTS`` times), unless a
later one arrived in between.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from . import conf
from .choices import Channel, Delivery, Stage
from .items import due_by
from .models import Reminder
from .sending import Sender

STALE_CLAIM = timedelta(minutes=10)  # a row still 发送中 after this was left by a crash


def stage_for(item, today):
    """Where ``item`` stands today: before its due date (within the reminder window), on
    it, after it; None outside the window or without a due date."""
    late = item.days_late(today)
    if late is None or late < -conf.get("REMINDER_DAYS_BEFORE"):
        return None
    if late < 0:
        return Stage.BEFORE
    return Stage.DUE if late == 0 else Stage.LATE


def is_due(stage, delivered, today):
    """Whether a reminder of ``stage`` goes out today to a target that has already had
    ``delivered`` [(stage, day)] about the item."""
    if stage in (Stage.BEFORE, Stage.DUE, Stage.ESCALATION):
        return all(s != stage for s, _day in delivered)
    last = max((d for s, d in delivered if s in (Stage.LATE, Stage.MANUAL)), default=None)
    return last is None or (today - last).days >= conf.get("REMINDER_REPEAT_DAYS")


def ident(channel, user, unit_id):
    return ("robot", unit_id) if channel == Channel.WEBHOOK else ("person", user and user.pk)


@dataclass
class Planned:
    """A reminder a dry run would send."""

    item: object
    stage: str
    channel: str
    to_whom: str


class Run:
    """One run of ``send_reminders`` on ``today``."""

    def __init__(self, today=None, *, dry_run=False):
        self.today = today or timezone.localdate()
        self.dry_run = dry_run
        self.items = due_by(self.today, date.max)
        self.sender = Sender(self.items, self.today)
        self.planned = []
        self.delivered = {}
        rows = Reminder.objects.filter(
            item__in=[item.key for item in self.items], status=Delivery.SENT
        ).values_list("item", "channel", "recipient_id", "unit_id", "stage", "day")
        for key, channel, user_id, unit_id, stage, day in rows:
            who = ("robot", unit_id) if channel == Channel.WEBHOOK else ("person", user_id)
            self.delivered.setdefault((key, channel, who), []).append((stage, day))

    def history(self, item, target):
        who = ident(target.channel, target.user, item.unit.pk)
        return self.delivered.get((item.key, target.channel, who), [])

    def go(self):
        """Send what is due, then try again what failed before. Returns the Outcome."""
        for item in self.items:
            stage = stage_for(item, self.today)
            if stage is not None:
                self._send(item, stage, self.sender.unit_targets(item))
            if item.is_escalated(self.today):
                self._send(item, Stage.ESCALATION, self.sender.leader_targets(item))
        if not self.dry_run:
            self.retry()
        return self.sender.outcome

    def _send(self, item, stage, targets):
        due = [t for t in targets if is_due(stage, self.history(item, t), self.today)]
        if self.dry_run:
            self.planned += [Planned(item, stage, t.channel, t.to_whom) for t in due]
            return
        for reminder in self.sender.send(item, stage, due):
            if reminder.status == Delivery.SENT:
                who = ident(reminder.channel, reminder.recipient, item.unit.pk)
                key = (item.key, reminder.channel, who)
                self.delivered.setdefault(key, []).append((reminder.stage, reminder.day))

    def retry(self):
        """Failed reminders of items still open, and claims a crash left 发送中, again."""
        live = {item.key: item for item in self.items}
        if not live:
            return
        fresh = {r.pk for r in self.sender.done}
        stale = timezone.now() - STALE_CLAIM
        rows = (
            Reminder.objects.filter(item__in=list(live))
            .filter(attempts__lt=conf.get("REMINDER_MAX_ATTEMPTS"))
            .filter(Q(status=Delivery.FAILED) | Q(status=Delivery.PENDING, created_at__lt=stale))
            .exclude(pk__in=fresh)
            .select_related("recipient__official", "unit")
            .order_by("pk")
        )
        for reminder in rows:
            item = live[reminder.item]
            who = ident(reminder.channel, reminder.recipient, reminder.unit_id)
            later = self.delivered.get((reminder.item, reminder.channel, who), [])
            if any(day >= reminder.day for _stage, day in later):
                continue  # a later one arrived: nothing to catch up
            target = self.sender.target_again(reminder)
            if target is None:
                continue
            claimed = Reminder.objects.filter(
                pk=reminder.pk, status=reminder.status, attempts=reminder.attempts
            ).update(status=Delivery.PENDING, attempts=F("attempts") + 1)
            if claimed:  # else another run has it
                reminder.attempts += 1
                self.sender.deliver(reminder, item, target)


def chase(items, user, today=None):
    """The office's 催办 by hand: each item's unit (liaisons, robot), now; once a day per
    person and channel however often it is clicked. Returns the Outcome."""
    sender = Sender(items, today, sent_by=user)
    for item in items:
        sender.send(item, Stage.MANUAL, sender.unit_targets(item))
    return sender.outcome
