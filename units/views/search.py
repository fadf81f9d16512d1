"""The pickers' search: ``/units/search/?q=`` and ``/officials/search/?q=`` answer JSON
``{"results": [{"id", "label", "detail"}], "more": bool}``, at most SEARCH_LIMIT matches
for at most QUERY_LIMIT characters (longer: 400 with the message). Signed-in readers of
the directory only. ``<``, ``>`` and ``&`` are sent escaped (\\u003c…), so the answer
cannot be read as markup even by a careless client."""

import json

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..access import officials_for_user, units_for_user
from ..forms import SearchForm
from ..querysets import SEARCH_LIMIT

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _json(data, status=200):
    body = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _search(request, queryset, describe):
    search = SearchForm(request.GET)
    if not search.is_valid():
        return _json({"error": " ".join(search.errors["q"])}, status=400)
    text = search.text()
    if not text.strip():
        return _json({"results": [], "more": False})
    found = list(queryset.matching(text)[: SEARCH_LIMIT + 1])
    results = [describe(obj) for obj in found[:SEARCH_LIMIT]]
    return _json({"results": results, "more": len(found) > SEARCH_LIMIT})


def _unit(unit):
    detail = unit.name if unit.short_name and unit.short_name != unit.name else ""
    return {"id": unit.pk, "label": str(unit), "detail": detail}


def _official(official):
    detail = str(official.unit) if official.unit_id else ""
    return {"id": official.pk, "label": str(official), "detail": detail}


@never_cache
@require_GET
def unit_search(request):
    return _search(request, units_for_user(request), _unit)


@never_cache
@require_GET
def official_search(request):
    return _search(request, officials_for_user(request), _official)
