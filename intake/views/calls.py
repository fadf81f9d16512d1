"""Calls for proposals: where each role starts, the list of calls, a new call, a call's page
(its window, units and the proposals the user may see) and its edit page."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from projects.versioning import EditConflict, save_with_version

from ..access import call_manager, get_call_for_user, intake_reader
from ..choices import ProposalStatus
from ..forms import CallEditForm, CallForm
from ..models import Call, Proposal
from ..roles import is_outside_expert, may_open_calls


@require_GET
def start(request):
    """Where sign-in leads: an outside expert to their reviews, everyone else to the
    dashboard."""
    if is_outside_expert(request.user):
        return redirect("intake:review_list")
    return redirect("home")


@intake_reader
@require_GET
def call_list(request):
    received = Q(proposals__submitted_at__isnull=False)
    calls = Call.objects.select_related("plan").annotate(
        received=Count("proposals", filter=received),
        selected=Count("proposals", filter=Q(proposals__status=ProposalStatus.SELECTED)),
    )
    context = {
        "calls": calls,
        "today": timezone.localdate(),
        "can_open": may_open_calls(request.user),
    }
    return render(request, "intake/call_list.html", context)


@call_manager
@require_http_methods(["GET", "POST"])
def call_new(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = form.save(commit=False)
        call.created_by = request.user
        call.save()
        form.save_m2m()
        messages.success(request, _("已发起%(call)s。") % {"call": call})
        return redirect(call)
    status = 400 if form.is_bound else 200
    return render(request, "intake/call_form.html", {"form": form}, status=status)


@require_GET
def call_detail(request, year):
    call = get_call_for_user(request, year)
    proposals = Proposal.objects.filter(call=call).visible_to(request.user).for_list()
    context = {
        "call": call,
        "units": call.units.all(),
        "proposals": proposals,
        "can_manage": call.can_manage(request.user),
        "can_propose": call.can_propose(request.user),
        "is_open": call.is_open(),
    }
    return render(request, "intake/call_detail.html", context)


@require_http_methods(["GET", "POST"])
def call_edit(request, year):
    call = get_call_for_user(request, year, need="manage")
    error = None
    if request.method == "POST":
        form = CallEditForm(request.POST, instance=call)
        if form.is_valid():
            try:
                save_with_version(call, form.cleaned_data["version"], save=form.save)
            except EditConflict:
                error = _("征集信息已被他人更新，请核对后再保存。")
            else:
                messages.success(request, _("征集信息已保存。"))
                return redirect(call)
    else:
        form = CallEditForm(instance=call, initial={"version": call.version})
    status = 409 if error else (400 if form.is_bound else 200)
    context = {"form": form, "call": call, "error": error}
    return render(request, "intake/call_form.html", context, status=status)
