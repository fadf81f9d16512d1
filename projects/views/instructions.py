"""A leader's instruction (批示): its page with the moves made with a note (close, send
back, withdraw), the author's correction, the units' follow-up, a leader's instructions,
and the instructions section of the project page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from units.models import Official

from .. import instructions
from ..access import get_instruction_for_user, reader_required
from ..choices import InstructionStatus
from ..history import instruction_history
from ..instructionforms import (
    FollowUpForm,
    InstructionCorrectForm,
    InstructionForm,
    InstructionStepForm,
)
from ..instructions import INSTRUCTION_STEPS
from ..models import Instruction
from ..versioning import EditConflict
from .common import versioned_edit

# what the conflict box shows of an instruction as stored now
STORED_FIELDS = "status text due_on follow_up followed_up_on review_note withdrawn_reason"


def instruction_section(project, user, form=None):
    """What the project page's instructions section needs: each instruction with the
    moves this user may make on it, and the form to write one (the leaders)."""
    listed = list(project.instructions.all())
    instructions.attach_units(listed, instructions.unit_links(instruction__project=project))
    can_instruct = project.can_write_instruction(user)
    return {
        "instructions": listed,
        "instruction_steps": {i.pk: instructions.available_steps(i, user) for i in listed},
        "can_instruct": can_instruct,
        "instruction_form": form or (InstructionForm(project=project) if can_instruct else None),
    }


def _page(request, instruction, *, form=None, status=200, **extra):
    """The instruction's page; after a refused move it shows the instruction as stored."""
    if status != 200:
        instruction.refresh_from_db()
        instruction.__dict__.pop("units_to_act", None)
    steps = instructions.available_steps(instruction, request.user)
    note_steps = [step for step in steps if step.page is None]
    context = {
        "instruction": instruction,
        "project": instruction.project,
        "page_steps": [step for step in steps if step.page is not None],
        "note_steps": note_steps,
        "form": form or InstructionStepForm(initial={"version": instruction.version}),
        "history": instruction_history(instruction),
        "conflict": None,
        "error": None,
        "stored_fields": STORED_FIELDS,
        **extra,
    }
    return render(request, "projects/instruction_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def instruction_detail(request, pk):
    if request.method == "GET":
        return _page(request, get_instruction_for_user(request, pk, need="read"))
    # who may make a move is settled before what they sent is looked at
    instruction = get_instruction_for_user(request, pk, need="read")
    instructions.require_a_note_step(instruction, request.user)
    form = InstructionStepForm(request.POST)
    if not form.is_valid():
        return _page(request, instruction, form=form, status=400)
    data = form.cleaned_data
    try:
        step = instructions.move_instruction(
            instruction, request.user, data["action"], data["note"], data["version"]
        )
    except EditConflict as exc:
        form.data = form.data.copy()
        form.data["version"] = exc.current.version  # they have now seen what is stored
        return _page(request, instruction, form=form, conflict=exc.current, status=409)
    except ValidationError as exc:
        return _page(request, instruction, form=form, error=" ".join(exc.messages), status=400)
    messages.success(request, step.done_message)
    return redirect(instruction)


def _refused(request, instruction, template, step):
    """A move's own page when the instruction's status no longer allows the move: what is
    stored now, why, and no form (409)."""
    context = {
        "instruction": instruction,
        "project": instruction.project,
        "refusal": step.refusal(instruction),
        "form": None,
    }
    return render(request, template, context, status=409)


@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    instruction = get_instruction_for_user(request, pk, need="follow_up")
    template = "projects/instruction_follow_up.html"
    step = INSTRUCTION_STEPS["follow_up"]
    if step.refusal(instruction):
        return _refused(request, instruction, template, step)
    return versioned_edit(
        request,
        FollowUpForm,
        instruction,
        lambda form: instructions.follow_up_instruction(
            form.instance,
            request.user,
            form.cleaned_data["follow_up"],
            form.cleaned_data["followed_up_on"],
            form.cleaned_data["version"],
        ),
        step.done_message,
        template,
        {"instruction": instruction, "project": instruction.project},
    )


@require_http_methods(["GET", "POST"])
def correct(request, pk):
    instruction = get_instruction_for_user(request, pk, need="correct")
    template = "projects/instruction_correct.html"
    step = INSTRUCTION_STEPS["correct"]
    if step.refusal(instruction):
        return _refused(request, instruction, template, step)
    context = {"instruction": instruction, "project": instruction.project}
    if request.method == "GET":
        initial = {"version": instruction.version}
        form = InstructionCorrectForm(instance=instruction, initial=initial)
        return render(request, template, {**context, "form": form})
    form = InstructionCorrectForm(request.POST, instance=instruction)
    status = 400
    if form.is_valid():
        try:
            instructions.correct_instruction(form, request.user)
        except EditConflict as exc:
            # units are not merged (their history is not kept): the author sees what is
            # stored and sends the correction again
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
            context["current"], status = exc.current, 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, step.done_message)
            return redirect(instruction)
    context["stored_fields"] = STORED_FIELDS
    return render(request, template, {**context, "form": form}, status=status)


STATUS_ORDER = Case(
    *(When(status=s, then=Value(i)) for i, s in enumerate(InstructionStatus.values)),
    output_field=IntegerField(),
)
FINISHED_SHOWN = 50


@reader_required
@require_GET
def official_instructions(request, pk):
    """A leader's instructions: those still to be carried out (overdue ones marked) and
    those carried out waiting to be closed, then the newest closed or withdrawn."""
    official = get_object_or_404(Official, pk=pk)
    mine = Instruction.objects.filter(official=official).select_related(
        "official", "project__plan", "project__lead_unit", "followed_up_by"
    )
    live = (InstructionStatus.OPEN, InstructionStatus.DONE)
    current = mine.filter(status__in=live).order_by(
        STATUS_ORDER, F("due_on").asc(nulls_last=True), "-issued_on", "pk"
    )
    finished = mine.exclude(status__in=live).order_by("-issued_on", "-pk")[:FINISHED_SHOWN]
    current, finished = list(current), list(finished)
    links = instructions.unit_links(instruction__official=official)
    instructions.attach_units([*current, *finished], links)
    context = {
        "official": official,
        "live": current,
        "finished": finished,
        "finished_shown": FINISHED_SHOWN,
        "is_own": request.user.official_id == official.pk,
        "today": timezone.localdate(),
    }
    return render(request, "projects/instruction_list.html", context)
