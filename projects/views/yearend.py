"""The year's end: a project's 销号 page (apply; the office closes or returns), its year-end
assessment, and the plan's year-end page (carry over or stop each unfinished project, the
units' year, closing the year)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import closing, planning
from ..access import (
    get_assessment_for_user,
    get_closeout_for_user,
    get_plan_for_user,
    get_project_for_user,
)
from ..choices import Grade, PlanStatus
from ..closingforms import (
    AssessmentForm,
    CloseoutApplyForm,
    CloseoutReviewForm,
    YearEndDecisionForm,
)
from ..models import CLOSEOUT_STEPS, Project
from ..planforms import PlanStepForm
from ..services import AlreadySubmitted
from ..versioning import EditConflict


def _closeout_page(request, project, *, apply_form=None, review_form=None, error=None, status=200):
    user = request.user
    applications = list(
        project.closeouts.select_related("applied_by", "reviewed_by").order_by("-pk")
    )
    newest = applications[0] if applications else None
    may_apply = project.can_apply_closeout(user) and (newest.state if newest else None) in (
        CLOSEOUT_STEPS["apply"].sources
    )
    steps = newest.available_steps(user) if newest else []
    context = {
        "project": project,
        "applications": applications,
        "newest": newest,
        "outcome_passed": closing.outcome_passed(project),
        "apply_form": apply_form or (CloseoutApplyForm() if may_apply else None),
        "steps": steps,
        "review_form": review_form
        or (CloseoutReviewForm(initial={"version": newest.version}) if steps else None),
        "error": error,
        # HOOK(evidence): the evidence app (another branch) shows an application's
        # supporting files with this include; nothing is drawn while it is not installed.
    }
    return render(request, "projects/closeout.html", context, status=status)


def _detail(request, year, number, need="read"):
    queryset = Project.objects.select_related("plan", "lead_unit").prefetch_related("checkpoints")
    return get_project_for_user(request, year, number, need=need, queryset=queryset)


@require_http_methods(["GET", "POST"])
def closeout(request, year, number):
    """GET: the project's 销号 state and applications. POST: a move of ``CLOSEOUT_STEPS``:
    ``apply`` (the lead unit or the office), ``close`` or ``return`` (the office)."""
    if request.method == "GET":
        return _closeout_page(request, _detail(request, year, number))
    step = CLOSEOUT_STEPS.get(request.POST.get("action", ""))
    if step is None:
        project = _detail(request, year, number)
        return _closeout_page(request, project, error=_("未知的操作。"), status=400)
    if step.by_office:
        get_closeout_for_user(request, year, number, need=step.need)
        project = _detail(request, year, number)
        form, form_name = CloseoutReviewForm(request.POST), "review_form"
    else:
        project = _detail(request, year, number, need=step.need)
        form, form_name = CloseoutApplyForm(request.POST), "apply_form"
    if not form.is_valid():
        return _closeout_page(request, project, status=400, **{form_name: form})
    data = form.cleaned_data
    try:
        closing.move_closeout(
            project,
            request.user,
            step.action,
            note=data.get("summary") or data.get("note", ""),
            outside_evaluation=data.get("outside_evaluation", ""),
            expected_version=data.get("version"),
        )
    except AlreadySubmitted:
        messages.info(request, _("这份表单已经提交过，未重复保存。"))
    except EditConflict:
        error = _("该销号申请已被他人处理，请核对后再操作。")
        return _closeout_page(request, project, error=error, status=409)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        return _closeout_page(request, project, error=error, status=400, **{form_name: form})
    else:
        messages.success(request, step.done_message)
    return redirect(project)


@require_http_methods(["GET", "POST"])
def assessment(request, year, number):
    """The office's year-end assessment of a project (new, or edited at its version)."""
    record = get_assessment_for_user(request, year, number, need="assess")
    project, conflict, error = record.project, None, None
    if request.method == "POST":
        form = AssessmentForm(request.POST, instance=record)
        if form.is_valid():
            try:
                closing.assess(form.instance, request.user, form.cleaned_data["version"])
            except EditConflict as exc:
                conflict = exc.current
                form = AssessmentForm(request.POST, instance=conflict)
                form.data = form.data.copy()
                form.data["version"] = conflict.version  # sent again, it replaces what is stored
                form.is_valid()
            else:
                messages.success(request, _("年度评定已保存。"))
                return redirect(project)
    else:
        form = AssessmentForm(instance=record, initial={"version": record.version})
    status = 409 if conflict else (400 if form.is_bound else 200)
    context = {"project": project, "form": form, "conflict": conflict, "error": error}
    return render(request, "projects/yearend_assessment.html", context, status=status)


def _yearend_page(request, plan, *, error=None, status=200, decision=None):
    """The page; ``decision`` is (project number, bound form) of a refused decision."""
    user = request.user
    context = {
        "plan": plan,
        "year": closing.yearend_overview(plan),
        "grades": Grade.labels,
        "can_decide": plan.can_manage(user) and plan.status == PlanStatus.IN_PROGRESS,
        "close_form": PlanStepForm(initial={"action": "close", "version": plan.version}),
        "error": error,
        "decision_number": decision[0] if decision else None,
        "decision_form": decision[1] if decision else None,
    }
    return render(request, "projects/yearend.html", context, status=status)


@require_GET
def yearend(request, year):
    return _yearend_page(request, get_plan_for_user(request, year))


@require_POST
def yearend_decide(request, year, number):
    """Carry an unfinished project over into next year's draft plan, or stop it."""
    plan = get_plan_for_user(request, year)
    project = get_project_for_user(request, year, number, need="conclude")
    form = YearEndDecisionForm(request.POST)
    if not form.is_valid():
        return _yearend_page(request, plan, status=400, decision=(number, form))
    data = form.cleaned_data
    try:
        if data["action"] == "carry":
            new = closing.carry_over(project, request.user, data["version"])
            done = _("已结转至%(plan)s项目%(number)s。") % {
                "plan": new.plan.title,
                "number": new.number_label,
            }
        else:
            closing.stop_project(project, request.user, data["reason"], data["version"])
            done = _("项目已终止：%(title)s") % {"title": project.heading}
    except EditConflict:
        error = _("项目已被他人修改，请核对后再操作。")
        return _yearend_page(request, plan, error=error, status=409)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        return _yearend_page(request, plan, error=error, status=400, decision=(number, form))
    messages.success(request, done)
    return redirect("yearend", plan.year)


@require_POST
def yearend_close(request, year):
    """年度总结: the plan's step "close", refused while a project is undecided."""
    plan = get_plan_for_user(request, year, need="manage")
    form = PlanStepForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] != "close":
        return _yearend_page(request, plan, error=_("未知的操作。"), status=400)
    try:
        step = planning.move_plan(plan, request.user, "close", form.cleaned_data["version"])
    except EditConflict:
        plan.refresh_from_db()
        error = _("计划已被他人更新，请核对后再操作。")
        return _yearend_page(request, plan, error=error, status=409)
    except ValidationError as exc:
        plan.refresh_from_db()
        return _yearend_page(request, plan, error=" ".join(exc.messages), status=400)
    messages.success(request, step.done_message)
    return redirect(plan)
