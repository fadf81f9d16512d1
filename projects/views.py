"""Plain function views. Each loads its object through one access helper, checks the
permission the model method states, and leaves rules to models, forms and services."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from units.models import Official, Unit

from . import exports, services, stats
from .filters import ProjectFilter
from .forms import (
    CheckpointActionForm,
    CheckpointScheduleForm,
    FollowUpForm,
    InstructionForm,
    ProgressUpdateEditForm,
    ProgressUpdateForm,
    ProjectForm,
)
from .history import checkpoint_history, project_history
from .models import Checkpoint, GateKind, Instruction, ProgressUpdate, Project, ReformPlan


def _get_project_for_user(user, year, number, queryset=None):
    """The project numbered ``number`` in the ``year`` plan. Every signed-in user may read
    every project; what they may change is asked of the project itself."""
    queryset = queryset if queryset is not None else Project.objects.select_related("plan")
    return get_object_or_404(queryset, plan__year=year, number=number)


def _get_checkpoint_for_user(user, year, number, kind):
    if kind not in GateKind.values:
        raise Http404("no such checkpoint")
    return get_object_or_404(
        Checkpoint.objects.select_related("project__plan", "project__lead_unit"),
        project__plan__year=year,
        project__number=number,
        kind=kind,
    )


def _rebase(form, current):
    """After a conflict, keep the user's input but let a resubmission apply on top of
    the version now stored (they have now seen it)."""
    form.data = form.data.copy()
    form.data["version"] = current.version


def _versioned_edit(request, form_class, instance, save, success, template, context):
    """The edit pages' shared flow: show the form at the stored version; on POST validate,
    ``save(form)`` (which raises EditConflict when someone saved in between) and redirect;
    otherwise re-render with 400 (invalid input) or 409 (conflict, showing what is stored)."""
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                save(form)
            except services.EditConflict as exc:
                conflict = exc.current
                _rebase(form, conflict)
            else:
                messages.success(request, success)
                return redirect(context["project"])
    else:
        form = form_class(instance=instance, initial={"version": instance.version})
    status = 409 if conflict else (400 if form.is_bound else 200)
    context = {**context, "form": form, "conflict": conflict}
    return render(request, template, context, status=status)


def _get_update_for_user(user, pk):
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("project__plan", "author"), pk=pk
    )
    if not update.can_edit(user):
        raise PermissionDenied(_("只有填报人和区委改革办可以修改这条进展报告。"))
    return update


def _get_instruction_for_user(user, pk):
    instruction = get_object_or_404(
        Instruction.objects.select_related("project__plan", "official", "author"), pk=pk
    )
    if not instruction.project.can_follow_up_instructions(user):
        raise PermissionDenied(_("您没有权限登记该批示的落实情况。"))
    return instruction


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for the load balancer; says nothing about the setup."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _select_plan(request):
    """The plans and the one chosen by ``?year=``; by default the newest real plan."""
    plans = list(ReformPlan.objects.all())
    year = request.GET.get("year", "")
    chosen = next((p for p in plans if str(p.year) == year), None)
    if chosen is None:
        chosen = next((p for p in plans if not p.synthetic), plans[0] if plans else None)
    return plans, chosen


PAGE_SIZE = 50


@require_GET
def dashboard(request):
    plans, plan = _select_plan(request)
    if plan is None:
        return render(request, "projects/no_plan.html")
    projects = Project.objects.for_portfolio().filter(plan=plan)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = None
    if request.user.has_own_projects:
        mine = Project.objects.for_portfolio().filter(plan=plan).mine(request.user)[:20]
    open_instructions = (
        Instruction.objects.open()
        .filter(project__plan=plan)
        .select_related("project__plan", "official")[:8]
    )
    return render(
        request,
        "projects/dashboard.html",
        {
            "plan": plan,
            "plans": plans,
            "figures": stats.plan_figures(plan),
            "page": page,
            "mine": mine,
            "activity": stats.recent_activity(plan),
            "open_instructions": open_instructions,
            "today": timezone.localdate(),
        },
    )


def _filtered_projects(request, plan, queryset):
    return ProjectFilter(
        request.GET, queryset=queryset.filter(plan=plan), request=request, user=request.user
    )


@require_GET
def project_list(request):
    plans, plan = _select_plan(request)
    if plan is None:
        return render(request, "projects/no_plan.html")
    project_filter = _filtered_projects(request, plan, Project.objects.for_portfolio())
    page = Paginator(project_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "plan": plan,
            "plans": plans,
            "filter": project_filter,
            "page": page,
            "today": timezone.localdate(),
        },
        status=400 if project_filter.errors else 200,
    )


@require_GET
def project_export(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown format")
    _plans, plan = _select_plan(request)
    if plan is None:
        raise Http404("no plan")
    project_filter = _filtered_projects(request, plan, Project.objects.for_export())
    if project_filter.errors:
        return HttpResponse(
            _("筛选条件有误，未导出。"), status=400, content_type="text/plain; charset=utf-8"
        )
    projects = project_filter.qs
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(projects), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(projects, plan),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(plan, fmt)}"'
    return response


@require_GET
def unit_detail(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    projects = (
        Project.objects.for_portfolio().involving_unit(unit).order_by("-plan__year", "number")
    )
    return render(
        request,
        "projects/owner_detail.html",
        {"owner": unit, "kind": "unit", "projects": projects, "today": timezone.localdate()},
    )


@require_GET
def official_detail(request, pk):
    official = get_object_or_404(Official, pk=pk)
    projects = (
        Project.objects.for_portfolio()
        .filter(lead_official=official)
        .order_by("-plan__year", "number")
    )
    return render(
        request,
        "projects/owner_detail.html",
        {
            "owner": official,
            "kind": "official",
            "projects": projects,
            "today": timezone.localdate(),
        },
    )


def _project_page(request, project, *, update_form=None, instruction_form=None, status=200):
    user = request.user
    can_report = project.can_report(user)
    can_instruct = project.can_write_instruction(user)
    context = {
        "project": project,
        "can_report": can_report,
        "can_edit": project.can_edit(user),
        "can_instruct": can_instruct,
        "can_follow_up": project.can_follow_up_instructions(user),
        "update_form": update_form or (ProgressUpdateForm() if can_report else None),
        "instruction_form": instruction_form or (InstructionForm() if can_instruct else None),
        "history": project_history(project),
        "editable_updates": {u.pk for u in project.updates.all() if u.can_edit(user)},
        "today": timezone.localdate(),
    }
    return render(request, "projects/project_detail.html", context, status=status)


@require_GET
def project_detail(request, year, number):
    project = _get_project_for_user(request.user, year, number, Project.objects.for_detail())
    return _project_page(request, project)


@require_POST
def add_update(request, year, number):
    project = _get_project_for_user(request.user, year, number, Project.objects.for_detail())
    if not project.can_report(request.user):
        raise PermissionDenied(_("您所在单位不是该项目的牵头或参与单位，不能填报进展。"))
    form = ProgressUpdateForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, update_form=form, status=400)
    update = form.save(commit=False)
    update.project = project
    update.author = request.user
    update.save()
    messages.success(request, _("进展报告已保存。"))
    return redirect(project)


@require_http_methods(["GET", "POST"])
def edit_update(request, pk):
    update = _get_update_for_user(request.user, pk)
    return _versioned_edit(
        request,
        ProgressUpdateEditForm,
        update,
        lambda form: services.save_with_version(form.instance, form.cleaned_data["version"]),
        _("进展报告已修改。"),
        "projects/update_edit.html",
        {"update": update, "project": update.project},
    )


@require_http_methods(["GET", "POST"])
def edit_project(request, year, number):
    project = _get_project_for_user(request.user, year, number)
    if not project.can_edit(request.user):
        raise PermissionDenied(_("只有区委改革办可以修改项目信息。"))
    return _versioned_edit(
        request,
        ProjectForm,
        project,
        lambda form: services.save_with_version(
            form.instance, form.cleaned_data["version"], save=form.save
        ),
        _("项目信息已保存。"),
        "projects/project_edit.html",
        {"project": project},
    )


@require_http_methods(["GET", "POST"])
def checkpoint_detail(request, year, number, kind):
    checkpoint = _get_checkpoint_for_user(request.user, year, number, kind)
    project = checkpoint.project
    allowed = services.allowed_checkpoint_actions(project, request.user)
    action_form = CheckpointActionForm(initial={"version": checkpoint.version})
    schedule_form = CheckpointScheduleForm(
        instance=checkpoint, initial={"version": checkpoint.version}
    )
    conflict, error, status = None, None, 200
    if request.method == "POST":
        if request.POST.get("form") == "schedule":
            if not project.can_edit(request.user):
                raise PermissionDenied(_("只有区委改革办可以调整计划完成日期。"))
            schedule_form = CheckpointScheduleForm(request.POST, instance=checkpoint)
            if schedule_form.is_valid():
                try:
                    services.save_with_version(
                        schedule_form.instance,
                        schedule_form.cleaned_data["version"],
                        reason="调整计划完成日期",
                    )
                except services.EditConflict as exc:
                    conflict = exc.current
                    _rebase(schedule_form, conflict)
                else:
                    messages.success(request, _("计划完成日期已保存。"))
                    return redirect(checkpoint)
        else:
            if not allowed:  # who may decide is settled before what they sent is looked at
                raise PermissionDenied(_("您没有权限对该关口执行此操作。"))
            action_form = CheckpointActionForm(request.POST)
            if action_form.is_valid():
                data = action_form.cleaned_data
                try:
                    services.decide_checkpoint(
                        checkpoint, request.user, data["action"], data["note"], data["version"]
                    )
                except services.EditConflict as exc:
                    conflict = exc.current
                    _rebase(action_form, conflict)
                except ValidationError as exc:
                    error = " ".join(exc.messages)
                else:
                    messages.success(
                        request, _("「%(gate)s」已更新。") % {"gate": checkpoint.get_kind_display()}
                    )
                    return redirect(checkpoint)
        status = 409 if conflict else 400
        checkpoint.refresh_from_db()
    siblings = list(project.checkpoints.all())
    return render(
        request,
        "projects/checkpoint_detail.html",
        {
            "checkpoint": checkpoint,
            "project": project,
            "siblings": siblings,
            "allowed": allowed,
            "action_form": action_form,
            "schedule_form": schedule_form,
            "can_schedule": project.can_edit(request.user),
            "conflict": conflict,
            "error": error,
            "history": checkpoint_history(checkpoint),
        },
        status=status,
    )


@require_POST
def add_instruction(request, year, number):
    project = _get_project_for_user(request.user, year, number, Project.objects.for_detail())
    if not project.can_write_instruction(request.user):
        raise PermissionDenied(_("只有区领导可以作出批示。"))
    form = InstructionForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, instruction_form=form, status=400)
    instruction = form.save(commit=False)
    instruction.project = project
    instruction.author = request.user
    instruction.official = getattr(request.user, "official", None)
    instruction.save()
    messages.success(request, _("批示已保存，等待落实。"))
    return redirect(project)


@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    instruction = _get_instruction_for_user(request.user, pk)
    return _versioned_edit(
        request,
        FollowUpForm,
        instruction,
        lambda form: services.follow_up_instruction(
            instruction,
            request.user,
            form.cleaned_data["follow_up"],
            form.cleaned_data["followed_up_on"],
            form.cleaned_data["version"],
        ),
        _("批示落实情况已登记。"),
        "projects/follow_up.html",
        {"instruction": instruction, "project": instruction.project},
    )


def _plan_fixtures():
    """The plan fixtures an admin may load: fixtures/plan_*.json."""
    folder = Path(settings.BASE_DIR) / "fixtures"
    return sorted(p.stem for p in folder.glob("plan_*.json"))


@permission_required("projects.load_plan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def load_plan(request):
    fixtures = _plan_fixtures()
    error, status = None, 200
    if request.method == "POST":
        name = request.POST.get("fixture", "")
        if name not in fixtures:
            error, status = _("请选择要载入的改革计划。"), 400
        else:
            try:
                services.load_plan_fixture(name)
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
