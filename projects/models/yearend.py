"""The leaders' record (四个亲自) and how a project ends: 销号 close-out after its
成效关, the year-end assessment, carry-over into the next year's plan."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Official, Unit

from ..choices import (
    CloseoutState,
    Grade,
    LeaderActionKind,
    PlanStatus,
    ProjectStanding,
    Record,
)
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

    ACCESS = {
        "read": ("can_read", _("您没有权限查看四个亲自记录。")),
        "record": ("can_record", _("只有区委改革办和区领导本人可以录入四个亲自记录。")),
    }

    def __str__(self):
        return f"{self.official.name} · {self.get_kind_display()}"

    def natural_key(self):
        return (self.plan.year, self.meeting.sequence if self.meeting else None, self.kind)

    natural_key.dependencies = ["projects.meeting", "projects.reformplan", "units.official"]

    def can_read(self, user):
        return user.has_perm("projects.view_project")

    def can_record_for_others(self, user):
        """The reform office records any leader's actions (and chooses the leader)."""
        return user.has_perm("projects.change_leaderaction")

    def can_record(self, user):
        """The reform office, or a leader linked to this action's official (``official``
        unset: whether they may record at all)."""
        if self.can_record_for_others(user):
            return True
        if not (user.official_id and user.has_perm("projects.add_leaderaction")):
            return False
        return self.official_id is None or self.official_id == user.official_id


@dataclass(frozen=True)
class CloseoutStep:
    """One move of 销号: the state of the project's newest application it starts from
    (None: there is none yet), the state it leads to, who may make it (the ``ACCESS`` need
    asked of the project for ``apply``, of the application for the office's moves), what
    it checks and what it does to the project."""

    action: str
    label: Promise
    sources: tuple[CloseoutState | None, ...]
    target: CloseoutState
    need: str
    done_message: Promise
    record_label: str  # in the history, in Chinese (the record): a ``Record`` label
    note_field: str = "review_note"
    note_required: Promise | None = None
    # 销号 only after 成效关 passed (and only while it still stands passed)
    needs_outcome_passed: bool = True
    standing: ProjectStanding | None = None  # what the project becomes
    button_class: str = ""

    @property
    def by_office(self):
        return self.need == "review"


# The one table of 销号 moves: the service (projects.closing.move_closeout) applies it, the
# forms take their choices from it, the 销号 page draws one button per move allowed now.
CLOSEOUT_STEPS = {
    step.action: step
    for step in (
        CloseoutStep(
            "apply",
            _("申请销号"),
            (None, CloseoutState.RETURNED),  # a returned application may be made again
            CloseoutState.APPLIED,
            need="apply_closeout",
            note_field="summary",
            note_required=_("销号申请须写明成果总结。"),
            done_message=_("销号申请已提交，等待区委改革办核验。"),
            record_label=Record.CLOSEOUT_APPLIED,
            button_class="primary",
        ),
        CloseoutStep(
            "close",
            _("核验通过，予以销号"),
            (CloseoutState.APPLIED,),
            CloseoutState.CLOSED,
            need="review",
            standing=ProjectStanding.CLOSED_OUT,
            done_message=_("项目已销号，此后不能再修改、填报进展或办理关口。"),
            record_label=Record.CLOSED_OUT,
            button_class="primary",
        ),
        CloseoutStep(
            "return",
            _("退回申请"),
            (CloseoutState.APPLIED,),
            CloseoutState.RETURNED,
            need="review",
            note_required=_("退回销号申请须写明理由。"),
            needs_outcome_passed=False,
            done_message=_("销号申请已退回，牵头单位可修改后重新申请。"),
            record_label=Record.CLOSEOUT_RETURNED,
            button_class="danger",
        ),
    )
}


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
        # evidence files (the evidence app's protocol): the lead unit's liaison or the office
        "attach": ("can_attach", _("只有牵头单位联络员或区委改革办可以为销号申请上传佐证材料。")),
    }
    EVIDENCE_RELATED = ("project__plan", "project__lead_unit")

    def __str__(self):
        return f"{self.project} · {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("closeout", args=[self.project.plan.year, self.project.number])

    def can_attach(self, user):
        return self.project.can_apply_closeout(user)

    @property
    def evidence_scope(self):
        """Listed with the project's other files (one query per page)."""
        return f"projects.project:{self.project_id}"

    @property
    def evidence_closed(self):
        """Files are added while the application waits; once decided they are the record."""
        return self.state != CloseoutState.APPLIED or self.project.plan.is_closed

    @property
    def evidence_closed_reason(self):
        if self.project.plan.is_closed:
            return None  # the evidence app's own words for a closed plan
        return _("该销号申请已核验或退回，佐证材料只能查看，不能再添加或移除。")

    @property
    def state_choice(self):
        return CloseoutState(self.state)

    def can_read(self, user):
        return self.project.can_read(user)

    def lock_reason(self, need):
        return self.project.lock_reason("read" if need == "read" else "edit")

    def can_review(self, user):
        return self.project.is_workable and user.has_perm("projects.change_closeout")

    def available_steps(self, user):
        """The office's moves on this application now (one button each)."""
        return [
            step
            for step in CLOSEOUT_STEPS.values()
            if step.by_office and self.state in step.sources and self.can_review(user)
        ]


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

    def lock_reason(self, need):
        """Assessments are made while the plan is carried out (执行中), on every project
        but a withdrawn one; a closed plan is read-only."""
        if need == "read":
            return None
        plan, project = self.project.plan, self.project
        if plan.is_closed:
            return plan.lock_reason(need)
        if plan.status != PlanStatus.IN_PROGRESS:
            return gettext("计划执行中才能作年度评定。")
        if project.standing == ProjectStanding.WITHDRAWN:
            return gettext("已撤销的项目不作年度评定。")
        return None

    def can_assess(self, user):
        return self.lock_reason("assess") is None and user.has_perm("projects.change_assessment")
