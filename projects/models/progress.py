"""Progress reports (进展) on a project."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ProgressStatus
from .guarded import Guarded
from .project import Project


class ProgressUpdate(Guarded, models.Model):
    """A dated progress report (进展) on a project; the newest sets its current status."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("报告日期"))
    summary = models.TextField(_("工作进展"))
    next_steps = models.TextField(_("下一步计划"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    coordination_needed = models.TextField(_("需区领导协调事项"), blank=True)
    status = models.CharField(_("进展状态"), max_length=20, choices=ProgressStatus)
    percent_complete = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # the one-time token of the form that created it: a form sent twice saves once
    submission_token = models.UUIDField(_("提交凭据"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "submission_token"])

    class Meta:
        app_label = "projects"
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["project", "-reported_on", "-id"], name="update_project_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="update_percent_0_100",
                violation_error_message=_("完成进度须在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values),
                name="update_status_valid",
                violation_error_message=_("进展状态只能是正常、预警或滞后。"),
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="update_summary_not_empty",
                violation_error_message=_("请填写工作进展。"),
            ),
            models.UniqueConstraint(
                fields=["submission_token"],
                name="update_submitted_once",
                violation_error_message=_("这份进展报告已经提交过。"),
            ),
        ]

    ACCESS = {
        "edit": ("can_edit", _("只有填报人和区委改革办可以修改这条进展报告。")),
    }

    def __str__(self):
        return f"{self.project} · {self.reported_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("update_edit", args=[self.pk])

    def get_percent_complete_display(self):
        return f"{self.percent_complete}%"

    def can_edit(self, user):
        """Its author (while still allowed to report on the project) and the reform office."""
        if user.has_perm("projects.change_progressupdate"):
            return True
        return self.author_id == user.pk and self.project.can_report(user)
