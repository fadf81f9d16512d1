"""A checkpoint's page (GET) and its two forms: the planned date (the reform office) and
the decisions (submit, pass, send back, reopen; by role, under ``TRANSITIONS``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..access import get_checkpoint_for_user
from ..choices import Record
from ..forms import CheckpointActionForm, CheckpointScheduleForm
from ..history import checkpoint_history
from ..models import TRANSITIONS
from ..versioning import EditConflict, save_with_version
from .common import conflict_context, conflict_form, keep_stored, report_saved, save_merging


def rebase(form, current):
    """After a decision was refused for a conflict, keep the user's input but let a
    resubmission apply on top of the version now stored (they have now seen it)."""
    form.data = form.data.copy()
    form.data["version"] = current.version


def _page(request, checkpoint, *, action_form=None, schedule_form=None, **extra):
    """The page; after a refused POST the checkpoint is shown as stored now."""
    status = extra.pop("status", 200)
    if status != 200:
        checkpoint.refresh_from_db()
    project, user = checkpoint.project, request.user
    context = {
        "checkpoint": checkpoint,
        "project": project,
        "siblings": list(project.checkpoints.all()),
        "transitions": checkpoint.available_transitions(user),
        "action_form": action_form or CheckpointActionForm(initial={"version": checkpoint.version}),
        "schedule_form": schedule_form
        or CheckpointScheduleForm(instance=checkpoint, initial={"version": checkpoint.version}),
        "can_schedule": checkpoint.can_schedule(user),
        "history": checkpoint_history(checkpoint),
        "conflict": None,
        "error": None,
        "schedule": conflict_context(None),
        **extra,
    }
    return render(request, "projects/checkpoint_detail.html", context, status=status)


def _schedule(request, year, number, kind):
    checkpoint = get_checkpoint_for_user(request, year, number, kind, need="schedule")
    form = CheckpointScheduleForm(request.POST, instance=checkpoint)
    if not form.is_valid():
        return _page(request, checkpoint, schedule_form=form, status=400)
    keep_stored(form, request.POST.getlist("keep_stored"))
    saved = save_merging(
        form,
        lambda f: save_with_version(f.instance, f.cleaned_data["version"], reason=Record.SCHEDULED),
    )
    if saved.conflicts:
        form = conflict_form(CheckpointScheduleForm, saved)
        return _page(
            request, checkpoint, schedule_form=form, schedule=conflict_context(saved), status=409
        )
    report_saved(request, _("计划完成日期已保存。"), saved)
    return redirect(checkpoint)


def _decide(request, year, number, kind):
    # who may decide is settled before what they sent is looked at
    checkpoint = get_checkpoint_for_user(request, year, number, kind, need="decide")
    form = CheckpointActionForm(request.POST)
    if not form.is_valid():
        return _page(request, checkpoint, action_form=form, status=400)
    data = form.cleaned_data
    try:
        services.decide_checkpoint(
            checkpoint, request.user, data["action"], data["note"], data["version"]
        )
    except EditConflict as exc:
        rebase(form, exc.current)
        return _page(request, checkpoint, action_form=form, conflict=exc.current, status=409)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        return _page(request, checkpoint, action_form=form, error=error, status=400)
    transition = TRANSITIONS[data["action"]]
    messages.success(request, transition.done_message % {"gate": checkpoint.get_kind_display()})
    return redirect(checkpoint)


@require_http_methods(["GET", "POST"])
def checkpoint_detail(request, year, number, kind):
    if request.method == "POST":
        handler = _schedule if request.POST.get("form") == "schedule" else _decide
        return handler(request, year, number, kind)
    checkpoint = get_checkpoint_for_user(request, year, number, kind, need="read")
    return _page(request, checkpoint)
