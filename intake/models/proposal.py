"""A unit's reform proposal (改革项目建议); its moves are the table in ``moves.py``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import Domain
from projects.models import Project
from projects.models.guarded import Guarded
from units.models import Official, Unit

from ..choices import ProposalStatus
from ..querysets import ProposalQuerySet
from .call import MANAGE, PROPOSE, Call
from .moves import MAKES_PROJECT, MOVES, OPEN, TEXTS

REVIEW = "intake.review_assigned"


class Proposal(Guarded, models.Model):
    """A reform proposal a unit sends in answer to a call (改革项目建议): the problem, what
    to reform, what is new, what it should achieve, who should lead and who take part.

    Drafts are the unit's; a submitted proposal is locked for the unit until the office
    returns it with a note. Selected, it becomes a project of the plan (``project``)."""

    call = models.ForeignKey(
        Call, verbose_name=_("项目征集"), on_delete=models.PROTECT, related_name="proposals"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="intake_proposals"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    domain = models.CharField(_("领域"), max_length=20, choices=Domain, blank=True)
    background = models.TextField(_("立项背景"), blank=True, help_text=_("背景和拟解决的问题"))
    content = models.TextField(_("改革内容"), blank=True)
    highlights = models.TextField(_("改革亮点及创新性"), blank=True)
    outcomes = models.TextField(_("预计成效"), blank=True)
    suggested_leader = models.ForeignKey(
        Official,
        verbose_name=_("建议牵头区领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    participating_units = models.ManyToManyField(
        Unit, verbose_name=_("参与单位"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ProposalStatus, default=ProposalStatus.DRAFT
    )
    office_note = models.TextField(_("退回修改意见"), blank=True)
    decision_note = models.TextField(_("评审结论说明"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    project = models.OneToOneField(
        Project,
        verbose_name=_("转入的改革项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_proposal",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("改革项目建议")
        verbose_name_plural = _("改革项目建议")
        ordering = ["call", "pk"]
        permissions = [
            ("manage_intake", _("可组织项目征集、专家评审和遴选")),
            ("propose_for_unit", _("可为本单位提出改革项目建议")),
            ("review_assigned", _("可评审分配给自己的改革项目建议")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="proposal_title_not_empty",
                violation_error_message=_("请填写项目名称。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="proposal_status_valid",
                violation_error_message=_("项目建议状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(domain="") | Q(domain__in=Domain.values),
                name="proposal_domain_valid",
                violation_error_message=_("领域无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="proposal_submitted_has_time",
                violation_error_message=_("已提交的项目建议须有提交时间。"),
            ),
            models.CheckConstraint(
                condition=(Q(status=ProposalStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=ProposalStatus.MERGED) & Q(merged_into__isnull=True)),
                name="proposal_merged_names_target",
                violation_error_message=_("合并的项目建议须指明合并到哪一项。"),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="proposal_not_merged_into_itself",
                violation_error_message=_("项目建议不能合并到自身。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.REJECTED) | ~Q(decision_note=""),
                name="proposal_rejected_has_reason",
                violation_error_message=_("未入选须说明理由，理由将告知提出单位。"),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=MAKES_PROJECT) & Q(project__isnull=False))
                | (~Q(status__in=MAKES_PROJECT) & Q(project__isnull=True)),
                name="proposal_project_when_selected",
                violation_error_message=_("入选或转为单位自主项目的建议须对应计划中的项目。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看该项目建议。")),
        "edit": (
            "can_edit",
            _("只有提出单位可以修改草稿；已提交的项目建议须经区委改革办退回后才能修改。"),
        ),
        "decide": ("can_decide", _("只有区委改革办可以审核、分配专家和遴选项目建议。")),
        "review": ("can_review", _("该项目建议不在专家评审中，或未分配给您评审。")),
    }

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("intake:proposal_detail", args=[self.pk])

    @property
    def status_choice(self):
        return ProposalStatus(self.status)

    @property
    def plan(self):
        return self.call.plan

    # Who may do what. An expert's assignment is asked once per object and kept.
    def is_proposer(self, user):
        if self.call.plan.is_closed:
            return False
        if user.has_perm(MANAGE):
            return True
        return bool(user.unit_id) and user.has_perm(PROPOSE) and user.unit_id == self.unit_id

    def is_assigned_to(self, user):
        cache = self.__dict__.setdefault("_assigned", {})
        if user.pk not in cache:
            cache[user.pk] = user.has_perm(REVIEW) and self.reviews.filter(expert=user).exists()
        return cache[user.pk]

    def can_read(self, user):
        return (
            user.has_perm("intake.view_proposal")
            or (user.has_perm(PROPOSE) and bool(user.unit_id) and user.unit_id == self.unit_id)
            or self.is_assigned_to(user)
        )

    def conceals_from(self, user):
        """An outside expert learns nothing of proposals not assigned to them, not even
        that they exist: 404 rather than 403."""
        return user.has_perm(REVIEW) and not user.has_perm("projects.view_project")

    def can_edit(self, user):
        return self.status == ProposalStatus.DRAFT and self.is_proposer(user)

    def can_decide(self, user):
        return user.has_perm(MANAGE) and not self.call.plan.is_closed

    @property
    def takes_experts(self):
        """Experts are assigned to a submitted proposal or one under review."""
        return self.status in OPEN

    def can_review(self, user):
        return self.status == ProposalStatus.IN_REVIEW and self.is_assigned_to(user)

    def shows_reviews_to(self, user):
        """Experts' names, scores and comments: for the office and leaders, not the unit."""
        return user.has_perm("intake.view_review")

    def shows_history_to(self, user):
        """Who did what when: not for an outside expert (the office's people stay unnamed)."""
        return not self.conceals_from(user)

    def available_moves(self, user):
        """The moves this user may make from the current status (one button or link each)."""
        return [
            m
            for m in MOVES.values()
            if self.status in m.sources and not m.automatic and m.allowed_for(self, user)
        ]

    def missing_texts(self):
        """The labels of what a submission still lacks."""
        names = ["domain", *TEXTS]
        return [self._meta.get_field(n).verbose_name for n in names if not getattr(self, n)]

    def apply(self, move, note="", *, target=None, finished_reviews=0, today=None):
        """Make ``move`` on this proposal in memory; raises ValidationError with the first
        rule it breaks. The caller has checked who may make it."""
        note = (note or "").strip()
        if self.status not in move.sources:
            raise ValidationError(
                _("该项目建议当前状态为「%(status)s」，不能执行“%(move)s”。")
                % {"status": self.get_status_display(), "move": move.label}
            )
        if move.action == "submit":
            self._check_submission(today)
        if move.needs_finished_review and not finished_reviews:
            raise ValidationError(_("入选须至少有一位评审专家完成评审。"))
        if move.needs_target:
            self._check_target(target)
            self.merged_into = target
        if move.note_required and not note:
            raise ValidationError(move.note_required)
        if move.note_field and (note or move.note_required):
            setattr(self, move.note_field, note)
        if move.target == ProposalStatus.SUBMITTED and self.submitted_at is None:
            self.submitted_at = timezone.now()
        self.status = move.target

    def _check_submission(self, today):
        missing = self.missing_texts()
        if missing:
            raise ValidationError(
                _("提交前请填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)}
            )
        # A first submission only while the call is open; one returned for changes may come
        # back after it closes.
        if self.submitted_at is None and not self.call.is_open(today):
            raise ValidationError(
                _("征集期为 %(opens)s 至 %(closes)s，现不在征集期内，不能提交。")
                % {"opens": self.call.opens_on, "closes": self.call.closes_on}
            )

    def _check_target(self, target):
        if target is None:
            raise ValidationError(_("请选择要合并到的项目建议。"))
        if target.pk == self.pk:
            raise ValidationError(_("项目建议不能合并到自身。"))
        if target.call_id != self.call_id or target.status in (
            ProposalStatus.DRAFT,
            ProposalStatus.MERGED,
            ProposalStatus.REJECTED,
        ):
            raise ValidationError(_("只能合并到本次征集中已提交、且未被合并或否决的项目建议。"))
