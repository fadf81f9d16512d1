"""A year's reform plan."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..querysets import PlanManager


class ReformPlan(models.Model):
    """A year's reform plan, e.g. 《龙岗区2017年改革计划》, and the meeting that approved it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    approved_by = models.CharField(_("审议通过的会议"), max_length=200, blank=True)
    approved_on = models.DateField(_("审议通过日期"), null=True, blank=True)
    summary = models.TextField(_("计划概况"), blank=True)
    source_note = models.TextField(_("来源说明"), blank=True)
    synthetic = models.BooleanField(
        _("演示数据"),
        default=False,
        help_text=_("由 generate_portfolio 生成的演示/压测计划；真实计划为否。"),
    )

    objects = PlanManager()

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
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.year,)
