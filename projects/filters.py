"""Finding projects: one FilterSet over a plan's projects, state kept in the query string."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Official, Unit

from .choices import CheckpointKind, CheckpointStatus, Domain, ProjectTier, progress_choices
from .models import Project
from .roles import has_own_projects

SEARCH_LIMIT = 100  # characters of keywords: enough for any title, and a bound on LIKE
UNASSIGNED = "none"  # the lead_official value for 待定


class ProjectFilter(django_filters.FilterSet):
    """Applied to the projects of the selected plan (every signed-in user may read them)."""

    q = django_filters.CharFilter(method="search", label=_("关键词"), max_length=SEARCH_LIMIT)
    domain = django_filters.ChoiceFilter(choices=Domain.choices, label=_("领域"))
    lead_official = django_filters.ChoiceFilter(method="by_official", label=_("牵头区领导"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="by_unit", label=_("单位（牵头或参与）")
    )
    status = django_filters.ChoiceFilter(
        choices=progress_choices(), method="by_status", label=_("进展状态")
    )
    # the parameters keep the names "gate" and "gate_status": links with them are shared
    gate = django_filters.ChoiceFilter(
        choices=CheckpointKind.choices, method="by_checkpoint", label=_("关口")
    )
    gate_status = django_filters.ChoiceFilter(
        choices=CheckpointStatus.choices, method="by_checkpoint", label=_("关口状态")
    )
    tier = django_filters.ChoiceFilter(choices=ProjectTier.choices, label=_("项目类别"))
    withdrawn = django_filters.BooleanFilter(
        method="with_withdrawn", widget=forms.CheckboxInput, label=_("包括已撤销的项目")
    )
    overdue = django_filters.BooleanFilter(
        method="only_overdue", widget=forms.CheckboxInput, label=_("只看有逾期关口的")
    )
    stale = django_filters.BooleanFilter(
        method="only_stale", widget=forms.CheckboxInput, label=_("只看30天未报进展的")
    )
    mine = django_filters.BooleanFilter(
        method="only_mine", widget=forms.CheckboxInput, label=_("只看我的项目")
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["lead_official"].extra["choices"] = [
            (UNASSIGNED, _("待定")),
            *((str(o.pk), o.name) for o in Official.objects.all()),
        ]
        for f in self.filters.values():
            if isinstance(f, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                f.extra["empty_label"] = _("全部")
        if not (user and has_own_projects(user)):
            del self.filters["mine"]

    def search(self, queryset, name, value):
        """Every word must match a project's texts, its lead official's name, or the full or
        short name of a unit that leads it or takes part in it."""
        for word in value.split()[:10]:
            queryset = queryset.matching(word)
        return queryset

    def by_official(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(lead_official__isnull=True)
        return queryset.filter(lead_official_id=value)

    def by_unit(self, queryset, name, value):
        return queryset.involving_unit(value)

    def by_status(self, queryset, name, value):
        return queryset.with_current_status_in(value)

    def by_checkpoint(self, queryset, name, value):
        # gate and gate_status work together: "方案关 = 需整改"; alone, each narrows by itself
        if name == "gate_status" and self.form.cleaned_data.get("gate"):
            return queryset  # applied with the gate below
        kind = self.form.cleaned_data.get("gate") or None
        status = self.form.cleaned_data.get("gate_status") or None
        return queryset.with_checkpoint(kind, status)

    def filter_queryset(self, queryset):
        """Withdrawn projects only when asked for."""
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("withdrawn"):
            queryset = queryset.in_plan()
        return queryset

    def with_withdrawn(self, queryset, name, value):
        return queryset  # applied in filter_queryset

    def only_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def only_stale(self, queryset, name, value):
        return queryset.stale() if value else queryset

    def only_mine(self, queryset, name, value):
        return queryset.mine(self.user) if value and self.user else queryset
