"""Changes to proposals under the rules: drafts, the moves of ``MOVES``, experts and their
reviews, field research, selection into the plan, and the office's handling of public
suggestions.

Each function refuses with PermissionDenied or ValidationError (a broken rule, with its
message) and then saves nothing; a stale version raises EditConflict.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import planning
from projects.models import Project
from projects.versioning import save_with_version

from .choices import ProposalStatus, Record
from .models import MOVES, TEXTS, Proposal, Review

REASON_LIMIT = 100  # django-simple-history's change reason


def _reason(label, note=""):
    note = " ".join((note or "").split())
    return (f"{label}：{note}" if note else label)[:REASON_LIMIT]


def create_proposal(call, user, form):
    """A new draft for ``call`` from a valid ProposalForm. A liaison proposes for their own
    unit; the office names the unit (a proposal that came on paper)."""
    call.require(user, "propose")
    proposal = form.save(commit=False)
    proposal.call = call
    proposal.created_by = user
    if "unit" not in form.fields:
        proposal.unit_id = user.unit_id
    proposal._change_reason = Record.CREATED
    with transaction.atomic():
        proposal.save()
        form.save_m2m()
    return proposal


def save_draft(proposal, user, form):
    """Save an edit of a draft (a valid versioned ProposalForm)."""
    proposal.require(user, "edit")
    return save_with_version(
        proposal, form.cleaned_data["version"], reason=Record.EDITED, save=form.save
    )


def _move(action):
    move = MOVES.get(action)
    if move is None or move.automatic:
        raise ValidationError(_("未知的操作。"))
    return move


def _require_move(proposal, user, move):
    if not move.allowed_for(proposal, user):
        need = "edit" if move.actor == "proposer" else "decide"
        raise PermissionDenied(proposal.refusal(need))


def _finished_reviews(proposal):
    return proposal.reviews.filter(finished_at__isnull=False).count()


def move_proposal(proposal, user, action, expected_version, note="", target=None):
    """Make one move of ``MOVES`` by hand (those that make a project go through
    ``select_into_plan``)."""
    move = _move(action)
    if move.project_tier:
        raise ValidationError(_("入选或转为单位自主项目须在遴选页面确定项目序号和名称。"))
    _require_move(proposal, user, move)
    with transaction.atomic():
        proposal.apply(move, note, target=target)
        save_with_version(proposal, expected_version, reason=_reason(move.record_label, note))
    return move


def assign_experts(proposal, user, experts, expected_version):
    """Make ``experts`` the proposal's reviewers; the first assignment sends a submitted
    proposal to review (the ``review`` move). An expert who has finished stays."""
    proposal.require(user, "decide")
    if not proposal.takes_experts:
        raise ValidationError(_("只有已提交或专家评审中的项目建议可以分配评审专家。"))
    wanted = {expert.pk: expert for expert in experts}
    with transaction.atomic():
        current = {r.expert_id: r for r in proposal.reviews.select_related("expert")}
        dropped = [r for pk, r in current.items() if pk not in wanted]
        finished = [str(r.expert) for r in dropped if r.is_finished]
        if finished:
            raise ValidationError(
                _("已完成评审的专家不能取消：%(names)s。") % {"names": "、".join(finished)}
            )
        if not wanted:
            raise ValidationError(_("请至少选择一位评审专家。"))
        Review.objects.filter(pk__in=[r.pk for r in dropped]).delete()
        Review.objects.bulk_create(
            Review(proposal=proposal, expert=e) for pk, e in wanted.items() if pk not in current
        )
        names = "、".join(str(e) for e in wanted.values())
        reason = _reason(Record.EXPERTS, names)
        if proposal.status == ProposalStatus.SUBMITTED:
            proposal.apply(MOVES["review"])
            reason = _reason(MOVES["review"].record_label, names)
        save_with_version(proposal, expected_version, reason=reason)


def save_review(proposal, user, form):
    """An assigned expert's scores, comment and recommendation (a valid ReviewForm on the
    expert's Review row); they may revise while the proposal is under review."""
    proposal.require(user, "review")
    review = form.save(commit=False)
    if review.proposal_id != proposal.pk or review.expert_id != user.pk:
        raise PermissionDenied(proposal.refusal("review"))
    review.finished_at = timezone.now()
    review.save()
    return review


def add_visit(proposal, user, form):
    """Record field research (实地调研) for the proposal (a valid FieldVisitForm)."""
    proposal.require(user, "decide")
    visit = form.save(commit=False)
    visit.proposal = proposal
    visit.recorded_by = user
    visit.save()
    return visit


def source_note(proposal):
    """What the new project's 资料说明 says of where it came from (data, in Chinese)."""
    return f"由{proposal.call}转入：{proposal.unit}提出的项目建议「{proposal.title}」。"


def select_into_plan(proposal, user, action, cleaned, expected_version):
    """入选 (a 区重点 project) or 转为单位自主项目 (a 单位自主 project): the proposal becomes a
    project of its plan through ``projects.planning.add_project`` (a draft plan takes it as
    it is; an approved one needs ``cleaned["reason"]``, recorded as 计划调整). Its texts, the
    suggested leader, the unit and the participating units are carried over; the proposal
    keeps a link to the project. All or nothing."""
    move = MOVES.get(action)
    if move is None or not move.project_tier:
        raise ValidationError(_("未知的操作。"))
    _require_move(proposal, user, move)
    note = cleaned.get("note", "")
    with transaction.atomic():
        proposal.apply(move, note, finished_reviews=_finished_reviews(proposal))
        project = Project(
            number=cleaned["number"],
            title=cleaned["title"],
            domain=proposal.domain,
            tier=move.project_tier,
            lead_official=proposal.suggested_leader,
            lead_unit=proposal.unit,
            source_note=source_note(proposal),
            **{field: getattr(proposal, text) for text, field in TEXTS.items()},
        )
        try:
            planning.add_project(proposal.call.plan, user, project, cleaned.get("reason", ""))
        except IntegrityError as exc:
            raise ValidationError(_("该序号已被计划中的其他项目占用，请换一个序号。")) from exc
        project.participating_units.set(proposal.participating_units.all())
        proposal.project = project
        save_with_version(proposal, expected_version, reason=_reason(move.record_label, note))
    return project


def next_project_number(plan):
    last = plan.projects.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def moderate(suggestion, user, form):
    """The office's handling of a public suggestion (a valid versioned ModerationForm): its
    domain, duplicate or spam, the public reply and the proposals it fed."""
    suggestion.require(user, "moderate")
    instance = form.instance
    if "public_reply" in form.changed_data:
        instance.replied_at = timezone.now() if instance.public_reply else None
    return save_with_version(
        instance, form.cleaned_data["version"], reason=Record.MODERATED, save=form.save
    )


def proposals_for_linking(suggestion):
    """The proposals a suggestion may be linked to: submitted ones of its call, or of every
    call when it has none."""
    proposals = Proposal.objects.exclude(status=ProposalStatus.DRAFT).select_related("unit")
    if suggestion.call_id:
        proposals = proposals.filter(call_id=suggestion.call_id)
    return proposals.order_by("call", "pk")
