"""What several page families share: choosing the plan and the versioned edit flow."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from ..models import ReformPlan
from ..versioning import EditConflict

PAGE_SIZE = 50


def select_plan(request):
    """The plans and the one chosen by ``?year=``; by default the newest real plan."""
    plans = list(ReformPlan.objects.all())
    year = request.GET.get("year", "")
    chosen = next((p for p in plans if str(p.year) == year), None)
    if chosen is None:
        chosen = next((p for p in plans if not p.synthetic), plans[0] if plans else None)
    return plans, chosen


def require_plan(request):
    """As ``select_plan``, for pages that make no sense without a plan: 404 when none."""
    plans, plan = select_plan(request)
    if plan is None:
        raise Http404("no plan")
    return plans, plan


def rebase(form, current):
    """After a conflict, keep the user's input but let a resubmission apply on top of
    the version now stored (they have now seen it)."""
    form.data = form.data.copy()
    form.data["version"] = current.version


def versioned_edit(request, form_class, instance, save, success, template, context):
    """The edit pages' shared flow: show the form at the stored version; on POST validate,
    ``save(form)`` (which raises EditConflict when someone saved in between) and redirect;
    otherwise re-render with 400 (invalid input) or 409 (conflict, showing what is stored)."""
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                save(form)
            except EditConflict as exc:
                conflict = exc.current
                rebase(form, conflict)
            else:
                messages.success(request, success)
                return redirect(context["project"])
    else:
        form = form_class(instance=instance, initial={"version": instance.version})
    status = 409 if conflict else (400 if form.is_bound else 200)
    context = {**context, "form": form, "conflict": conflict}
    return render(request, template, context, status=status)
