"""The directory: units and district officials, listed for everyone who may read them,
added and edited by the reform office and administrators (no admin site needed)."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..access import (
    get_official_for_user,
    get_unit_for_user,
    new_official_for_user,
    new_unit_for_user,
    officials_for_user,
    units_for_user,
)
from ..forms import OfficialForm, UnitForm
from ..history import history_of
from ..services import check_unit_tree
from .common import edit_page, list_page


@require_GET
def unit_list(request):
    return list_page(request, units_for_user(request), "units/unit_list.html")


@require_http_methods(["GET", "POST"])
def unit_add(request):
    return _unit_page(request, new_unit_for_user(request))


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    return _unit_page(request, get_unit_for_user(request, pk, need="edit"))


def _unit_page(request, unit):
    adding = unit.pk is None
    return edit_page(
        request,
        UnitForm,
        unit,
        template="units/directory_form.html",
        success=lambda u: (
            (_("已新增单位“%(name)s”。") if adding else _("已保存单位“%(name)s”。"))
            % {"name": u.name}
        ),
        done=reverse("unit_list"),
        before=check_unit_tree,
        context={
            "kind": "unit",
            "object": unit,
            "title": unit.name,
            "heading": _("新增单位") if adding else _("修改单位信息"),
            "back": reverse("unit_list"),
            "history": None if adding else SimpleLazyObject(lambda: history_of(unit)),
        },
    )


@require_GET
def official_list(request):
    return list_page(request, officials_for_user(request), "units/official_list.html")


@require_http_methods(["GET", "POST"])
def official_add(request):
    return _official_page(request, new_official_for_user(request))


@require_http_methods(["GET", "POST"])
def official_edit(request, pk):
    return _official_page(request, get_official_for_user(request, pk, need="edit"))


def _official_page(request, official):
    adding = official.pk is None
    return edit_page(
        request,
        OfficialForm,
        official,
        template="units/directory_form.html",
        success=lambda o: (
            (_("已新增区领导“%(name)s”。") if adding else _("已保存区领导“%(name)s”。"))
            % {"name": o.name}
        ),
        done=reverse("official_list"),
        context={
            "kind": "official",
            "object": official,
            "title": str(official) if official.pk else "",
            "heading": _("新增区领导") if adding else _("修改区领导信息"),
            "back": reverse("official_list"),
            "history": None if adding else SimpleLazyObject(lambda: history_of(official)),
        },
    )
