"""One project's pages: the project page, its progress reports, instructions and edits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import closing, instructions, planning, reporting, services
from ..access import get_project_for_user, get_update_for_user
from ..choices import Record
from ..forms import ProgressUpdateEditForm, ProgressUpdateForm, ReportStepForm
from ..freshness import cached_page
from ..history import project_history
from ..instructionforms import InstructionForm
from ..models import Project
from ..planforms import ProjectForm, WithdrawForm
from ..versioning import EditConflict, save_with_version
from .common import versioned_edit
from .instructions import instruction_section
from .leaders import action_section


def _project_page(request, project, *, update_form=None, instruction_form=None, status=200):
    user = request.user
    can_report = project.can_report(user)
    context = {
        "project": project,
        "can_report": can_report,
        "can_edit": project.can_change(user),  # an edit, or the office's correction
        "can_withdraw": project.can_withdraw(user),
        "decisions": project.decisions.shown(),
        "adjustments": project.adjustments.select_related("made_by"),
        "update_form": update_form or (ProgressUpdateForm() if can_report else None),
        **instruction_section(project, user, instruction_form),
        **action_section(project, user),
        "history": project_history(project),
        "editable_updates": {u.pk for u in project.updates.all() if u.can_change(user)},
        "report_steps": {u.pk: u.available_steps(user) for u in project.updates.all()},
        "today": timezone.localdate(),
        "yearend": closing.project_yearend(project, user),  # 销号, assessment, carry-over
    }
    return render(request, "projects/project_detail.html", context, status=status)


@require_GET
@cached_page
def project_detail(request, year, number):
    project = get_project_for_user(request, year, number, queryset=Project.objects.for_detail())
    return _project_page(request, project)


def _add_to_project(request, year, number, *, need, form_class, form_name, save, success):
    """A form on the project page that adds a row: refused (403) before the input is read,
    shown again with its errors (400), or saved once by ``save(project, user, form, token)``
    (sent again, it says so and saves nothing)."""
    project = get_project_for_user(
        request, year, number, need=need, queryset=Project.objects.for_detail()
    )
    form = form_class(request.POST)
    if not form.is_valid():
        return _project_page(request, project, status=400, **{form_name: form})
    try:
        save(project, request.user, form, form.cleaned_data["submission"])
    except services.AlreadySubmitted:
        messages.info(request, _("这份表单已经提交过，未重复保存。"))
    except ValidationError as exc:
        form.add_error(None, exc)
        return _project_page(request, project, status=400, **{form_name: form})
    else:
        messages.success(request, success)
    return redirect(project)


@require_POST
def add_update(request, year, number):
    as_draft = request.POST.get("action") == "draft"
    return _add_to_project(
        request,
        year,
        number,
        need="report",
        form_class=ProgressUpdateForm,
        form_name="update_form",
        save=lambda project, user, form, token: reporting.write_report(
            project, user, form.save(commit=False), submit=not as_draft, token=token
        ),
        success=_("进展报告草稿已保存。") if as_draft else _("进展报告已保存。"),
    )


@require_POST
def add_instruction(request, year, number):
    return _add_to_project(
        request,
        year,
        number,
        need="instruct",
        form_class=InstructionForm,
        form_name="instruction_form",
        save=lambda project, user, form, token: instructions.add_instruction(
            project, user, form.save(commit=False), form.cleaned_data["units"], token
        ),
        success=_("批示已保存，等待落实。"),
    )


@require_http_methods(["GET", "POST"])
def edit_project(request, year, number):
    project = get_project_for_user(request, year, number, need="change")
    return versioned_edit(
        request,
        ProjectForm,
        project,
        lambda form: planning.save_project_edit(
            form, request.user, form.cleaned_data.get("reason", "")
        ),
        _("项目信息已保存。"),
        "projects/project_edit.html",
        {"project": project},
    )


def _correction(form):
    """The history's reason for correcting a report of a closed period (None otherwise)."""
    reason = form.cleaned_data.get("reason", "").strip()
    return f"{Record.REPORT_CORRECTED}：{reason}"[:100] if reason else None


@require_http_methods(["GET", "POST"])
def edit_update(request, pk):
    """Edit a report (or, the office, correct one of a closed period or an ended project);
    a draft or a returned one may also be submitted with the same click (保存并提交: where
    the to-do list's 修改并提交 leads)."""
    update = get_update_for_user(request, pk, need="change")
    may_submit = any(step.action == "submit" for step in update.available_steps(request.user))
    submit = may_submit and request.POST.get("action") == "submit"

    def save(form):
        with transaction.atomic():
            report = form.instance
            save_with_version(report, form.cleaned_data["version"], reason=_correction(form))
            if submit:
                reporting.move_report(report, request.user, "submit", "", report.version)

    return versioned_edit(
        request,
        ProgressUpdateEditForm,
        update,
        save,
        _("进展报告已修改并提交，等待区委改革办采纳。") if submit else _("进展报告已修改。"),
        "projects/update_edit.html",
        {"update": update, "project": update.project, "may_submit": may_submit},
    )


@require_http_methods(["GET", "POST"])
def withdraw_project(request, year, number):
    project = get_project_for_user(request, year, number, need="withdraw")
    form = WithdrawForm(request.POST or None, initial={"version": project.version})
    error, status = None, 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.withdraw_project(project, request.user, data["reason"], data["version"])
        except EditConflict:
            error, status = _("项目已被他人修改，请重新打开本页后再撤销。"), 409
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("项目已撤销：%(title)s") % {"title": project.heading})
            return redirect(project.plan)
    context = {"project": project, "form": form, "error": error}
    return render(request, "projects/project_withdraw.html", context, status=status)


@require_POST
def report_step(request, pk):
    """Submit a draft or returned report; accept or return it (the office)."""
    update = get_update_for_user(request, pk, need="read")
    form = ReportStepForm(request.POST)
    back = request.POST.get("next") or update.project.get_absolute_url()
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = update.project.get_absolute_url()
    if not form.is_valid():
        messages.error(request, _("操作未完成：请检查后重试。"))
        return redirect(back)
    data = form.cleaned_data
    try:
        step = reporting.move_report(
            update, request.user, data["action"], data["note"], data["version"]
        )
    except EditConflict:
        messages.error(request, _("该报告已被他人更新，请核对后再操作。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, step.done_message)
    return redirect(back)
