from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Project, ReformPlan


def _get_project_for_user(user, year, number):
    """The project numbered ``number`` in the plan of ``year``, readable by every signed-in user."""
    return get_object_or_404(Project.objects.for_detail(), plan__year=year, number=number)


@login_required
def portfolio(request):
    plans = list(ReformPlan.objects.all())
    if not plans:
        return render(request, "projects/no_plan.html", status=200)
    year = request.GET.get("year")
    plan = next((p for p in plans if str(p.year) == year), plans[0])
    projects = Project.objects.for_portfolio().filter(plan=plan)
    return render(
        request,
        "projects/portfolio.html",
        {"plan": plan, "plans": plans, "projects": projects},
    )


@login_required
def project_detail(request, year, number):
    project = _get_project_for_user(request.user, year, number)
    return render(request, "projects/project_detail.html", {"project": project})
