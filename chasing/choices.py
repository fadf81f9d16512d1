"""What a reminder is about, when in an item's life it went out, by which channel, and
whether it arrived; each value with its label (and, where shown as a badge, its look)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """The kinds of work that are chased: each has a due date and a unit that owes it."""

    REPORT = "report", _("进展报告")
    CHECKPOINT = "checkpoint", _("关口报审")
    INSTRUCTION = "instruction", _("批示落实")


class Stage(models.TextChoices):
    """When a reminder went out, relative to the item's due date, or why."""

    BEFORE = "before", _("到期前提醒")
    DUE = "due", _("到期当日")
    LATE = "late", _("逾期催办")
    MANUAL = "manual", _("人工催办")
    ESCALATION = "escalation", _("督办通知")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内待办")
    EMAIL = "email", _("邮件")
    WEBHOOK = "webhook", _("群机器人")


class Delivery(models.TextChoices):
    PENDING = "pending", _("发送中")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


# badge class and icon per delivery result (classes of app.css)
DELIVERY_LOOKS = {
    Delivery.PENDING: ("…", "checkpoint-submitted"),
    Delivery.SENT: ("✓", "checkpoint-passed"),
    Delivery.FAILED: ("!", "checkpoint-rework"),
}
