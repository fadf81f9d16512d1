"""The leaders' record (四个亲自): recording an action (on a project or on the whole
plan), a plan's matrix with every action, and the project page's list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import leaders
from ..leaderforms import LeaderActionForm
from .common import PAGE_SIZE


def action_section(project, user):
    """What the project page's 四个亲自 section needs."""
    return {
        "leader_actions": leaders.with_units(
            leaders.listed(project.leader_actions.all()),
            leaders.unit_links(leaderaction__project=project),
        ),
        "can_record_action": leaders.new_action(user, project.plan, project).allows(user, "record"),
    }


@require_http_methods(["GET", "POST"])
def action_new(request, year, number=None):
    action = leaders.get_new_action_for_user(request, year, number)
    own = not action.can_record_for_others(request.user)
    data = request.POST if request.method == "POST" else None
    form = LeaderActionForm(data, instance=action, own=own)
    if form.is_bound and form.is_valid():
        try:
            saved = leaders.record_action(
                form.save(commit=False), request.user, form.cleaned_data["units"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("已录入：%(official)s · %(kind)s")
                % {"official": saved.official.name, "kind": saved.get_kind_display()},
            )
            if saved.project is not None:
                return redirect(saved.project)
            return redirect("leader_matrix", year=saved.plan.year)
    context = {"form": form, "action": action, "plan": action.plan, "project": action.project}
    return render(
        request, "projects/leader_action_form.html", context, status=400 if form.is_bound else 200
    )


@require_GET
def leader_matrix(request, year):
    plan = leaders.get_actions_plan_for_user(request, year)
    newest = plan.leader_actions.order_by(F("done_on").desc(nulls_last=True), "-pk")
    page = Paginator(leaders.listed(newest), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = leaders.with_units(
        page.object_list, leaders.unit_links(leaderaction__plan=plan)
    )
    context = {
        "plan": plan,
        "matrix": leaders.plan_matrix(plan),
        "page": page,
        "can_record": leaders.new_action(request.user, plan).allows(request.user, "record"),
        "today": timezone.localdate(),
    }
    return render(request, "projects/leader_matrix.html", context)
