"""Report periods (月报…): when reports are due, and on which projects."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import PeriodKind, PeriodStatus, ProjectTier
from .guarded import Guarded
from .plan import ReformPlan


def default_tiers():
    return [ProjectTier.DISTRICT.value]


class ReportPeriod(Guarded, models.Model):
    """A reporting period of a plan (e.g. 2017年5月), opened by the reform office: each
    lead unit owes one report per covered project by ``due_on``; participating units may
    add theirs. Closing it locks its reports (a later correction needs the office and a
    reason)."""

    plan = models.ForeignKey(
        ReformPlan, verbose_name=_("改革计划"), on_delete=models.PROTECT, related_name="periods"
    )
    name = models.CharField(_("报告期"), max_length=50)
    kind = models.CharField(
        _("报告类型"), max_length=20, choices=PeriodKind, default=PeriodKind.MONTHLY
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    due_on = models.DateField(_("报送期限"))
    tiers = models.JSONField(_("覆盖的项目类别"), default=default_tiers, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=PeriodStatus, default=PeriodStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开启人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        app_label = "projects"
        verbose_name = _("报告期")
        verbose_name_plural = _("报告期")
        ordering = ["plan", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="period_name_unique_per_plan",
                violation_error_message=_("该年度计划已有同名的报告期。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="period_ends_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")),
                name="period_due_after_start",
                violation_error_message=_("报送期限不能早于起始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PeriodStatus.values),
                name="period_status_valid",
                violation_error_message=_("报告期状态无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="period_name_not_empty",
                violation_error_message=_("请填写报告期名称。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看报告期。")),
        "manage": ("can_manage", _("只有区委改革办可以开启和关闭报告期。")),
    }

    def __str__(self):
        return f"{self.plan.year} · {self.name}"

    def get_absolute_url(self):
        return reverse("period_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status == PeriodStatus.OPEN

    @property
    def is_past_due(self):
        return timezone.localdate() > self.due_on

    def can_read(self, user):
        return user.has_perm("projects.view_project")

    def can_manage(self, user):
        return user.has_perm("projects.change_reformplan") and not self.plan.is_closed

    def lock_reason(self, need):
        return self.plan.lock_reason(need)

    def covered_projects(self):
        """The active projects of the plan whose tier the period covers."""
        return self.plan.projects.active().filter(tier__in=self.tiers or default_tiers())
