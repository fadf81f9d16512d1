"""One access helper per object type: ``get_<thing>_for_user(request, …, need=…)`` returns
the object or raises Http404 (no such object, or one an outside expert may not know of) or
PermissionDenied (with the model's own message). Views ask these and hold no permission
checks of their own."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from .models import Call, Proposal, Suggestion


def get_call_for_user(request, year, *, need="read"):
    """The call for the ``year`` plan (``read``, ``manage`` or ``propose``)."""
    call = get_object_or_404(Call.objects.select_related("plan"), plan__year=year)
    call.require(request.user, need)
    return call


def get_proposal_for_user(request, pk, *, need="read", queryset=None):
    """A proposal the user may ``need`` (``read``, ``edit``, ``decide`` or ``review``). An
    outside expert asking for one not assigned to them gets 404, as if it did not exist."""
    queryset = queryset if queryset is not None else Proposal.objects.all()
    proposal = get_object_or_404(
        queryset.select_related("call__plan", "unit", "suggested_leader", "project__plan"),
        pk=pk,
    )
    user = request.user
    if not proposal.can_read(user) and proposal.conceals_from(user):
        raise Http404("no such proposal")
    proposal.require(user, "read")
    if need != "read":
        proposal.require(user, need)
    return proposal


def get_suggestion_for_user(request, pk, *, need="read"):
    """A public suggestion, for the office (``read`` or ``moderate``)."""
    suggestion = get_object_or_404(
        Suggestion.objects.with_public_status().select_related("call__plan", "duplicate_of"),
        pk=pk,
    )
    suggestion.require(request.user, need)
    return suggestion


def permission_required(perm, message):
    """For pages over many intake rows: ``perm`` or 403 with ``message``."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


NO_INTAKE = gettext_lazy("您的账号没有查看项目征集的权限。")
NO_BOARD = gettext_lazy("只有区委改革办和区领导可以查看评审排名。")
NO_SUGGESTIONS = gettext_lazy("只有区委改革办可以查看和处理群众建议。")
NO_REVIEWS = gettext_lazy("只有评审专家有“我的评审”。")
NO_CALL = gettext_lazy("只有区委改革办可以组织项目征集。")

intake_reader = permission_required("intake.view_call", NO_INTAKE)
board_reader = permission_required("intake.view_proposal", NO_BOARD)
suggestion_reader = permission_required("intake.view_suggestion", NO_SUGGESTIONS)
expert_required = permission_required("intake.review_assigned", NO_REVIEWS)
call_manager = permission_required("intake.manage_intake", NO_CALL)
