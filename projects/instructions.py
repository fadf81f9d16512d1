"""The life of a leader's instruction (批示), and the one table of its moves.

A leader writes it naming the units that must act and a due date (the lead unit unless
they choose others); they may correct or withdraw it until someone acts on it. A unit
named (or the lead unit) records its follow-up; the reform office closes it (办结) or
sends it back to 待落实 with a note. An instruction still 待落实 after its due date is
overdue (the ``chasing`` app makes it 督办).

``INSTRUCTION_STEPS`` is the only place these moves are written: the services below apply
it, the step form takes its choices from it, and the pages draw one button (or one link to
the move's own page) for each move the user may make now. Who may make a move is the
model's rule (``Instruction.ACCESS``, named by the step's ``need``); what the status must
be is the step's.

Each service refuses with PermissionDenied, ValidationError (a broken rule, with its
message) or EditConflict, and then saves nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import services
from .choices import InstructionStatus, Record
from .models import Instruction
from .versioning import save_with_version

OPEN, DONE = InstructionStatus.OPEN, InstructionStatus.DONE
CLOSED, WITHDRAWN = InstructionStatus.CLOSED, InstructionStatus.WITHDRAWN


@dataclass(frozen=True)
class InstructionStep:
    """One move of an instruction: the statuses it starts from and the one it leads to,
    who may make it (a need of ``Instruction.ACCESS``), whether it is refused once a
    follow-up was recorded, where its note goes and how it is shown."""

    action: str
    label: Promise
    sources: tuple[InstructionStatus, ...]
    target: InstructionStatus
    need: str
    done_message: Promise
    # recorded in the history, in Chinese whatever the interface language
    record_label: str
    # refused once anyone has acted on it (a follow-up recorded, even if sent back since)
    before_follow_up: bool = False
    # the field the note goes to; a missing required note gets ``note_required``
    note_field: str | None = None
    note_required: Promise | None = None
    # the URL name of the move's own page, for moves with more than a note to write
    page: str | None = None
    button_class: str = ""

    def allowed_for(self, instruction, user):
        return instruction.allows(user, self.need)

    def refusal(self, instruction):
        """Why the status does not allow this move now, or None when it does."""
        if instruction.status not in self.sources:
            return _("该批示当前状态为「%(status)s」，不能%(step)s。") % {
                "status": instruction.get_status_display(),
                "step": self.label,
            }
        if self.before_follow_up and instruction.acted_on:
            return _("该批示已有落实情况登记，不能再%(step)s。") % {"step": self.label}
        return None


INSTRUCTION_STEPS = {
    step.action: step
    for step in (
        InstructionStep(
            action="follow_up",
            label=gettext_lazy("登记落实情况"),
            sources=(OPEN,),
            target=DONE,
            need="follow_up",
            note_field="follow_up",
            note_required=gettext_lazy("请填写落实情况。"),
            page="instruction_follow_up",
            button_class="primary",
            done_message=gettext_lazy("批示落实情况已登记。"),
            record_label=Record.FOLLOWED_UP,
        ),
        InstructionStep(
            action="close",
            label=pgettext_lazy("instruction step", "办结"),
            sources=(DONE,),
            target=CLOSED,
            need="review",
            note_field="review_note",
            button_class="primary",
            done_message=gettext_lazy("批示已办结。"),
            record_label="批示办结",
        ),
        InstructionStep(
            action="send_back",
            label=gettext_lazy("退回重办"),
            sources=(DONE,),
            target=OPEN,
            need="review",
            note_field="review_note",
            note_required=gettext_lazy("退回须写明需要继续落实的内容。"),
            button_class="danger",
            done_message=gettext_lazy("批示已退回，重新待落实。"),
            record_label="退回重办",
        ),
        InstructionStep(
            action="correct",
            label=gettext_lazy("更正批示"),
            sources=(OPEN,),
            target=OPEN,
            need="correct",
            before_follow_up=True,
            page="instruction_correct",
            done_message=gettext_lazy("批示已更正。"),
            record_label="更正批示",
        ),
        InstructionStep(
            action="withdraw",
            label=gettext_lazy("撤回批示"),
            sources=(OPEN,),
            target=WITHDRAWN,
            need="withdraw",
            before_follow_up=True,
            note_field="withdrawn_reason",
            note_required=gettext_lazy("撤回批示须写明理由。"),
            button_class="danger",
            done_message=gettext_lazy("批示已撤回。"),
            record_label="撤回批示",
        ),
    )
}

# the moves made with a note on the instruction's page (the others have their own page)
NOTE_STEPS = [step for step in INSTRUCTION_STEPS.values() if step.page is None]


def attach_units(instructions, links):
    """Give each of ``instructions`` its ``units_to_act`` from ``links`` (rows of the
    instruction–unit table, e.g. those of one project): one query, always, so a page's
    count does not depend on whether it lists any instruction."""
    by_instruction = {}
    for link in links.select_related("unit").order_by("unit__kind", "unit__name"):
        by_instruction.setdefault(link.instruction_id, []).append(link.unit)
    for instruction in instructions:
        instruction.units_to_act = by_instruction.get(instruction.pk, [])
    return instructions


def unit_links(**filters):
    """Rows of the instruction–unit table, filtered (``instruction__project=…``)."""
    return Instruction.units.through.objects.filter(**filters)


def available_steps(instruction, user):
    """The moves this user may make on the instruction now (one button or link each)."""
    return [
        step
        for step in INSTRUCTION_STEPS.values()
        if step.refusal(instruction) is None and step.allowed_for(instruction, user)
    ]


def require_a_note_step(instruction, user):
    """PermissionDenied unless the user may make one of the moves made with a note on the
    instruction's page (whatever its status allows now)."""
    if not any(step.allowed_for(instruction, user) for step in NOTE_STEPS):
        raise PermissionDenied(_("您没有权限办理该批示。"))


def check_step(instruction, user, action):
    """The step ``action`` if this user may make it now; else PermissionDenied (who) or
    ValidationError (the status, or an unknown action)."""
    step = INSTRUCTION_STEPS.get(action)
    if step is None:
        raise ValidationError(_("未知的操作。"))
    instruction.require(user, step.need)
    refusal = step.refusal(instruction)
    if refusal:
        raise ValidationError(refusal)
    return step


def _reason(step, note):
    note = (note or "").strip()
    return (f"{step.record_label}：{note}" if note else step.record_label)[:100]


def add_instruction(project, user, instruction, units=(), token=None):
    """Save a leader's new instruction (an unsaved Instruction) on ``project``, naming
    ``units`` to act (the project's lead unit when none is chosen)."""
    project.require(user, "instruct")
    instruction.project = project
    instruction.author = user
    instruction.official = getattr(user, "official", None)
    instruction.status = OPEN
    if instruction.due_on is not None and instruction.due_on < instruction.issued_on:
        raise ValidationError(_("落实时限不能早于批示日期。"))
    units = list(units) or ([project.lead_unit] if project.lead_unit_id else [])
    with transaction.atomic():
        saved = services._save_once(instruction, token)
        saved.units.set(units)
    return saved


def follow_up_instruction(instruction, user, follow_up, done_on, expected_version):
    """Record how a leader's instruction was carried out and mark it 已落实."""
    step = check_step(instruction, user, "follow_up")
    follow_up = (follow_up or "").strip()
    if not follow_up:
        raise ValidationError(step.note_required)
    instruction.follow_up = follow_up
    instruction.followed_up_on = done_on or timezone.localdate()
    instruction.followed_up_by = user
    instruction.status = step.target
    # change reasons are part of the Chinese record, whatever the interface language
    return save_with_version(instruction, expected_version, reason=step.record_label)


def move_instruction(instruction, user, action, note, expected_version):
    """Close, send back or withdraw an instruction (a move with a note only)."""
    step = check_step(instruction, user, action)
    if step.page is not None:
        raise ValidationError(_("未知的操作。"))
    note = (note or "").strip()
    if step.note_required and not note:
        raise ValidationError(step.note_required)
    if step.note_field:  # a close without a note clears the note of an earlier return
        setattr(instruction, step.note_field, note)
    instruction.status = step.target
    instruction.closed_on = timezone.localdate() if step.target == CLOSED else None
    save_with_version(instruction, expected_version, reason=_reason(step, note))
    return step


def correct_instruction(form, user):
    """Save a leader's correction of their instruction (text, units, due date) from a
    valid ``InstructionCorrectForm``; a change of units is written in the history's
    reason, which the history of the units themselves does not keep."""
    instruction = form.instance
    step = check_step(instruction, user, "correct")
    data = form.cleaned_data
    if data.get("due_on") and data["due_on"] < instruction.issued_on:
        raise ValidationError(_("落实时限不能早于批示日期。"))
    before = {u.pk for u in instruction.units.all()}
    after = list(data["units"])
    reason = step.record_label
    if before != {u.pk for u in after}:
        names = "、".join(u.short_name or u.name for u in after) or "—"
        reason = f"{reason}：落实单位改为{names}"
    return save_with_version(instruction, data["version"], reason=reason[:100], save=form.save)


def reason_labels():
    """The history's record labels of these moves, in the reader's language."""
    return {step.record_label: step.label for step in INSTRUCTION_STEPS.values()}
