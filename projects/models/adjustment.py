"""Changes to a plan after it was approved (计划调整)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import AdjustmentKind
from .plan import ReformPlan
from .project import Project


class PlanAdjustment(models.Model):
    """A project added, changed or withdrawn after its plan was approved, with the reason
    and, for a change, each field before and after. Written by the planning services,
    never edited: it is the plan's record of what changed since the meeting approved it."""

    plan = models.ForeignKey(
        ReformPlan, verbose_name=_("改革计划"), on_delete=models.CASCADE, related_name="adjustments"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField(_("调整类型"), max_length=20, choices=AdjustmentKind)
    reason = models.TextField(_("调整理由"))
    changes = models.JSONField(_("调整内容"), default=list, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    made_at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        app_label = "projects"
        verbose_name = _("计划调整")
        verbose_name_plural = _("计划调整")
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="adjustment_has_reason",
                violation_error_message=_("计划调整须说明理由。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AdjustmentKind.values),
                name="adjustment_kind_valid",
                violation_error_message=_("调整类型无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.get_kind_display()} · {self.project}"
