"""Reports on the reporting cycle: the unit scoreboard (单位排名) of a plan, for the year or
one period, and a period's bulletin (进展情况通报) as a print page and as a .docx."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import scoreboard
from ..access import get_period_for_user, get_plan_for_user
from ..bulletin import bulletin_for, filenames
from ..bulletin.word import to_docx
from .portfolio import _attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chosen_period(request, periods):
    """The period ``?period=`` names among the plan's (None: the whole year), or an error
    message when it names none of them."""
    wanted = request.GET.get("period", "").strip()
    if not wanted:
        return None, None
    chosen = next((p for p in periods if str(p.pk) == wanted), None)
    if chosen is None:
        return None, _("该年度计划没有这个报告期，请从列表中选择。")
    return chosen, None


@require_GET
def scoreboard_page(request, year):
    plan = get_plan_for_user(request, year)
    periods = list(plan.periods.all())
    period, error = _chosen_period(request, periods)
    today = timezone.localdate()
    board = None if error else scoreboard.unit_scoreboard(plan, periods, period, today)
    context = {
        "plan": plan,
        "periods": periods,
        "period": period,
        "board": board,
        "error": error,
        "today": today,
    }
    return render(request, "projects/scoreboard.html", context, status=400 if error else 200)


@require_GET
def bulletin_page(request, pk):
    period = get_period_for_user(request, pk)
    context = {"period": period, "plan": period.plan, "bulletin": bulletin_for(period)}
    return render(request, "projects/bulletin.html", context)


@require_GET
def bulletin_docx(request, pk):
    period = get_period_for_user(request, pk)
    response = HttpResponse(to_docx(bulletin_for(period)), content_type=DOCX)
    response["Content-Disposition"] = _attachment(*filenames(period))
    return response
