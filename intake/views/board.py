"""The ranked board of a year's proposals, where the office selects them into the plan."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import board_reader, get_call_for_user
from ..choices import TOTAL_MAX
from ..models import Proposal


@board_reader
@require_GET
def board(request, year):
    call = get_call_for_user(request, year)
    rows = list(Proposal.objects.filter(call=call).for_board())
    for row in rows:
        row.call = call  # the rules ask the plan's state; it is known here
        row.spread = None if row.highest is None else row.highest - row.lowest
        row.select_moves = [m for m in row.available_moves(request.user) if m.action == "select"]
    context = {
        "call": call,
        "rows": rows,
        "total_max": TOTAL_MAX,
        "waiting": sum(r.reviews_assigned - r.reviews_done for r in rows),
    }
    return render(request, "intake/board.html", context)
