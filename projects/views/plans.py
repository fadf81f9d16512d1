"""Loading a year's plan from a plan file (管理员)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import ReformPlan
from ..planfiles import BROWSER_LIMIT, load_plan_fixture, plan_fixtures


@permission_required("projects.load_plan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def load_plan(request):
    fixtures = plan_fixtures()
    error, status = None, 200
    if request.method == "POST":
        name = request.POST.get("fixture", "")
        if name not in fixtures:
            error, status = _("请选择要载入的改革计划。"), 400
        else:
            try:
                load_plan_fixture(name, project_limit=BROWSER_LIMIT)
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                messages.success(request, _("改革计划 %(name)s 已载入。") % {"name": name})
                return redirect("home")
    plans = ReformPlan.objects.annotate(project_count=Count("projects"))
    return render(
        request,
        "projects/load_plan.html",
        {"fixtures": fixtures, "plans": plans, "error": error},
        status=status,
    )
