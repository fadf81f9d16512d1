"""An outside expert's pages: the proposals assigned to them, and their review of one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..access import expert_required, get_proposal_for_user
from ..forms import ReviewForm
from ..models import Review
from .proposals import _proposal_page


@expert_required
@require_GET
def review_list(request):
    reviews = Review.objects.filter(expert=request.user).select_related(
        "proposal__unit", "proposal__call__plan"
    )
    return render(request, "intake/review_list.html", {"reviews": reviews})


@require_POST
def proposal_review(request, pk):
    proposal = get_proposal_for_user(request, pk, need="review")
    review = Review.objects.get(proposal=proposal, expert=request.user)
    form = ReviewForm(request.POST, instance=review)
    if not form.is_valid():
        return _proposal_page(request, proposal, forms={"review": form}, status=400)
    services.save_review(proposal, request.user, form)
    messages.success(request, _("评审意见已保存，评审期间可以修改。"))
    return redirect("intake:review_list")
