"""One proposal's pages: a new draft, its page (texts, status and the moves the user may
make, experts and scores, field research, linked suggestions, history), its edit page, and
the forms on its page (a move, experts, field research) and selection into the plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.versioning import EditConflict

from .. import services
from ..access import get_call_for_user, get_proposal_for_user
from ..forms import (
    ExpertsForm,
    FieldVisitForm,
    MoveForm,
    ProposalEditForm,
    ProposalForm,
    ReviewForm,
    SelectForm,
)
from ..models import MOVES, TEXTS
from ..scores import score_sheet

STALE = _("该项目建议已被他人更新，请核对后再操作。")


def _error(exc):
    return " ".join(exc.messages)


def _proposal_page(request, proposal, *, forms=None, error=None, status=200):
    user = request.user
    forms = forms or {}
    can_decide = proposal.can_decide(user)
    reviews = list(proposal.reviews.select_related("expert"))
    initial = {"version": proposal.version}
    moves = proposal.available_moves(user)
    my_review = next((r for r in reviews if r.expert_id == user.pk), None)
    context = {
        "proposal": proposal,
        "texts": [
            (proposal._meta.get_field(name).verbose_name, getattr(proposal, name)) for name in TEXTS
        ],
        "participating": proposal.participating_units.all(),
        "moves": [m for m in moves if not m.project_tier],
        "project_moves": [m for m in moves if m.project_tier],
        "move_form": forms.get("move") or MoveForm(initial=initial, proposal=proposal),
        "can_edit": proposal.can_edit(user),
        "can_decide": can_decide,
        "shows_reviews": proposal.shows_reviews_to(user),
        "sheet": score_sheet(reviews, _("总分")),
        "my_review": my_review,
        "review_form": forms.get("review")
        or (ReviewForm(instance=my_review) if my_review and proposal.can_review(user) else None),
        "experts_form": forms.get("experts")
        or (
            ExpertsForm(initial={**initial, "experts": [r.expert_id for r in reviews]})
            if can_decide and proposal.takes_experts
            else None
        ),
        "visits": proposal.visits.select_related("recorded_by"),
        "visit_form": forms.get("visit") or (FieldVisitForm() if can_decide else None),
        "suggestions": proposal.suggestions.order_by("received_at"),
        "merged": proposal.merged.select_related("unit"),
        "history": proposal.history.select_related("history_user")
        if proposal.shows_history_to(user)
        else None,
        "error": error,
    }
    return render(request, "intake/proposal_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def proposal_new(request, year):
    call = get_call_for_user(request, year, need="propose")
    for_office = call.can_manage(request.user)
    form = ProposalForm(request.POST or None, call=call, for_office=for_office)
    if request.method == "POST" and form.is_valid():
        proposal = services.create_proposal(call, request.user, form)
        messages.success(request, _("草稿已保存。检查无误后请点击“提交”。"))
        return redirect(proposal)
    status = 400 if form.is_bound else 200
    return render(request, "intake/proposal_form.html", {"form": form, "call": call}, status=status)


@require_GET
def proposal_detail(request, pk):
    return _proposal_page(request, get_proposal_for_user(request, pk))


@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = get_proposal_for_user(request, pk, need="edit")
    call, error = proposal.call, None
    if request.method == "POST":
        form = ProposalEditForm(request.POST, instance=proposal, call=call)
        if form.is_valid():
            try:
                services.save_draft(proposal, request.user, form)
            except EditConflict:
                error = STALE
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect(proposal)
    else:
        form = ProposalEditForm(instance=proposal, call=call, initial={"version": proposal.version})
    status = 409 if error else (400 if form.is_bound else 200)
    context = {"form": form, "call": call, "proposal": proposal, "error": error}
    return render(request, "intake/proposal_form.html", context, status=status)


@require_POST
def proposal_move(request, pk):
    proposal = get_proposal_for_user(request, pk)
    form = MoveForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return _proposal_page(request, proposal, forms={"move": form}, status=400)
    data = form.cleaned_data
    try:
        move = services.move_proposal(
            proposal, request.user, data["action"], data["version"], data["note"], data["target"]
        )
    except EditConflict:
        proposal.refresh_from_db()
        return _proposal_page(request, proposal, error=STALE, status=409)
    except ValidationError as exc:
        proposal.refresh_from_db()
        return _proposal_page(
            request, proposal, forms={"move": form}, error=_error(exc), status=400
        )
    messages.success(request, move.done_message)
    return redirect(proposal)


@require_POST
def proposal_experts(request, pk):
    proposal = get_proposal_for_user(request, pk, need="decide")
    form = ExpertsForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, forms={"experts": form}, status=400)
    data = form.cleaned_data
    try:
        services.assign_experts(proposal, request.user, data["experts"], data["version"])
    except EditConflict:
        proposal.refresh_from_db()
        return _proposal_page(request, proposal, error=STALE, status=409)
    except ValidationError as exc:
        proposal.refresh_from_db()
        return _proposal_page(
            request, proposal, forms={"experts": form}, error=_error(exc), status=400
        )
    messages.success(request, _("评审专家已更新。"))
    return redirect(proposal)


@require_POST
def proposal_visit(request, pk):
    proposal = get_proposal_for_user(request, pk, need="decide")
    form = FieldVisitForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, forms={"visit": form}, status=400)
    services.add_visit(proposal, request.user, form)
    messages.success(request, _("实地调研记录已保存。"))
    return redirect(proposal)


@require_http_methods(["GET", "POST"])
def proposal_select(request, pk, action):
    proposal = get_proposal_for_user(request, pk, need="decide")
    move = MOVES.get(action)
    if move is None or not move.project_tier:
        raise Http404("no such move")
    plan, error = proposal.call.plan, None
    if request.method == "POST":
        form = SelectForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                project = services.select_into_plan(
                    proposal, request.user, action, form.cleaned_data, form.cleaned_data["version"]
                )
            except EditConflict:
                proposal.refresh_from_db()
                error = STALE
            except ValidationError as exc:
                proposal.refresh_from_db()
                error = _error(exc)
            else:
                messages.success(request, move.done_message)
                return redirect(project)
    else:
        initial = {
            "version": proposal.version,
            "title": proposal.title,
            "number": services.next_project_number(plan),
        }
        form = SelectForm(initial=initial, plan=plan)
    context = {
        "proposal": proposal,
        "move": move,
        "plan": plan,
        "form": form,
        "error": error,
        "texts": [
            (proposal._meta.get_field(name).verbose_name, getattr(proposal, name)) for name in TEXTS
        ],
        "participating": proposal.participating_units.all(),
    }
    status = 400 if (form.is_bound or error) else 200
    return render(request, "intake/proposal_select.html", context, status=status)
