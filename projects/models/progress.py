"""Progress reports (进展) on a project, within a report period, and how they move."""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit

from ..choices import ProgressStatus, ReportState
from .guarded import Guarded
from .period import ReportPeriod
from .project import Project


@dataclass(frozen=True)
class ReportStep:
    """One move of a report: from which states, to which, by whom (the unit that wrote
    it, or the reform office reviewing it), whether a note is required."""

    action: str
    label: Promise
    sources: tuple[ReportState, ...]
    target: ReportState
    by_office: bool
    done_message: Promise
    record_label: str  # in the history, in Chinese (the record)
    note_required: Promise | None = None
    button_class: str = ""


REPORT_STEPS = {
    step.action: step
    for step in (
        ReportStep(
            "submit",
            _("提交"),
            (ReportState.DRAFT, ReportState.RETURNED),
            ReportState.SUBMITTED,
            by_office=False,
            done_message=_("进展报告已提交，等待区委改革办采纳。"),
            record_label="提交报告",
            button_class="primary",
        ),
        ReportStep(
            "accept",
            _("采纳"),
            (ReportState.SUBMITTED,),
            ReportState.ACCEPTED,
            by_office=True,
            done_message=_("进展报告已采纳。"),
            record_label="采纳报告",
            button_class="primary",
        ),
        ReportStep(
            "return",
            _("退回修改"),
            (ReportState.SUBMITTED,),
            ReportState.RETURNED,
            by_office=True,
            done_message=_("进展报告已退回修改。"),
            record_label="退回报告",
            note_required=_("退回修改须写明需要修改的内容。"),
            button_class="danger",
        ),
    )
}


class ProgressUpdate(Guarded, models.Model):
    """A progress report (进展) on a project by one unit, for a report period (or on its
    own, between periods: 随时报告). Written as a draft, submitted, then accepted or
    returned by the reform office; the newest counted report sets the project's status."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="updates"
    )
    period = models.ForeignKey(
        ReportPeriod,
        verbose_name=_("报告期"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    state = models.CharField(
        _("报告状态"), max_length=20, choices=ReportState, default=ReportState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_late = models.BooleanField(_("逾期提交"), default=False)
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
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
            models.UniqueConstraint(
                fields=["period", "project", "unit"],
                condition=Q(period__isnull=False, unit__isnull=False),
                name="report_one_per_unit_and_period",
                violation_error_message=_("本单位在该报告期已有这个项目的进展报告。"),
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values),
                name="report_state_valid",
                violation_error_message=_("报告状态无效。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看该项目的进展报告。")),
        "edit": ("can_edit", _("只有填报人和区委改革办可以修改这条进展报告。")),
        "change": ("can_change", _("只有填报人和区委改革办可以修改这条进展报告。")),
        "review": ("can_review", _("只有区委改革办可以采纳或退回进展报告。")),
    }

    def __str__(self):
        return f"{self.project} · {self.reported_on:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        """Saved with its project's stored current status (``projects.current``, on
        ``post_save``), in one transaction."""
        with transaction.atomic():
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("update_edit", args=[self.pk])

    def get_percent_complete_display(self):
        return f"{self.percent_complete}%"

    @property
    def is_locked(self):
        """In a closed period, or on a project that ended or whose plan was closed: only
        the office corrects it, with a reason."""
        if not self.project.is_workable:
            return True
        return self.period_id is not None and not self.period.is_open

    def lock_reason(self, need):
        return self.project.lock_reason("read" if need == "read" else "report")

    def can_edit(self, user):
        """Its author or a liaison of its unit (while still allowed to report on the
        project, before the office accepted it, in an open period) and the office; nobody
        once the project ended (销号…) or its plan was closed."""
        if not self.project.is_workable:
            return False
        if user.has_perm("projects.change_progressupdate"):
            return True
        if self.is_locked or self.state == ReportState.ACCEPTED:
            return False
        own = self.author_id == user.pk or (self.unit_id and self.unit_id == user.unit_id)
        return bool(own) and self.project.can_report(user)

    def can_correct(self, user):
        """Once its project ended or its plan was closed: the reform office, with a reason."""
        return self.project.can_correct(user) and user.has_perm("projects.change_progressupdate")

    def can_change(self, user):
        """The edit page: an edit (or a closed period's correction), else the correction
        of a report of an ended project."""
        return self.can_edit(user) or self.can_correct(user)

    def can_read(self, user):
        """Who reads the project reads its reports, but a draft is still its unit's: only
        who may edit or correct it sees it (the project page hides it from everyone else)."""
        if not self.project.can_read(user):
            return False
        return self.state != ReportState.DRAFT or self.can_change(user)

    def can_review(self, user):
        return self.project.is_workable and user.has_perm("projects.change_progressupdate")

    def available_steps(self, user):
        """The moves this user may make on the report now (one button each)."""
        steps = []
        for step in REPORT_STEPS.values():
            allowed = self.can_review(user) if step.by_office else self.can_edit(user)
            if self.state in step.sources and allowed:
                steps.append(step)
        return steps
