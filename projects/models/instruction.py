"""District leaders' instructions (领导批示) on a project."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
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

    # Who may do what; whether the instruction's status allows it is the business of
    # ``projects.instructions.INSTRUCTION_STEPS``, whose steps name these needs.
    ACCESS = {
        "read": ("can_read", _("您没有权限查看该批示。")),
        "follow_up": ("can_follow_up", _("您没有权限登记该批示的落实情况。")),
        "review": ("can_review", _("只有区委改革办可以办结或退回批示。")),
        "correct": ("can_correct", _("只有作出批示的区领导本人可以更正批示。")),
        "withdraw": ("can_withdraw", _("只有作出批示的区领导本人或区委改革办可以撤回批示。")),
    }

    def __str__(self):
        return f"{self.project.number_cn}、{self.project.title} · {self.issued_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("instruction_detail", args=[self.pk])

    def can_read(self, user):
        return self.project.can_read(user)

    @cached_property
    def units_to_act(self):
        """The units named, as a list: set for a whole list of instructions in one query by
        ``instructions.attach_units``, else read here (one query)."""
        return list(self.units.all())

    def acting_unit_ids(self):
        """The units that must act: those named, and always the project's lead unit."""
        return {u.pk for u in self.units_to_act} | {self.project.lead_unit_id} - {None}

    def can_follow_up(self, user):
        """The reform office, or a liaison of a unit named (or of the lead unit); not once
        the plan is closed (已总结)."""
        if self.plan_closed:
            return False
        if user.has_perm("projects.follow_up_any_instruction"):
            return True
        return (
            bool(user.unit_id)
            and user.has_perm("projects.follow_up_unit_instruction")
            and user.unit_id in self.acting_unit_ids()
        )

    def can_review(self, user):
        return not self.plan_closed and user.has_perm("projects.change_instruction")

    def is_authors(self, user):
        """Written by this user, or by the leader this user's account is linked to."""
        if not user.has_perm("projects.write_instruction"):
            return False
        if self.author_id is not None and self.author_id == user.pk:
            return True
        return user.official_id is not None and self.official_id == user.official_id

    def can_correct(self, user):
        return not self.plan_closed and self.is_authors(user)

    def can_withdraw(self, user):
        return not self.plan_closed and (self.is_authors(user) or self.can_review(user))

    @property
    def plan_closed(self):
        """The year is closed (已总结): its instructions are read-only, like the rest."""
        return self.project.plan.is_closed

    def lock_reason(self, need):
        return self.project.lock_reason("read" if need == "read" else "instruct")

    @property
    def status_choice(self):
        return InstructionStatus(self.status)

    @property
    def acted_on(self):
        """Someone recorded a follow-up (even if the office sent it back since)."""
        return self.followed_up_on is not None or bool(self.follow_up)

    @property
    def is_overdue(self):
        """Due date passed and still 待落实 (the chasing app makes it 督办)."""
        return (
            self.status == InstructionStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )
