"""What several page families share: choosing the plan and the versioned edit flow."""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..models import ReformPlan
from ..versioning import EditConflict, merge, stored_value

PAGE_SIZE = 50
MERGE_ATTEMPTS = 3  # a busy row may change again while a merge is being saved


class NoSuchPlan(Exception):
    """``?year=`` names a year without a plan: the page says so (404), never shows another."""

    def __init__(self, year, plans):
        super().__init__(year)
        self.year, self.plans = year, plans


def select_plan(request):
    """The plans and the one chosen by ``?year=``; without it the newest real plan."""
    plans = list(ReformPlan.objects.all())
    year = request.GET.get("year", "").strip()
    if year:
        chosen = next((p for p in plans if str(p.year) == year), None)
        if chosen is None:
            raise NoSuchPlan(year[:10], plans)
        return plans, chosen
    return plans, next((p for p in plans if not p.synthetic), plans[0] if plans else None)


def plan_page(url_name):
    """For views that take ``?year=``: a year without a plan gets a 404 page that says so,
    with links to ``url_name`` for each plan there is."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NoSuchPlan as error:
                context = {"year": error.year, "plans": error.plans, "url_name": url_name}
                return render(request, "projects/no_such_plan.html", context, status=404)

        return wrapped

    return decorate


def require_plan(request):
    """As ``select_plan``, for pages that make no sense without a plan: 404 when none."""
    plans, plan = select_plan(request)
    if plan is None:
        raise Http404("no plan")
    return plans, plan


def _edited_names(form):
    """The model fields the form edits (not ``version``, nor form-only fields)."""
    return [name for name in form.cleaned_data if name in form._meta.fields]


def _rebind(form, current, values):
    """Point a valid form at the row as stored now, holding ``values``."""
    form.instance = current
    form.cleaned_data.update(values)
    form.cleaned_data["version"] = current.version
    construct_instance(form, current, fields=_edited_names(form))


def keep_stored(form, names):
    """Fields the user chose, after a conflict, to leave as stored (``keep_stored`` boxes)."""
    chosen = [name for name in names if name in _edited_names(form)]
    if chosen:
        stored = type(form.instance)._default_manager.get(pk=form.instance.pk)
        form.cleaned_data.update({name: stored_value(stored, name) for name in chosen})
        construct_instance(form, form.instance, fields=chosen)


@dataclass
class Saved:
    """What ``save_merging`` did: ``conflicts`` (nothing saved) or a save, ``merged`` when
    another editor's changes were kept beside this one's."""

    current: object
    conflicts: list = field(default_factory=list)
    values: dict = field(default_factory=dict)
    merged: bool = False


def save_merging(form, save):
    """``save(form)``; when someone saved in between, merge the edit field by field into
    the stored row and save that, unless both changed the same field."""
    started_from = form.cleaned_data["version"]
    for attempt in range(MERGE_ATTEMPTS):
        try:
            save(form)
        except EditConflict as exc:
            yours = {name: form.cleaned_data[name] for name in _edited_names(form)}
            outcome = merge(exc.current, started_from, yours)
            if outcome.conflicts:
                return Saved(exc.current, outcome.conflicts, outcome.values)
            started_from = exc.current.version
            _rebind(form, exc.current, outcome.values)
        else:
            return Saved(form.instance, merged=attempt > 0)
    raise EditConflict(form.instance)  # three other writers in a row: give up loudly


def conflict_form(form_class, saved, **kwargs):
    """The form shown after a conflict: at the stored version, with the merged values, and
    the user's own value in each conflicting field (the box above shows the stored one)."""
    yours = {c.name: c.yours for c in saved.conflicts}
    initial = {**saved.values, **yours, "version": saved.current.version}
    return form_class(instance=saved.current, initial=initial, **kwargs)


def report_saved(request, success, saved):
    messages.success(request, success)
    if saved.merged:
        messages.info(request, _("在您编辑期间他人修改了其他内容，已一并保留。"))


def conflict_context(saved):
    """What the conflict box needs: the row as stored and the fields both changed."""
    if saved is None:
        return {"conflict": None, "conflicts": []}
    return {"conflict": saved.current, "conflicts": saved.conflicts}


def versioned_edit(request, form_class, instance, save, success, template, context):
    """The edit pages' shared flow: show the form at the stored version; on POST validate
    and ``save(form)`` (which raises EditConflict when someone saved in between: the edit
    is then merged field by field); redirect. Otherwise re-render with 400 (invalid input)
    or 409 (fields both editors changed, side by side)."""
    saved = None
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            keep_stored(form, request.POST.getlist("keep_stored"))
            try:
                saved = save_merging(form, save)
            except ValidationError as exc:  # a rule the save checks (e.g. 调整理由)
                form.add_error(None, exc)
            else:
                if not saved.conflicts:
                    report_saved(request, success, saved)
                    return redirect(context.get("back") or context["project"])
                form = conflict_form(form_class, saved)
    else:
        form = form_class(instance=instance, initial={"version": instance.version})
    status = 409 if saved else (400 if form.is_bound else 200)
    context = {**context, "form": form, **conflict_context(saved)}
    return render(request, template, context, status=status)
