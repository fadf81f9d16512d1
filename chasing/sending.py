"""Sending reminders: to whom, by which channels, once a day at most, and what happened.

A reminder is first claimed by inserting its row (the unique constraint on item, person or
robot, channel and day lets one of two simultaneous runs have it), then delivered, then
marked 已送达 or 发送失败 with the error. A failing channel is logged and recorded, never
raised: the page or the command goes on, and the next run tries again.
"""

import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from projects import roles
from units.models import User

from . import texts, webhooks
from .choices import Channel, Delivery, Stage
from .models import Reminder, UnitWebhook

logger = logging.getLogger(__name__)

# per message: the server answered, but refused this one
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass(frozen=True)
class Target:
    """Where one reminder goes: a person by in-app or email, or a unit's robot."""

    channel: str
    to_whom: str
    user: object = None
    address: str = ""  # the email address or the robot's URL
    greeting: str = ""


@dataclass
class Outcome:
    """What a run or a click did, for its summary line or message."""

    sent: int = 0
    failed: int = 0
    repeated: int = 0  # already sent today: nothing sent again
    by_channel: dict = field(default_factory=dict)
    unreachable: set = field(default_factory=set)  # units or officials nobody could be told

    def count(self, reminder):
        if reminder.status == Delivery.SENT:
            self.sent += 1
            self.by_channel[reminder.channel] = self.by_channel.get(reminder.channel, 0) + 1
        else:
            self.failed += 1


def email_enabled():
    """Mail goes out only when EMAIL_URL is set (the console under ``make run``)."""
    return bool(getattr(settings, "EMAIL_URL", ""))


class Mail:
    """The configured mailer, one message at a time; after a connection failure the rest of
    the run fails at once instead of waiting for the timeout again."""

    def __init__(self):
        self.down = None

    def send(self, subject, body, to):
        if self.down:
            raise webhooks.Failed(self.down)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        try:
            sent = mailers.default.send_messages([message])
        except MESSAGE_ERRORS as exc:
            raise webhooks.Failed(f"邮件服务器拒收：{exc}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.down = f"邮件服务器不可用：{exc}"
            raise webhooks.Failed(self.down) from exc
        if not sent:
            raise webhooks.Failed("邮件未发出")


class Sender:
    """Sends reminders about a set of items on ``today``; who receives them is read once."""

    def __init__(self, items, today=None, sent_by=None):
        self.today = today or timezone.localdate()
        self.sent_by = sent_by
        self.mail = Mail() if email_enabled() else None
        self.outcome = Outcome()
        self.done = []  # the reminders claimed and delivered (or not) by this sender
        units = {item.unit.pk for item in items}
        officials = {item.project.lead_official_id for item in items} - {None}
        self.liaisons = {}
        people = User.objects.filter(
            is_active=True, unit__in=units, groups__name=roles.UNIT_LIAISON
        ).distinct()
        for user in people.order_by("username"):
            self.liaisons.setdefault(user.unit_id, []).append(user)
        self.leaders = {
            user.official_id: user
            for user in User.objects.filter(is_active=True, official__in=officials).select_related(
                "official"
            )
        }
        self.robots = {
            robot.unit_id: robot
            for robot in UnitWebhook.objects.filter(active=True, unit__in=units)
        }

    # -- who -------------------------------------------------------------------------
    def unit_targets(self, item):
        """The unit's liaisons (in-app, and email when they have an address), its robot."""
        targets = []
        for user in self.liaisons.get(item.unit.pk, []):
            greeting = f"{user}（{item.unit}）"
            targets.append(Target(Channel.IN_APP, str(user), user))
            if self.mail is not None and user.email:
                targets.append(Target(Channel.EMAIL, str(user), user, user.email, greeting))
        robot = self.robots.get(item.unit.pk)
        if robot is not None:
            targets.append(Target(Channel.WEBHOOK, f"{item.unit} 群机器人", None, robot.url))
        if not targets:
            self.outcome.unreachable.add(str(item.unit))
        return targets

    def leader_targets(self, item):
        """The project's lead official, through their account (in-app, email)."""
        official = item.project.lead_official
        user = self.leaders.get(item.project.lead_official_id)
        if user is None:
            self.outcome.unreachable.add(official.name if official else "牵头区领导（待定）")
            return []
        greeting = f"{official.name}同志"
        targets = [Target(Channel.IN_APP, official.name, user)]
        if self.mail is not None and user.email:
            targets.append(Target(Channel.EMAIL, official.name, user, user.email, greeting))
        return targets

    # -- send ------------------------------------------------------------------------
    def send(self, item, stage, targets):
        """Claim and deliver one reminder per target (none twice on one day); returns the
        reminders this call claimed."""
        claimed = []
        for target in targets:
            reminder = self.claim(item, stage, target)
            if reminder is None:
                self.outcome.repeated += 1
                continue
            claimed.append(self.deliver(reminder, item, target))
        return claimed

    def claim(self, item, stage, target):
        with translation.override(settings.LANGUAGE_CODE):
            subject = texts.subject(item, stage, self.today)
        try:
            with transaction.atomic():
                return Reminder.objects.create(
                    **item.record_fields,
                    stage=stage,
                    channel=target.channel,
                    recipient=target.user,
                    to_whom=target.to_whom[:200],
                    subject=subject[:300],
                    day=self.today,
                    sent_by=self.sent_by,
                )
        except IntegrityError:
            return None

    def deliver(self, reminder, item, target):
        """Send it; record 已送达 or the error. Never raises."""
        try:
            with translation.override(settings.LANGUAGE_CODE):
                self._send(reminder, item, target)
        except (webhooks.Refused, webhooks.Failed) as exc:
            self._failed(reminder, str(exc))
        except Exception as exc:  # a channel must never break the page or the command
            logger.exception("reminder %s: unexpected error", reminder.pk)
            self._failed(reminder, f"{type(exc).__name__}: {exc}")
        else:
            reminder.status = Delivery.SENT
            reminder.delivered_at = timezone.now()
            reminder.error = ""
            reminder.save(update_fields=["status", "delivered_at", "error"])
        self.outcome.count(reminder)
        self.done.append(reminder)
        return reminder

    def _send(self, reminder, item, target):
        stage, by = reminder.stage, self.sent_by
        if target.channel == Channel.EMAIL:
            body = texts.body(item, stage, target.greeting, by, self.today)
            self.mail.send(reminder.subject, body, target.address)
        elif target.channel == Channel.WEBHOOK:
            webhooks.post(target.address, texts.robot_text(item, stage, by, self.today))

    def _failed(self, reminder, error):
        reminder.status = Delivery.FAILED
        reminder.error = (error or "发送失败")[:1000]
        reminder.save(update_fields=["status", "error"])
        logger.warning(
            "reminder not delivered: %s to %s by %s: %s",
            reminder.item,
            reminder.to_whom,
            reminder.channel,
            reminder.error,
        )

    # -- again -----------------------------------------------------------------------
    def target_again(self, reminder):
        """The target of a failed reminder as it stands now (None: no longer reachable)."""
        if reminder.channel == Channel.WEBHOOK:
            robot = self.robots.get(reminder.unit_id)
            return Target(Channel.WEBHOOK, reminder.to_whom, None, robot.url) if robot else None
        user = reminder.recipient
        if user is None or not user.is_active:
            return None
        if reminder.channel == Channel.IN_APP:
            return Target(Channel.IN_APP, reminder.to_whom, user)
        if not user.email or self.mail is None:
            return None
        greeting = (
            f"{user.official.name}同志"
            if reminder.stage == Stage.ESCALATION and user.official
            else f"{user}（{reminder.unit}）"
        )
        return Target(Channel.EMAIL, reminder.to_whom, user, user.email, greeting)
