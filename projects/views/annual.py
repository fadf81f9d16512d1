"""The plan's annual report (年度改革工作总结): a print page and the same text as a .docx,
for the readers of the plan (as the monthly bulletin)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import get_plan_for_user
from ..annual import annual_report, filenames
from ..annual.word import to_docx
from .portfolio import _attachment
from .reports import DOCX


@require_GET
def annual_report_page(request, year):
    plan = get_plan_for_user(request, year)
    context = {"plan": plan, "report": annual_report(plan)}
    return render(request, "projects/annual_report.html", context)


@require_GET
def annual_report_docx(request, year):
    plan = get_plan_for_user(request, year)
    response = HttpResponse(to_docx(annual_report(plan)), content_type=DOCX)
    response["Content-Disposition"] = _attachment(*filenames(plan))
    return response
