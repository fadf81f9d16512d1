"""Report periods: a plan's periods, opening one, a period's page (who reported, on time,
late, missing; what waits for acceptance), closing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import reporting
from ..access import get_period_for_user, get_plan_for_user
from ..forms import ReportStepForm
from ..models import ReportPeriod
from ..periodforms import ClosePeriodForm, PeriodForm
from ..periods import period_state
from ..versioning import EditConflict


@require_GET
def period_list(request, year):
    plan = get_plan_for_user(request, year)
    periods = plan.periods.all()
    context = {"plan": plan, "periods": periods, "can_manage": plan.can_manage(request.user)}
    return render(request, "projects/period_list.html", context)


@require_http_methods(["GET", "POST"])
def period_new(request, year):
    plan = get_plan_for_user(request, year, need="manage")
    form = PeriodForm(request.POST or None, instance=ReportPeriod(plan=plan))
    if request.method == "POST" and form.is_valid():
        try:
            period = reporting.open_period(plan, request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("报告期已开启：%(name)s") % {"name": period.name})
            return redirect(period)
    status = 400 if form.is_bound else 200
    return render(request, "projects/period_form.html", {"plan": plan, "form": form}, status=status)


@require_GET
def period_detail(request, pk):
    period = get_period_for_user(request, pk)
    context = {
        "period": period,
        "plan": period.plan,
        "state": period_state(period),
        "can_manage": period.can_manage(request.user),
        "can_review": request.user.has_perm("projects.change_progressupdate"),
        "close_form": ClosePeriodForm(initial={"version": period.version}),
        "step_form": ReportStepForm(),
    }
    return render(request, "projects/period_detail.html", context)


@require_POST
def period_close(request, pk):
    period = get_period_for_user(request, pk, need="manage")
    form = ClosePeriodForm(request.POST)
    if form.is_valid():
        try:
            reporting.close_period(period, request.user, form.cleaned_data["version"])
        except EditConflict:
            messages.error(request, _("报告期已被他人更新，请核对后再操作。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("报告期已关闭，其中的报告已锁定。"))
    return redirect(period)
