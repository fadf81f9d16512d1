"""Pages over many projects: the dashboard, the filtered list and its ledger export, and
the pages of a unit and of an official."""

from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from units.models import Official, Unit

from .. import exports, freshness, stats
from ..access import reader_required
from ..choices import ProjectTier
from ..filters import ProjectFilter
from ..models import Instruction, Project
from ..roles import has_own_projects
from .common import PAGE_SIZE, plan_page, require_plan, select_plan


@freshness.cached_page  # first: it reads the stamp the permission checks are cached under
@reader_required
@require_GET
@plan_page("home")
def dashboard(request):
    plans, plan = select_plan(request)
    if plan is None:
        return render(request, "projects/no_plan.html")
    freshness.current_stamp(request)  # read first: the header's 待办 count is cached too
    tier = dashboard_tier(request)
    projects = Project.objects.for_portfolio().filter(plan=plan).in_plan()
    # Lazy: the template's {% stamped %} fragments read them only when not cached.
    page = SimpleLazyObject(
        lambda: Paginator(projects.of_tier(tier), PAGE_SIZE).get_page(request.GET.get("page"))
    )
    mine = None
    if has_own_projects(request.user):
        mine = projects.mine(request.user)[:20]
    open_instructions = (
        Instruction.objects.open()
        .filter(project__plan=plan)
        .select_related("project__plan", "official")[:8]
    )
    return render(
        request,
        "projects/dashboard.html",
        {
            "plan": plan,
            "plans": plans,
            "figures": SimpleLazyObject(lambda: stats.plan_figures(plan, tier)),
            "tier": tier or ALL_TIERS,
            "list_query": {"tier": tier} if tier else {},
            "tiers": [*ProjectTier.choices, (ALL_TIERS, _("全部类别"))],
            "page": page,
            "mine": mine,
            "activity": SimpleLazyObject(lambda: stats.recent_activity(plan)),
            "open_instructions": open_instructions,
            "today": timezone.localdate(),
        },
    )


ALL_TIERS = "all"


def dashboard_tier(request):
    """The tier the dashboard shows: 区重点 unless ``?tier=`` asks for another or all."""
    tier = request.GET.get("tier", "")
    if tier == ALL_TIERS:
        return None
    return tier if tier in ProjectTier.values else ProjectTier.DISTRICT


def _filtered_projects(request, plan, queryset):
    return ProjectFilter(
        request.GET, queryset=queryset.filter(plan=plan), request=request, user=request.user
    )


@freshness.cached_page  # first: it reads the stamp the permission checks are cached under
@reader_required
@require_GET
@plan_page("project_list")
def project_list(request):
    plans, plan = select_plan(request)
    if plan is None:
        return render(request, "projects/no_plan.html")
    freshness.current_stamp(request)  # the results and the header's count are cached
    project_filter = _filtered_projects(request, plan, Project.objects.for_portfolio())
    page = SimpleLazyObject(  # read by the template only when its results are not cached
        lambda: Paginator(project_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    )
    return render(
        request,
        "projects/project_list.html",
        {
            "plan": plan,
            "plans": plans,
            "filter": project_filter,
            "page": page,
            # "my projects" differ by user: then the cached results are the user's own
            "results_owner": request.user.pk if request.GET.get("mine") else "",
            "today": timezone.localdate(),
        },
        status=400 if project_filter.errors else 200,
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@reader_required
@require_GET
@plan_page("project_list")
def project_export(request, fmt):
    if fmt not in EXPORT_TYPES:
        raise Http404("unknown format")
    _plans, plan = require_plan(request)
    project_filter = _filtered_projects(request, plan, Project.objects.for_export())
    if project_filter.errors:
        return HttpResponse(
            _("筛选条件有误，未导出。"), status=400, content_type="text/plain; charset=utf-8"
        )
    projects = project_filter.qs
    if fmt == "csv":
        body = exports.to_csv(projects)
    else:
        body = exports.to_xlsx(projects, plan, _filters_in_words(project_filter.form))
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = _attachment(*exports.filenames(plan, fmt))
    return response


def _filters_in_words(form):
    """(label, chosen option's label) of each filter given, in the form's order; the option
    None for a switch (只看有逾期关口的), whose label says it all."""
    applied = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value is None or value is False or value == "":
            continue
        if value is True:
            option = None
        elif isinstance(field, forms.ModelChoiceField):
            option = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            option = dict(field.choices).get(value, value)
        else:
            option = value
        applied.append((str(field.label), None if option is None else str(option)))
    return applied


def _attachment(name, ascii_name):
    """Content-Disposition with the name in UTF-8 (RFC 5987, read by browsers) after an
    ASCII one for older clients. Django's content_disposition_header gives one or the
    other, not both."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _owner_page(request, owner, kind, projects):
    return render(
        request,
        "projects/owner_detail.html",
        {
            "owner": owner,
            "kind": kind,
            "projects": projects.order_by("-plan__year", "number"),
            "today": timezone.localdate(),
        },
    )


@reader_required
@require_GET
def unit_detail(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    return _owner_page(request, unit, "unit", Project.objects.for_portfolio().involving_unit(unit))


@reader_required
@require_GET
def official_detail(request, pk):
    official = get_object_or_404(Official, pk=pk)
    projects = Project.objects.for_portfolio().filter(lead_official=official)
    return _owner_page(request, official, "official", projects)
