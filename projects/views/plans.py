"""A year's plan: the list of plans, a new plan, its page (status and steps, the meeting
that approved it, counts, projects, 计划调整, history), its edit page, a new project, and
loading a plan file (管理员)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import planning
from ..access import get_plan_for_user, reader_required
from ..choices import ProjectStanding, ProjectTier
from ..history import plan_history
from ..models import PlanAdjustment, ReformPlan
from ..planfiles import BROWSER_LIMIT, load_plan_fixture, plan_fixtures
from ..planforms import PlanEditForm, PlanForm, PlanStepForm, ProjectCreateForm
from ..versioning import EditConflict, save_with_version
from .common import versioned_edit


@reader_required
@require_GET
def plan_list(request):
    plans = ReformPlan.objects.annotate(
        project_count=Count("projects", filter=~Q(projects__standing=ProjectStanding.WITHDRAWN))
    )
    can_add = request.user.has_perm("projects.add_reformplan")
    return render(request, "projects/plan_list.html", {"plans": plans, "can_add": can_add})


@permission_required("projects.add_reformplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_new(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = planning.create_plan(request.user, form.save(commit=False))
        messages.success(request, _("已新建 %(year)s 年度改革计划（起草）。") % {"year": plan.year})
        return redirect(plan)
    status = 400 if form.is_bound else 200
    return render(request, "projects/plan_form.html", {"form": form}, status=status)


def _plan_page(request, plan, *, step_form=None, error=None, status=200):
    projects = plan.projects.select_related("lead_official", "lead_unit").order_by("number")
    counts = plan.projects.aggregate(
        **{s: Count("pk", filter=Q(standing=s)) for s in ProjectStanding.values},
        **{
            tier: Count("pk", filter=Q(tier=tier) & ~Q(standing=ProjectStanding.WITHDRAWN))
            for tier in ProjectTier.values
        },
    )
    context = {
        "plan": plan,
        "projects": projects,
        "counts": counts,
        "tiers": [(t.label, counts[t.value]) for t in ProjectTier],
        "steps": plan.available_steps(request.user),
        "step_form": step_form or PlanStepForm(initial={"version": plan.version}),
        "error": error,
        "can_manage": plan.can_manage(request.user),
        "decisions": plan.decisions.shown(),
        "adjustments": PlanAdjustment.objects.filter(plan=plan).select_related(
            "project__plan", "made_by"
        ),
        "history": plan_history(plan),
    }
    return render(request, "projects/plan_detail.html", context, status=status)


@require_GET
def plan_detail(request, year):
    return _plan_page(request, get_plan_for_user(request, year))


@require_POST
def plan_step(request, year):
    plan = get_plan_for_user(request, year, need="manage")
    form = PlanStepForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, step_form=form, status=400)
    try:
        step = planning.move_plan(
            plan, request.user, form.cleaned_data["action"], form.cleaned_data["version"]
        )
    except EditConflict:
        plan.refresh_from_db()
        error = _("计划已被他人更新，请核对后再操作。")
        return _plan_page(request, plan, error=error, status=409)
    except ValidationError as exc:
        plan.refresh_from_db()
        return _plan_page(request, plan, error=" ".join(exc.messages), status=400)
    messages.success(request, step.done_message)
    return redirect(plan)


@require_http_methods(["GET", "POST"])
def plan_edit(request, year):
    plan = get_plan_for_user(request, year, need="manage")
    return versioned_edit(
        request,
        PlanEditForm,
        plan,
        lambda form: save_with_version(form.instance, form.cleaned_data["version"]),
        _("计划信息已保存。"),
        "projects/plan_edit.html",
        {"plan": plan, "back": plan},
    )


@require_http_methods(["GET", "POST"])
def project_new(request, year):
    plan = get_plan_for_user(request, year, need="manage")
    form = ProjectCreateForm(request.POST or None, plan=plan)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            project = planning.add_project(
                plan, request.user, form.save(commit=False), form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            form.save_m2m()
            messages.success(request, _("已新增项目：%(title)s") % {"title": project.heading})
            return redirect(project)
    status = 400 if form.is_bound else 200
    context = {"plan": plan, "form": form, "error": error}
    return render(request, "projects/project_new.html", context, status=status)


@permission_required("projects.load_plan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def load_plan(request):
    fixtures = plan_fixtures()
    error, status = None, 200
    if request.method == "POST":
        name = request.POST.get("fixture", "")
        if name not in fixtures:
            error, status = _("请选择要载入的改革计划。"), 400
        else:
            try:
                load_plan_fixture(name, project_limit=BROWSER_LIMIT)
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                messages.success(request, _("改革计划 %(name)s 已载入。") % {"name": name})
                return redirect("home")
    plans = ReformPlan.objects.annotate(project_count=Count("projects"))
    return render(
        request,
        "projects/load_plan.html",
        {"fixtures": fixtures, "plans": plans, "error": error},
        status=status,
    )
