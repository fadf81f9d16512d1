"""District leaders' instructions (领导批示) on a project."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Official, Unit

from ..choices import InstructionStatus
from ..querysets import InstructionQuerySet
from .guarded import Guarded
from .project import Project


class Instruction(Guarded, models.Model):
    """A district leader's instruction (领导批示) on a project, and how it was carried out."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="instructions"
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("批示领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="instructions_written",
    )
    issued_on = models.DateField(_("批示日期"), default=timezone.localdate)
    text = models.TextField(_("批示内容"))
    units = models.ManyToManyField(
        Unit, verbose_name=_("落实单位"), blank=True, related_name="instructions_to_act"
    )
    due_on = models.DateField(_("落实时限"), null=True, blank=True)
    status = models.CharField(
        _("落实状态"), max_length=10, choices=InstructionStatus, default=InstructionStatus.OPEN
    )
    follow_up = models.TextField(_("落实情况"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("落实登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructions_followed_up",
    )
    followed_up_on = models.DateField(_("落实日期"), null=True, blank=True)
    review_note = models.TextField(_("办结或退回意见"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # the one-time token of the form that created it: a form sent twice saves once
    submission_token = models.UUIDField(_("提交凭据"), null=True, blank=True, editable=False)

    objects = InstructionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["submission_token"])

    class Meta:
        app_label = "projects"
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="instruction_text_not_empty",
                violation_error_message=_("请填写批示内容。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InstructionStatus.values),
                name="instruction_status_valid",
                violation_error_message=_("落实状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[InstructionStatus.OPEN, InstructionStatus.WITHDRAWN])
                | (~Q(follow_up="") & Q(followed_up_on__isnull=False)),
                name="instruction_done_has_follow_up",
                violation_error_message=_("标记为已落实须填写落实情况和落实日期。"),
            ),
            models.UniqueConstraint(
                fields=["submission_token"],
                name="instruction_submitted_once",
                violation_error_message=_("这条批示已经提交过。"),
            ),
        ]

    ACCESS = {
        "follow_up": ("can_follow_up", _("您没有权限登记该批示的落实情况。")),
    }

    def __str__(self):
        return f"{self.project.number_cn}、{self.project.title} · {self.issued_on:%Y-%m-%d}"

    def can_follow_up(self, user):
        return self.project.can_follow_up_instructions(user)
