"""The three checkpoints (三关) of a project and the one table of moves between statuses.

``TRANSITIONS`` is the only place the 三关 rules are written: the service applies them,
the decision form takes its choices from them, the checkpoint page draws one button per
move the user may make now, and the tests check them against a matrix of their own.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import CheckpointKind, CheckpointStatus
from .guarded import Guarded
from .project import Project

CHECKPOINT_ORDERING = Case(
    *(When(kind=kind, then=Value(index)) for index, kind in enumerate(CheckpointKind.values)),
    default=Value(len(CheckpointKind.values)),
)


class Actor(StrEnum):
    """Who may make a move, as asked of the project."""

    SUBMITTER = "submitter"  # the reform office, and the lead unit's liaison
    REVIEWER = "reviewer"  # the reform office


DEFAULT_DONE = _("「%(gate)s」已更新。")


@dataclass(frozen=True)
class Transition:
    """One move of a checkpoint: the statuses it starts from and the one it leads to, who
    may make it, what it checks, where its note goes and how it is shown."""

    action: str
    label: Promise
    sources: tuple[CheckpointStatus, ...]
    target: CheckpointStatus
    actor: Actor
    # the checkpoint before this one must have passed (实施关 after 方案关 …)
    needs_previous_passed: bool = False
    # refused while a later checkpoint is submitted or passed
    needs_later_open: bool = False
    # the field the note is written to, if any; a missing required note gets this message
    note_field: str | None = None
    note_required: Promise | None = None
    button_class: str = ""
    done_message: Promise = DEFAULT_DONE
    # recorded in the history, in Chinese whatever the interface language
    record_label: str = ""

    def allowed_for(self, project, user):
        if self.actor == Actor.REVIEWER:
            return project.can_review_checkpoints(user)
        return project.can_submit_checkpoints(user)


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            action="start",
            label=_("开始推进"),
            sources=(CheckpointStatus.NOT_STARTED,),
            target=CheckpointStatus.IN_PROGRESS,
            actor=Actor.SUBMITTER,
            done_message=_("「%(gate)s」已开始推进。"),
            record_label="开始推进",
        ),
        Transition(
            action="submit",
            label=_("报审"),
            sources=(
                CheckpointStatus.NOT_STARTED,
                CheckpointStatus.IN_PROGRESS,
                CheckpointStatus.REWORK,
            ),
            target=CheckpointStatus.SUBMITTED,
            actor=Actor.SUBMITTER,
            needs_previous_passed=True,
            note_field="evidence",
            note_required=_("报审须说明报审材料：%(hint)s。"),
            button_class="primary",
            done_message=_("「%(gate)s」已报审，等待区委改革办审核。"),
            record_label="报审",
        ),
        Transition(
            action="approve",
            label=_("审核通过"),
            sources=(CheckpointStatus.SUBMITTED,),
            target=CheckpointStatus.PASSED,
            actor=Actor.REVIEWER,
            needs_previous_passed=True,
            note_field="assessment_notes",
            button_class="primary",
            done_message=_("「%(gate)s」已审核通过。"),
            record_label="审核通过",
        ),
        Transition(
            action="send_back",
            label=_("退回整改"),
            sources=(CheckpointStatus.SUBMITTED,),
            target=CheckpointStatus.REWORK,
            actor=Actor.REVIEWER,
            note_field="assessment_notes",
            note_required=_("退回整改须写明需要整改的内容。"),
            button_class="danger",
            done_message=_("「%(gate)s」已退回整改。"),
            record_label="退回整改",
        ),
        Transition(
            action="reopen",
            label=_("重新打开"),
            sources=(CheckpointStatus.PASSED,),
            target=CheckpointStatus.IN_PROGRESS,
            actor=Actor.REVIEWER,
            needs_later_open=True,
            note_field="assessment_notes",
            note_required=_("重新打开已通过的关口须填写理由。"),
            button_class="danger",
            done_message=_("「%(gate)s」已重新打开。"),
            record_label="重新打开",
        ),
    )
}

# a later checkpoint in one of these blocks reopening an earlier one
LATER_BLOCKING = (CheckpointStatus.SUBMITTED, CheckpointStatus.PASSED)


class Checkpoint(Guarded, models.Model):
    """One of a project's three checkpoints (三关): 方案关, 实施关 or 成效关."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="checkpoints"
    )
    kind = models.CharField(_("关口"), max_length=20, choices=CheckpointKind)
    status = models.CharField(
        _("状态"), max_length=20, choices=CheckpointStatus, default=CheckpointStatus.NOT_STARTED
    )
    planned_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    passed_on = models.DateField(_("通过日期"), null=True, blank=True)
    evidence = models.TextField(_("报审材料说明"), blank=True)
    assessment_notes = models.TextField(_("审核意见"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        app_label = "projects"
        verbose_name = _("关口")
        verbose_name_plural = _("关口")
        ordering = ["project", CHECKPOINT_ORDERING.asc()]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="checkpoint_one_per_kind",
                violation_error_message=_("每个项目的每一关只能有一条记录。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CheckpointKind.values),
                name="checkpoint_kind_valid",
                violation_error_message=_("关口只能是方案关、实施关或成效关。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CheckpointStatus.values),
                name="checkpoint_status_valid",
                violation_error_message=_("关口状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status=CheckpointStatus.PASSED, passed_on__isnull=False)
                | (~Q(status=CheckpointStatus.PASSED) & Q(passed_on__isnull=True)),
                name="checkpoint_passed_has_date",
                violation_error_message=_("已通过的关口须有通过日期，未通过的关口不能有通过日期。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看该项目。")),
        "schedule": ("can_schedule", _("只有区委改革办可以调整计划完成日期。")),
        "decide": ("can_decide", _("您没有权限对该关口执行此操作。")),
    }

    def __str__(self):
        return f"{self.project.number_cn}、{self.project.title} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse(
            "checkpoint_detail", args=[self.project.plan.year, self.project.number, self.kind]
        )

    def can_read(self, user):
        return self.project.can_read(user)

    def lock_reason(self, need):
        return self.project.lock_reason("read" if need == "read" else "edit")

    def can_schedule(self, user):
        return self.project.can_edit(user)

    def can_decide(self, user):
        """May make at least one kind of move (whether the status allows it comes later)."""
        return any(t.allowed_for(self.project, user) for t in TRANSITIONS.values())

    @property
    def kind_choice(self):
        return CheckpointKind(self.kind)

    @property
    def status_choice(self):
        return CheckpointStatus(self.status)

    @property
    def evidence_hint(self):
        return self.kind_choice.evidence_hint

    @property
    def is_overdue(self):
        """Past its planned date and not passed (逾期)."""
        return (
            self.planned_date is not None
            and self.status != CheckpointStatus.PASSED
            and self.planned_date < timezone.localdate()
        )

    def available_transitions(self, user):
        """The moves this user may make from the current status (one button each)."""
        return [
            t
            for t in TRANSITIONS.values()
            if self.status in t.sources and t.allowed_for(self.project, user)
        ]

    def apply(self, transition, siblings, note):
        """Make ``transition`` on this checkpoint in memory, given its project's three
        checkpoints; raises ValidationError with the first rule it breaks."""
        note = note.strip()
        names = {"gate": self.get_kind_display()}
        if self.status not in transition.sources:
            raise ValidationError(
                _("「%(gate)s」当前状态为「%(status)s」，不能执行此操作。")
                % {**names, "status": self.get_status_display()}
            )
        previous = self.kind_choice.previous
        if transition.needs_previous_passed and previous:
            before = next(c for c in siblings if c.kind == previous)
            if before.status != CheckpointStatus.PASSED:
                raise ValidationError(
                    _("「%(gate)s」须在「%(previous)s」通过后才能报审或通过。")
                    % {**names, "previous": before.get_kind_display()}
                )
        if transition.needs_later_open:
            order = self.kind_choice.order
            later = [
                c for c in siblings if c.kind_choice.order > order and c.status in LATER_BLOCKING
            ]
            if later:
                raise ValidationError(
                    _("「%(later)s」已报审或已通过，请先重新打开后面的关口。")
                    % {"later": later[0].get_kind_display()}
                )
        if transition.note_required and not note:
            raise ValidationError(transition.note_required % {"hint": self.evidence_hint})
        if transition.note_field and note:
            setattr(self, transition.note_field, note)
        self.status = transition.target
        self.passed_on = timezone.localdate() if self.status == CheckpointStatus.PASSED else None
