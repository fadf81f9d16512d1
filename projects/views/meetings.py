"""Leading-group meetings: the list, a new meeting, its page (agenda, decisions, and the
forms to add them), and its edit page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import planning
from ..access import get_meeting_for_user, reader_required
from ..models import Meeting
from ..planforms import AgendaItemForm, DecisionForm, MeetingCreateForm, MeetingForm
from ..versioning import save_with_version
from .common import versioned_edit


@reader_required
@require_GET
def meeting_list(request):
    meetings = Meeting.objects.select_related("chair").prefetch_related("decisions")
    can_add = request.user.has_perm("projects.add_meeting")
    return render(request, "projects/meeting_list.html", {"meetings": meetings, "can_add": can_add})


@permission_required("projects.add_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    form = MeetingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.recorded_by = request.user
        meeting.save()
        form.save_m2m()
        messages.success(request, _("已记录%(meeting)s。") % {"meeting": meeting.title})
        return redirect(meeting)
    status = 400 if form.is_bound else 200
    return render(request, "projects/meeting_form.html", {"form": form}, status=status)


def _meeting_page(request, meeting, *, agenda_form=None, decision_form=None, status=200):
    can_manage = meeting.can_manage(request.user)
    context = {
        "meeting": meeting,
        "agenda": meeting.agenda.prefetch_related("presenters"),
        "attendees": meeting.attendees.all(),
        "decisions": meeting.decisions.shown(),
        "can_manage": can_manage,
        "agenda_form": agenda_form or (AgendaItemForm() if can_manage else None),
        "decision_form": decision_form or (DecisionForm() if can_manage else None),
    }
    return render(request, "projects/meeting_detail.html", context, status=status)


@require_GET
def meeting_detail(request, pk):
    return _meeting_page(request, get_meeting_for_user(request, pk))


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request, pk, need="manage")
    return versioned_edit(
        request,
        MeetingForm,
        meeting,
        lambda form: save_with_version(form.instance, form.cleaned_data["version"], save=form.save),
        _("会议记录已保存。"),
        "projects/meeting_edit.html",
        {"meeting": meeting, "back": meeting},
    )


@require_POST
def agenda_add(request, pk):
    meeting = get_meeting_for_user(request, pk, need="manage")
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, agenda_form=form, status=400)
    item = form.save(commit=False)
    item.meeting = meeting
    item.position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    item.save()
    form.save_m2m()
    messages.success(request, _("议程已添加。"))
    return redirect(meeting)


@require_POST
def decision_add(request, pk):
    meeting = get_meeting_for_user(request, pk, need="manage")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, decision_form=form, status=400)
    try:
        planning.record_decision(meeting, request.user, form.save(commit=False))
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return _meeting_page(request, meeting, decision_form=form, status=400)
    messages.success(request, _("会议决定已记录。"))
    return redirect(meeting)
