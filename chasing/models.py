"""What was sent to whom (催办记录), and the units' group robots (群机器人)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Checkpoint, Instruction, Project, ReportPeriod
from projects.models.guarded import Guarded
from units.models import Unit

from .choices import Channel, Delivery, ItemKind, Stage

CHASE_PERMISSION = "chasing.chase"


class Reminder(models.Model):
    """One reminder (催办) about one piece of late or due work, to one person (in-app or by
    email) or to one unit's group robot, on one day: when it went out, by which channel,
    and whether it arrived or the error. ``item`` names the work (``report:<period>:
    <project>:<unit>``, ``checkpoint:<id>``, ``instruction:<id>``); at most one reminder
    per item, person (or robot), channel and day, even with two runs at once."""

    item = models.CharField(_("催办事项"), max_length=80)
    kind = models.CharField(_("事项类型"), max_length=20, choices=ItemKind)
    stage = models.CharField(_("催办类型"), max_length=20, choices=Stage)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel)
    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("被催办单位"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    period = models.ForeignKey(
        ReportPeriod,
        verbose_name=_("报告期"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    checkpoint = models.ForeignKey(
        Checkpoint,
        verbose_name=_("关口"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("领导批示"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_received",
    )
    to_whom = models.CharField(_("发送对象"), max_length=200)
    subject = models.CharField(_("催办内容"), max_length=300)
    due_on = models.DateField(_("应办日期"))
    day = models.DateField(_("催办日期"))
    status = models.CharField(
        _("送达情况"), max_length=20, choices=Delivery, default=Delivery.PENDING
    )
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=1)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_sent",
        help_text=_("人工催办的操作人；自动催办为空。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-created_at", "-pk"]
        permissions = [("chase", _("可催办（人工催办、设置群机器人）"))]
        indexes = [models.Index(fields=["item", "channel"], name="reminder_item_channel")]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "recipient", "channel", "day"],
                condition=~Q(channel=Channel.WEBHOOK),
                name="reminder_once_a_day_per_person",
                violation_error_message=_("今天已就该事项向此人催办过。"),
            ),
            models.UniqueConstraint(
                fields=["item", "unit", "channel", "day"],
                condition=Q(channel=Channel.WEBHOOK),
                name="reminder_once_a_day_per_robot",
                violation_error_message=_("今天已就该事项向该单位的群机器人催办过。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values),
                name="reminder_kind_valid",
                violation_error_message=_("催办事项类型无效。"),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="reminder_stage_valid",
                violation_error_message=_("催办类型无效。"),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="reminder_channel_valid",
                violation_error_message=_("催办渠道无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Delivery.values),
                name="reminder_status_valid",
                violation_error_message=_("送达情况无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=Delivery.SENT) | Q(delivered_at__isnull=False),
                name="reminder_sent_has_time",
                violation_error_message=_("已送达的催办须有送达时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=Delivery.FAILED) | ~Q(error=""),
                name="reminder_failed_has_error",
                violation_error_message=_("发送失败的催办须记录错误信息。"),
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.WEBHOOK) | Q(recipient__isnull=True),
                name="reminder_robot_has_no_person",
                violation_error_message=_("群机器人催办不指向个人。"),
            ),
            models.CheckConstraint(
                condition=~Q(item=""),
                name="reminder_item_not_empty",
                violation_error_message=_("催办事项不能为空。"),
            ),
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_channel_display()} → {self.to_whom}"

    @property
    def delivered(self):
        return self.status == Delivery.SENT

    @staticmethod
    def may_chase(user):
        """The reform office (and administrators) chase by hand and set up robots."""
        return user.has_perm(CHASE_PERMISSION)


class UnitWebhook(Guarded, models.Model):
    """A unit's 企业微信/政务微信 group robot: reminders to the unit are also posted there
    as a text message. The URL carries the robot's key, so it is shown masked and never
    written to a log."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="webhook"
    )
    url = models.URLField(
        _("群机器人地址"),
        max_length=500,
        help_text=_("企业微信或政务微信群机器人的 Webhook 地址，以 https:// 开头。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位群机器人")
        verbose_name_plural = _("单位群机器人")
        ordering = ["unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                name="webhook_one_per_unit",
                violation_error_message=_("每个单位只能设置一个群机器人。"),
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="webhook_url_is_http",
                violation_error_message=_("群机器人地址须以 https:// 或 http:// 开头。"),
            ),
        ]

    ACCESS = {
        "manage": ("can_manage", _("只有区委改革办可以设置单位群机器人。")),
    }

    def __str__(self):
        return f"{self.unit} · {self.masked_url}"

    def can_manage(self, user):
        return Reminder.may_chase(user)

    @property
    def masked_url(self):
        """Scheme and host, and the last four characters of the rest (the robot's key)."""
        from .webhooks import mask

        return mask(self.url)
