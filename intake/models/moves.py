"""The one table of moves between a proposal's statuses (``MOVES``): the service applies it,
the move form takes its choices from it, the proposal page draws one button (or one link,
for the moves that make a project) per move the user may make now."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.choices import ProjectTier

from ..choices import ProposalStatus

DEFAULT_DONE = _("项目建议已更新。")


class Actor(StrEnum):
    """Who may make a move."""

    PROPOSER = "proposer"  # the proposing unit's liaison, or the reform office
    OFFICE = "office"  # the reform office


@dataclass(frozen=True)
class Move:
    """One move of a proposal: the statuses it starts from and the one it leads to, who may
    make it, what it checks, where its note goes and how it is shown and recorded."""

    action: str
    label: Promise
    sources: tuple[ProposalStatus, ...]
    target: ProposalStatus
    actor: Actor
    note_field: str | None = None
    note_required: Promise | None = None
    # 入选 needs at least one expert's finished review
    needs_finished_review: bool = False
    # 合并: the proposal it is merged into
    needs_target: bool = False
    # 入选 / 转为单位自主项目: the proposal becomes a project of the plan, of this tier
    project_tier: str | None = None
    # made by another action (assigning experts sends a proposal to review): no button
    automatic: bool = False
    button_class: str = ""
    done_message: Promise = DEFAULT_DONE
    record_label: str = ""  # in the history, in Chinese (the record)

    def allowed_for(self, proposal, user):
        if self.actor == Actor.OFFICE:
            return proposal.can_decide(user)
        return proposal.is_proposer(user)


OPEN = (ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW)

MOVES = {
    m.action: m
    for m in (
        Move(
            "submit",
            pgettext_lazy("proposal move", "提交"),
            (ProposalStatus.DRAFT,),
            ProposalStatus.SUBMITTED,
            Actor.PROPOSER,
            button_class="primary",
            done_message=_("项目建议已提交，等待区委改革办审核。"),
            record_label="提交",
        ),
        Move(
            "return",
            pgettext_lazy("proposal move", "退回修改"),
            OPEN,
            ProposalStatus.DRAFT,
            Actor.OFFICE,
            note_field="office_note",
            note_required=_("退回修改须写明需要修改的内容。"),
            button_class="danger",
            done_message=_("项目建议已退回提出单位修改。"),
            record_label="退回修改",
        ),
        Move(
            "review",
            pgettext_lazy("proposal move", "送专家评审"),
            (ProposalStatus.SUBMITTED,),
            ProposalStatus.IN_REVIEW,
            Actor.OFFICE,
            automatic=True,
            done_message=_("已分配评审专家，项目建议进入专家评审。"),
            record_label="送专家评审",
        ),
        Move(
            "select",
            pgettext_lazy("proposal move", "入选"),
            (ProposalStatus.IN_REVIEW,),
            ProposalStatus.SELECTED,
            Actor.OFFICE,
            needs_finished_review=True,
            project_tier=ProjectTier.DISTRICT,
            note_field="decision_note",
            button_class="primary",
            done_message=_("项目建议已入选，并已列入年度改革计划。"),
            record_label="入选",
        ),
        Move(
            "reject",
            pgettext_lazy("proposal move", "未入选"),
            OPEN,
            ProposalStatus.REJECTED,
            Actor.OFFICE,
            note_field="decision_note",
            note_required=_("未入选须说明理由，理由将告知提出单位。"),
            button_class="danger",
            done_message=_("项目建议未入选，理由已告知提出单位。"),
            record_label="未入选",
        ),
        Move(
            "merge",
            pgettext_lazy("proposal move", "合并"),
            OPEN,
            ProposalStatus.MERGED,
            Actor.OFFICE,
            needs_target=True,
            note_field="decision_note",
            done_message=_("项目建议已合并。"),
            record_label="合并",
        ),
        Move(
            "to_unit",
            pgettext_lazy("proposal move", "转为单位自主项目"),
            OPEN,
            ProposalStatus.UNIT_OWN,
            Actor.OFFICE,
            project_tier=ProjectTier.UNIT,
            note_field="decision_note",
            done_message=_("项目建议已转为单位自主项目，并已列入年度改革计划。"),
            record_label="转为单位自主项目",
        ),
    )
}

# The texts a proposal must have before it is submitted, and the project field each
# becomes when it is selected.
TEXTS = {
    "background": "problem",
    "content": "content",
    "highlights": "innovation",
    "outcomes": "goals",
}
MAKES_PROJECT = [m.target for m in MOVES.values() if m.project_tier]
