"""The leaders' record (四个亲自) and how a project ends: 销号 close-out after its
成效关, the year-end assessment, carry-over into the next year's plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Official, Unit

from ..choices import CloseoutState, Grade, LeaderActionKind
from .guarded import Guarded
from .meeting import Meeting
from .plan import ReformPlan
from .project import Project


class LeaderActionManager(models.Manager):
    def get_by_natural_key(self, year, sequence, kind):
        """Plan files know an action by its plan, the meeting it happened at and its kind."""
        return self.get(plan__year=year, meeting__sequence=sequence, kind=kind)


class LeaderAction(Guarded, models.Model):
    """One of a leader's 四个亲自 on a project (or on the whole plan, like chairing the
    leading-group meeting that deployed it): a deployment meeting, a plan reviewed, a
    problem coordinated with the units involved, an inspection or site visit."""

    plan = models.ForeignKey(
        ReformPlan,
        verbose_name=_("改革计划"),
        on_delete=models.CASCADE,
        related_name="leader_actions",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("改革项目"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_actions",
    )
    official = models.ForeignKey(
        Official, verbose_name=_("区领导"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=LeaderActionKind)
    done_on = models.DateField(_("日期"), null=True, blank=True)
    what = models.TextField(_("内容"))
    units = models.ManyToManyField(
        Unit, verbose_name=_("参加单位"), blank=True, related_name="leader_actions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("相关会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leader_actions",
    )
    source_note = models.TextField(_("资料说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LeaderActionManager()
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        app_label = "projects"
        verbose_name = _("四个亲自记录")
        verbose_name_plural = _("四个亲自记录")
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LeaderActionKind.values),
                name="leader_action_kind_valid",
                violation_error_message=_("类型无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(what=""),
                name="leader_action_has_content",
                violation_error_message=_("请填写内容。"),
            ),
        ]

    ACCESS = {"read": ("can_read", _("您没有权限查看四个亲自记录。"))}

    def __str__(self):
        return f"{self.official.name} · {self.get_kind_display()}"

    def natural_key(self):
        return (self.plan.year, self.meeting.sequence if self.meeting else None, self.kind)

    natural_key.dependencies = ["projects.meeting", "projects.reformplan", "units.official"]

    def can_read(self, user):
        return user.has_perm("projects.view_project")


class Closeout(Guarded, models.Model):
    """A 销号 application: after its 成效关 passed, the lead unit applies to close the
    project with a summary of results; the office verifies (optionally recording an
    outside evaluation) and closes it (已销号: locked) or returns it."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="closeouts"
    )
    state = models.CharField(
        _("销号状态"), max_length=20, choices=CloseoutState, default=CloseoutState.APPLIED
    )
    summary = models.TextField(_("成果总结"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    outside_evaluation = models.TextField(_("第三方评估"), blank=True)
    review_note = models.TextField(_("核验意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_on = models.DateField(_("核验日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        app_label = "projects"
        verbose_name = _("销号申请")
        verbose_name_plural = _("销号申请")
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=CloseoutState.values),
                name="closeout_state_valid",
                violation_error_message=_("销号状态无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="closeout_has_summary",
                violation_error_message=_("销号申请须写明成果总结。"),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(state=CloseoutState.APPLIED),
                name="closeout_one_pending",
                violation_error_message=_("该项目已有待核验的销号申请。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看销号申请。")),
        "review": ("can_review", _("只有区委改革办可以核验销号申请。")),
    }

    def __str__(self):
        return f"{self.project} · {self.get_state_display()}"

    def can_read(self, user):
        return self.project.can_read(user)

    def can_review(self, user):
        return user.has_perm("projects.change_closeout") and not self.project.plan.is_closed


class Assessment(Guarded, models.Model):
    """The year-end assessment of a project (优秀/良好/合格/不合格), with the evaluator's
    notes and, when it is a model worth copying (可复制推广), what to copy."""

    project = models.OneToOneField(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="assessment"
    )
    grade = models.CharField(_("评定等次"), max_length=20, choices=Grade)
    notes = models.TextField(_("评定意见"), blank=True)
    replicable = models.BooleanField(_("可复制推广"), default=False)
    replicable_text = models.TextField(_("可复制推广的经验"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assessed_on = models.DateField(_("评定日期"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        app_label = "projects"
        verbose_name = _("年度评定")
        verbose_name_plural = _("年度评定")
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values),
                name="assessment_grade_valid",
                violation_error_message=_("评定等次无效。"),
            ),
            models.CheckConstraint(
                condition=Q(replicable=False) | ~Q(replicable_text=""),
                name="assessment_replicable_says_what",
                violation_error_message=_("标为可复制推广须写明可推广的经验。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看年度评定。")),
        "assess": ("can_assess", _("只有区委改革办可以作出年度评定。")),
    }

    def __str__(self):
        return f"{self.project} · {self.get_grade_display()}"

    def can_read(self, user):
        return self.project.can_read(user)

    def can_assess(self, user):
        return user.has_perm("projects.change_assessment") and not self.project.plan.is_closed
