"""The timeline (年度时间轴): one row per project, its three checkpoints' planned and passed
dates on the plan's month axis. Readable by everyone signed in, like the dashboard."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..access import reader_required
from ..timeline import build_chart, timeline_projects
from .common import PAGE_SIZE, plan_page, select_plan


@reader_required
@require_GET
@plan_page("timeline")
def timeline(request):
    plans, plan = select_plan(request)
    if plan is None:
        return render(request, "projects/no_plan.html")
    today = timezone.localdate()
    page = Paginator(timeline_projects(plan), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/timeline.html",
        {
            "plan": plan,
            "plans": plans,
            "page": page,
            "chart": build_chart(plan, page.object_list, today),
            "today": today,
        },
    )
