"""A key reform project of a plan, and who may do what on it."""

from dataclasses import dataclass
from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from units.models import Official, Unit

from ..choices import (
    CheckpointKind,
    Domain,
    IssuingLevel,
    ProjectStanding,
    ProjectTier,
    chinese_number,
    is_chinese,
    punct,
)
from ..querysets import ProjectManager, stale_cutoff
from .guarded import Guarded
from .plan import ReformPlan

CURRENT_FIELDS = ["current_status", "current_percent", "current_reported_on"]


@dataclass(frozen=True)
class CurrentProgress:
    """A project's newest progress report, in brief; all None when it has none."""

    status: str | None = None
    percent: int | None = None
    reported_on: date | None = None


class Project(Guarded, models.Model):
    """One key reform project (重点改革项目) of a plan, led by a district leader and a unit.

    Its texts quote the plan as published; ``source_text`` keeps the whole paragraph and
    ``problem`` / ``content`` / ``goals`` are its parts, word for word.
    """

    plan = models.ForeignKey(
        ReformPlan, verbose_name=_("改革计划"), on_delete=models.PROTECT, related_name="projects"
    )
    number = models.PositiveSmallIntegerField(_("序号"), validators=[MinValueValidator(1)])
    title = models.CharField(_("项目名称"), max_length=200)
    domain = models.CharField(_("领域"), max_length=20, choices=Domain)
    tier = models.CharField(
        _("项目类别"), max_length=20, choices=ProjectTier, default=ProjectTier.DISTRICT
    )
    issuing_level = models.CharField(
        _("部署层级"),
        max_length=20,
        choices=IssuingLevel,
        blank=True,
        help_text=_("上级部署的改革任务由哪一级明确。"),
    )
    issuing_document = models.CharField(_("部署文件"), max_length=200, blank=True)
    standing = models.CharField(
        _("在册状态"), max_length=20, choices=ProjectStanding, default=ProjectStanding.ACTIVE
    )
    withdrawn_reason = models.TextField(_("撤销理由"), blank=True)
    ended_reason = models.TextField(_("终止理由"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("由上年结转"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_into",
    )
    problem = models.TextField(_("拟解决的问题"), blank=True)
    principles = models.TextField(_("基本原则"), blank=True)
    content = models.TextField(_("改革内容"), blank=True)
    innovation = models.TextField(_("创新性和领先性"), blank=True)
    goals = models.TextField(_("改革目标"), blank=True)
    source_text = models.TextField(_("计划原文"), blank=True)
    lead_official = models.ForeignKey(
        Official,
        verbose_name=_("牵头区领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    participating_units = models.ManyToManyField(
        Unit, verbose_name=_("参与单位"), blank=True, related_name="participating_projects"
    )
    city_plan_note = models.TextField(_("在全市改革计划中的位置"), blank=True)
    source_note = models.TextField(
        _("资料说明"), blank=True, help_text=_("哪些信息出自原文，哪些为推断。")
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # The newest counted report, kept here by ``projects.current`` in the transaction
    # that writes a report (and rebuilt by ``rebuild_current_status``): pages read it
    # instead of looking for the newest report of every project.
    current_status = models.CharField(
        _("最新进展状态"), max_length=20, blank=True, default="", editable=False
    )
    current_percent = models.PositiveSmallIntegerField(
        _("最新完成进度"), null=True, blank=True, editable=False
    )
    current_reported_on = models.DateField(_("最新报告日期"), null=True, blank=True, editable=False)

    objects = ProjectManager()
    history = HistoricalRecords(m2m_fields=[participating_units], excluded_fields=CURRENT_FIELDS)

    class Meta:
        app_label = "projects"
        verbose_name = _("改革项目")
        verbose_name_plural = _("改革项目")
        ordering = ["plan", "number"]
        permissions = [
            ("report_any_progress", _("可填报任一项目的进展")),
            ("report_unit_progress", _("可填报本单位牵头或参与项目的进展")),
            ("submit_any_checkpoint", _("可报审任一项目的关口")),
            ("submit_unit_checkpoint", _("可报审本单位牵头项目的关口")),
            ("review_checkpoint", _("可审核关口（通过、退回整改、重新打开）")),
            ("write_instruction", _("可作出领导批示")),
            ("follow_up_any_instruction", _("可登记任一项目批示的落实情况")),
            ("follow_up_unit_instruction", _("可登记本单位牵头项目批示的落实情况")),
            ("load_plan", _("可载入年度改革计划")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="project_number_unique_per_plan",
                violation_error_message=_("同一改革计划中项目序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="project_number_positive",
                violation_error_message=_("项目序号须从1开始。"),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="project_title_not_empty",
                violation_error_message=_("请填写项目名称。"),
            ),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values),
                name="project_domain_valid",
                violation_error_message=_("领域无效。"),
            ),
            models.CheckConstraint(
                condition=Q(tier__in=ProjectTier.values),
                name="project_tier_valid",
                violation_error_message=_("项目类别无效。"),
            ),
            models.CheckConstraint(
                condition=(Q(tier=ProjectTier.HIGHER) & Q(issuing_level__in=IssuingLevel.values))
                | (~Q(tier=ProjectTier.HIGHER) & Q(issuing_level="")),
                name="project_higher_tier_has_level",
                violation_error_message=_("上级部署的改革任务须注明部署层级（中央、省或市）。"),
            ),
            models.CheckConstraint(
                condition=Q(standing__in=ProjectStanding.values),
                name="project_standing_valid",
                violation_error_message=_("在册状态无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(standing=ProjectStanding.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="project_withdrawn_has_reason",
                violation_error_message=_("撤销项目须说明理由。"),
            ),
            models.CheckConstraint(
                condition=~Q(standing=ProjectStanding.STOPPED) | ~Q(ended_reason=""),
                name="project_stopped_has_reason",
                violation_error_message=_("终止项目须说明理由。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看该项目。")),
        "edit": ("can_edit", _("只有区委改革办可以修改项目信息。")),
        "change": ("can_change", _("只有区委改革办可以修改项目信息。")),
        "report": ("can_report", _("您所在单位不是该项目的牵头或参与单位，不能填报进展。")),
        "instruct": ("can_write_instruction", _("只有区领导可以作出批示。")),
        "withdraw": ("can_withdraw", _("只有区委改革办可以撤销项目。")),
        "apply_closeout": (
            "can_apply_closeout",
            _("只有牵头单位联络员和区委改革办可以申请销号。"),
        ),
        "conclude": ("can_conclude", _("只有区委改革办可以在年终结转或终止项目。")),
    }
    # Needs that end with the project (销号, 结转, 终止, 撤销): the plan's close ends all
    # writes, the project's end ends these (a leader's instruction may still follow).
    WORK = frozenset({"edit", "change", "report", "withdraw", "apply_closeout", "conclude"})

    def __str__(self):
        return f"{self.number_cn}、{self.title}"

    def save(self, *args, **kwargs):
        """An edit of the project never writes the stored current status: a report saved
        since the project was loaded may have moved it (only ``projects.current`` does)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in CURRENT_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.plan.year, self.number])

    def natural_key(self):
        return (self.plan.year, self.number)

    natural_key.dependencies = ["projects.reformplan", "units.unit", "units.official"]

    @property
    def number_cn(self):
        return chinese_number(self.number)

    @property
    def number_label(self):
        """一、二… in Chinese, 1, 2… in other interface languages."""
        return self.number_cn if is_chinese() else str(self.number)

    @property
    def heading(self):
        """ "一、推进…" in Chinese, "1. 推进…" in other interface languages."""
        return f"{self.number_label}{punct('number')}{self.title}"

    @property
    def current(self):
        """The newest counted progress report's status, percent and date, as stored on
        the project (no query)."""
        return CurrentProgress(
            self.current_status or None, self.current_percent, self.current_reported_on
        )

    @property
    def is_stale(self):
        """Needs chasing (需催办): no progress report for 30 days, or none at all."""
        last = self.current.reported_on
        return last is None or last < stale_cutoff()

    # Who may do what on this project. Roles are groups with these permissions; a
    # liaison's permissions reach only the projects of their own unit.
    def _unit_ids(self):
        return {self.lead_unit_id, *(u.pk for u in self.participating_units.all())} - {None}

    def _own_unit_may(self, user, any_perm, unit_perm, *, lead_only):
        if user.has_perm(any_perm):
            return True
        if not (user.unit_id and user.has_perm(unit_perm)):
            return False
        return user.unit_id == self.lead_unit_id if lead_only else user.unit_id in self._unit_ids()

    def can_read(self, user):
        """The roles that read the plan (not an outside expert, not an account without a
        role) read every project."""
        return user.has_perm("projects.view_project")

    # The one place of the lock: a project is worked on (edited, reported on, its
    # checkpoints moved, closed out, carried over, stopped) only while it is on its plan's
    # list (在册) and its plan is not closed (已总结). Every can_ below asks this.
    @property
    def is_workable(self):
        return self.standing == ProjectStanding.ACTIVE and not self.plan.is_closed

    def lock_reason(self, need):
        """Why nobody may ``need`` this project now: its plan is closed (every write), or
        the project ended (the work needs, ``WORK``); None when only roles decide."""
        if need == "read":
            return None
        if self.plan.is_closed:
            return gettext("该年度计划已总结，只能查看，不能再修改。")
        if need in self.WORK and self.standing != ProjectStanding.ACTIVE:
            return gettext("该项目%(standing)s，不能再修改、填报进展或办理关口。") % {
                "standing": self.get_standing_display()
            }
        return None

    def can_edit(self, user):
        return self.is_workable and user.has_perm("projects.change_project")

    def can_correct(self, user):
        """Once the project ended (销号, 结转, 终止, 撤销) or its plan was closed, the
        reform office (who manages plans) may still correct it, with a reason
        (``needs_correction``: the form requires it, the history records it)."""
        return (
            not self.is_workable
            and user.has_perm("projects.change_project")
            and user.has_perm("projects.change_reformplan")
        )

    def can_change(self, user):
        """The edit page: an edit while carried out, else the office's correction."""
        return self.can_edit(user) or self.can_correct(user)

    @property
    def needs_correction(self):
        """Ended or in a closed plan: an edit is a correction, with a reason."""
        return not self.is_workable

    def can_withdraw(self, user):
        return self.is_workable and user.has_perm("projects.change_reformplan")

    def can_report(self, user):
        return self.is_workable and self._own_unit_may(
            user,
            "projects.report_any_progress",
            "projects.report_unit_progress",
            lead_only=False,
        )

    def can_submit_checkpoints(self, user):
        return self.is_workable and self._own_unit_may(
            user,
            "projects.submit_any_checkpoint",
            "projects.submit_unit_checkpoint",
            lead_only=True,
        )

    def can_review_checkpoints(self, user):
        return self.is_workable and user.has_perm("projects.review_checkpoint")

    def can_write_instruction(self, user):
        return not self.plan.is_closed and user.has_perm("projects.write_instruction")

    def can_apply_closeout(self, user):
        """Apply for 销号: the lead unit's liaison, or the office (whether 成效关 has passed
        is the 销号 table's rule, ``yearend.CLOSEOUT_STEPS``)."""
        return self.is_workable and self._own_unit_may(
            user, "projects.change_closeout", "projects.add_closeout", lead_only=True
        )

    def can_conclude(self, user):
        """Carry over (结转) or stop (终止) at the year's end: the office."""
        return self.is_workable and user.has_perm("projects.change_reformplan")

    def ensure_checkpoints(self, reason=None):
        """Create whichever of the three checkpoints is missing; never touch existing ones.
        ``reason`` goes in their first history row (e.g. 载入计划)."""
        from .checkpoint import Checkpoint

        existing = set(self.checkpoints.values_list("kind", flat=True))
        missing = [
            Checkpoint(project=self, kind=k) for k in CheckpointKind.values if k not in existing
        ]
        if missing:
            # with history, so the first decision on a checkpoint shows what it changed
            bulk_create_with_history(missing, Checkpoint, default_change_reason=reason)
