"""The public suggestion pages (no sign-in): the form, and a suggestion's status by its
receipt number. Refusals cost no database work: the body size and the limits are checked
in the cache first. The status page shows only the status and the office's public reply."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import public
from ..models import Suggestion
from ..models.suggestion import receipt_display
from ..publicforms import ReceiptForm, SuggestionForm


def _refused(request, reason):
    status = 413 if reason == public.TOO_LARGE else 429
    context = {"too_large": reason == public.TOO_LARGE}
    return render(request, "intake/suggest_refused.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def suggest(request):
    if request.method == "POST":
        reason = public.refusal(request)
        if reason:
            return _refused(request, reason)
        form = SuggestionForm(request.POST)
        if form.is_trap:  # a robot: nothing stored, the same answer
            return _thanks(request, public.new_receipt())
        if form.is_valid():
            return _thanks(request, public.file_suggestion(form.cleaned_data).receipt)
        status = 400
    else:
        form, status = SuggestionForm(), 200
    context = {"form": form, "receipt_form": ReceiptForm()}
    return render(request, "intake/suggest.html", context, status=status)


def _thanks(request, receipt):
    shown = receipt_display(receipt)
    return render(request, "intake/suggest_thanks.html", {"receipt": receipt, "shown": shown})


@login_not_required
@never_cache
@require_GET
def suggest_find(request):
    """The look-up form on the public page: on to the receipt's own page."""
    form = ReceiptForm(request.GET)
    receipt = public.normalize_receipt(request.GET.get("receipt")) if form.is_valid() else None
    if receipt:
        return redirect("suggest_status", receipt=receipt)
    return _not_found(request, 400)


def _not_found(request, status=404):
    return render(request, "intake/suggest_status.html", {"suggestion": None}, status=status)


@login_not_required
@never_cache
@require_GET
def suggest_status(request, receipt):
    if public.lookups_exceeded(request):
        return _refused(request, public.TOO_MANY)
    receipt = public.normalize_receipt(receipt)
    found = (
        Suggestion.objects.with_public_status()
        .only("receipt", "disposition", "public_reply", "replied_at")
        .filter(receipt=receipt)
        .first()
        if receipt
        else None
    )
    if found is None:
        return _not_found(request)
    return render(request, "intake/suggest_status.html", {"suggestion": found})
