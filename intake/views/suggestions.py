"""The office's handling of public suggestions: the list and one suggestion's page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from projects.versioning import EditConflict

from .. import services
from ..access import get_suggestion_for_user, suggestion_reader
from ..choices import Disposition
from ..forms import ModerationForm
from ..models import Suggestion

PAGE_SIZE = 50
VIEWS = {
    "unhandled": lambda qs: qs.unhandled(),
    "all": lambda qs: qs.exclude(disposition=Disposition.SPAM),
    "spam": lambda qs: qs.filter(disposition=Disposition.SPAM),
}


@suggestion_reader
@require_GET
def suggestion_list(request):
    shown = request.GET.get("show", "unhandled")
    if shown not in VIEWS:
        shown = "unhandled"
    suggestions = VIEWS[shown](Suggestion.objects.with_public_status()).select_related("call__plan")
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "shown": shown}
    return render(request, "intake/suggestion_list.html", context)


@require_http_methods(["GET", "POST"])
def suggestion_detail(request, pk):
    need = "moderate" if request.method == "POST" else "read"
    suggestion = get_suggestion_for_user(request, pk, need=need)
    proposals = services.proposals_for_linking(suggestion)
    can_moderate = suggestion.can_moderate(request.user)
    error = None
    if request.method == "POST":
        form = ModerationForm(request.POST, instance=suggestion, proposals=proposals)
        if form.is_valid():
            try:
                services.moderate(suggestion, request.user, form)
            except EditConflict:
                error = _("该建议已被他人处理，请核对后再保存。")
            else:
                messages.success(request, _("处理结果已保存。"))
                return redirect(suggestion)
    else:
        form = ModerationForm(
            instance=suggestion, proposals=proposals, initial={"version": suggestion.version}
        )
    status = 409 if error else (400 if form.is_bound else 200)
    context = {
        "suggestion": suggestion,
        "form": form if can_moderate else None,
        "linked": suggestion.proposals.select_related("unit"),
        "error": error,
    }
    return render(request, "intake/suggestion_detail.html", context, status=status)
