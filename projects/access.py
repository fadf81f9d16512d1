"""One access helper per object type: ``get_<thing>_for_user(request, …, need=…)`` returns
the object or raises Http404 (no such object) or PermissionDenied (with the model's own
message). Views ask these and hold no permission checks of their own."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from .choices import CheckpointKind
from .models import (
    Assessment,
    Checkpoint,
    Closeout,
    Instruction,
    Meeting,
    ProgressUpdate,
    Project,
    ReformPlan,
    ReportPeriod,
)


def _checked(obj, request, need):
    obj.require(request.user, need)
    return obj


def get_project_for_user(request, year, number, *, need="read", queryset=None):
    """The project numbered ``number`` in the ``year`` plan, if the user may ``need`` it
    (``read``, ``edit``, ``report`` or ``instruct``)."""
    queryset = queryset if queryset is not None else Project.objects.select_related("plan")
    project = get_object_or_404(queryset, plan__year=year, number=number)
    return _checked(project, request, need)


def get_checkpoint_for_user(request, year, number, kind, *, need="read"):
    """One of the project's three checkpoints (``read``, ``schedule`` or ``decide``)."""
    if kind not in CheckpointKind.values:
        raise Http404("no such checkpoint")
    checkpoint = get_object_or_404(
        Checkpoint.objects.select_related("project__plan", "project__lead_unit"),
        project__plan__year=year,
        project__number=number,
        kind=kind,
    )
    return _checked(checkpoint, request, need)


def get_update_for_user(request, pk, *, need="edit"):
    """A progress report its author or the reform office may ``edit``."""
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("project__plan", "author"), pk=pk
    )
    return _checked(update, request, need)


def get_instruction_for_user(request, pk, *, need="follow_up"):
    """A leader's instruction whose carrying-out the user may record (``follow_up``)."""
    instruction = get_object_or_404(
        Instruction.objects.select_related("project__plan", "official", "author"), pk=pk
    )
    return _checked(instruction, request, need)


def get_plan_for_user(request, year, *, need="read"):
    """The ``year`` plan, if the user may ``need`` it (``read`` or ``manage``)."""
    return _checked(get_object_or_404(ReformPlan, year=year), request, need)


def get_meeting_for_user(request, pk, *, need="read"):
    """A leading-group meeting (``read`` or ``manage``)."""
    meeting = get_object_or_404(Meeting.objects.select_related("chair"), pk=pk)
    return _checked(meeting, request, need)


NO_READING = gettext_lazy("您的账号没有查看改革项目的权限。如需查看，请联系管理员分配角色。")


def reader_required(view):
    """For pages over many projects (dashboard, list, ledger, timeline, plans, meetings,
    a unit's or an official's projects): only the roles that read the plan may open them.
    An outside expert (评审专家) or an account without a role gets 403 with the reason."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("projects.view_project"):
            raise PermissionDenied(NO_READING)
        return view(request, *args, **kwargs)

    return wrapped


def get_period_for_user(request, pk, *, need="read"):
    """A report period (``read`` or ``manage``)."""
    period = get_object_or_404(ReportPeriod.objects.select_related("plan"), pk=pk)
    return _checked(period, request, need)


def get_closeout_for_user(request, year, number, *, need="review"):
    """The project's newest 销号 application (``read`` or ``review``); 404 when none."""
    closeout = (
        Closeout.objects.select_related("project__plan", "project__lead_unit")
        .filter(project__plan__year=year, project__number=number)
        .order_by("-pk")
        .first()
    )
    if closeout is None:
        raise Http404("no close-out application")
    return _checked(closeout, request, need)


def get_assessment_for_user(request, year, number, *, need="assess"):
    """The project's year-end assessment, or a new unsaved one when it has none yet
    (``read`` or ``assess``)."""
    project = get_object_or_404(
        Project.objects.select_related("plan", "lead_unit"), plan__year=year, number=number
    )
    assessment = Assessment.objects.filter(project=project).first() or Assessment(project=project)
    assessment.project = project  # the plan comes with it
    return _checked(assessment, request, need)
