"""A year's reform plan and the steps of its life (起草 → 送审稿 → 审议通过 → 执行中 → 已总结)."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import PlanStatus
from ..querysets import PlanManager
from .guarded import Guarded


@dataclass(frozen=True)
class PlanStep:
    """One move of a plan: the statuses it starts from, the one it leads to, whether a
    meeting's decision makes it (审议通过 happens at a leading-group meeting) and how it
    is shown and recorded."""

    action: str
    label: Promise
    sources: tuple[PlanStatus, ...]
    target: PlanStatus
    done_message: Promise
    record_label: str  # in the history, in Chinese (the record)
    by_meeting: bool = False
    button_class: str = ""


PLAN_STEPS = {
    step.action: step
    for step in (
        PlanStep(
            "submit",
            _("形成送审稿"),
            (PlanStatus.DRAFT,),
            PlanStatus.SUBMITTED,
            button_class="primary",
            done_message=_("计划已形成送审稿，待领导小组会议审议。"),
            record_label="形成送审稿",
        ),
        PlanStep(
            "redraft",
            _("退回起草"),
            (PlanStatus.SUBMITTED,),
            PlanStatus.DRAFT,
            done_message=_("计划已退回起草。"),
            record_label="退回起草",
        ),
        PlanStep(
            "approve",
            _("审议通过"),
            (PlanStatus.SUBMITTED,),
            PlanStatus.APPROVED,
            by_meeting=True,
            done_message=_("计划已审议通过。"),
            record_label="审议通过",
        ),
        PlanStep(
            "start",
            _("开始执行"),
            (PlanStatus.APPROVED,),
            PlanStatus.IN_PROGRESS,
            button_class="primary",
            done_message=_("计划已开始执行。"),
            record_label="开始执行",
        ),
        PlanStep(
            "close",
            _("年度总结"),
            (PlanStatus.IN_PROGRESS,),
            PlanStatus.CLOSED,
            done_message=_("计划已总结，此后只读。"),
            record_label="年度总结",
        ),
    )
}

# Once approved, a plan's projects change only with a reason, listed as 计划调整.
LOCKED = (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS, PlanStatus.CLOSED)


class ReformPlan(Guarded, models.Model):
    """A year's reform plan, e.g. 《龙岗区2017年改革计划》, and the meeting that approved it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("计划状态"), max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT
    )
    approved_by = models.CharField(_("审议通过的会议"), max_length=200, blank=True)
    approved_on = models.DateField(_("审议通过日期"), null=True, blank=True)
    summary = models.TextField(_("计划概况"), blank=True)
    # Totals of the intake known only as figures (the 2017 article gives 108 and 115): shown
    # as recorded figures beside, never mixed with, proposals and suggestions kept as items.
    recorded_proposals = models.PositiveIntegerField(
        _("征集改革项目数（记载）"), null=True, blank=True
    )
    recorded_suggestions = models.PositiveIntegerField(
        _("群众改革需求、建议数（记载）"), null=True, blank=True
    )
    recorded_source = models.TextField(_("记载数字的出处"), blank=True)
    source_note = models.TextField(_("来源说明"), blank=True)
    synthetic = models.BooleanField(
        _("演示数据"),
        default=False,
        help_text=_("由 generate_portfolio 生成的演示/压测计划；真实计划为否。"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = PlanManager()
    history = HistoricalRecords()

    class Meta:
        app_label = "projects"
        verbose_name = _("改革计划")
        verbose_name_plural = _("改革计划")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="plan_year_unique",
                violation_error_message=_("该年度已有改革计划。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="plan_year_range",
                violation_error_message=_("年度须在2000至2100之间。"),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="plan_title_not_empty",
                violation_error_message=_("请填写计划名称。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values),
                name="plan_status_valid",
                violation_error_message=_("计划状态无效。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看该计划。")),
        "manage": ("can_manage", _("只有区委改革办可以设置和调整年度计划。")),
    }

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.year])

    def natural_key(self):
        return (self.year,)

    @property
    def status_choice(self):
        return PlanStatus(self.status)

    @property
    def is_locked(self):
        """Approved (or later): its projects change only with a reason (计划调整)."""
        return self.status in LOCKED

    @property
    def is_closed(self):
        return self.status == PlanStatus.CLOSED

    def can_read(self, user):
        return user.has_perm("projects.view_reformplan")

    def can_manage(self, user):
        """Set up and change the plan; once closed (已总结) it is read-only."""
        return user.has_perm("projects.change_reformplan") and not self.is_closed

    def lock_reason(self, need):
        if need != "read" and self.is_closed:
            return gettext("该年度计划已总结，只能查看，不能再修改。")
        return None

    def available_steps(self, user):
        """The moves this user may make by hand now (审议通过 comes from a meeting)."""
        if not self.can_manage(user):
            return []
        return [s for s in PLAN_STEPS.values() if self.status in s.sources and not s.by_meeting]
