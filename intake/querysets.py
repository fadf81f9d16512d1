"""Named queries of the intake; each owns its joins, so a page asks once and gets a fixed
number of queries whatever the number of proposals, reviews and suggestions."""

from functools import reduce
from operator import add

from django.apps import apps
from django.db import models
from django.db.models import Avg, Count, Exists, F, Func, IntegerField, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce

from projects.choices import ProjectStanding, ProjectTier

from .choices import PRINCIPLES, Disposition, ProposalStatus

SCORE_FIELDS = [name for name, _label in PRINCIPLES]
# A suggestion "made it into the plan" through a proposal that did, or that was merged
# into one that did.
ADOPTED = (ProposalStatus.SELECTED, ProposalStatus.UNIT_OWN)


def _model(name, app="intake"):
    return apps.get_model(app, name)


def count_of(queryset):
    """A scalar subquery counting ``queryset``'s rows (``COUNT`` with no GROUP BY)."""
    counted = queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(models.Subquery(counted, output_field=IntegerField()), 0)


def _links():
    return _model("Suggestion").proposals.through.objects


def _reaching(statuses):
    """Links from a suggestion to a proposal in ``statuses`` or merged into one."""
    return Q(proposal__status__in=statuses) | Q(proposal__merged_into__status__in=statuses)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What ``Proposal.can_read`` allows, as a filter: all for the office and leaders,
        a liaison's own unit's, an expert's assigned ones."""
        if user.has_perm("intake.view_proposal"):
            return self
        allowed = Q()
        if user.has_perm("intake.propose_for_unit") and user.unit_id:
            allowed |= Q(unit_id=user.unit_id)
        if user.has_perm("intake.review_assigned"):
            assigned = _model("Review").objects.filter(proposal=OuterRef("pk"), expert=user)
            allowed |= Q(Exists(assigned))
        return self.filter(allowed) if allowed else self.none()

    def with_scores(self):
        """Annotate each proposal with its finished reviews' figures: ``reviews_done``,
        ``reviews_assigned``, ``average`` (of the totals, out of 20), ``highest``,
        ``lowest``; and ``suggestion_count``, the public suggestions linked to it."""
        finished = Q(reviews__finished_at__isnull=False)
        total = reduce(add, (F(f"reviews__{name}") for name in SCORE_FIELDS))
        return self.annotate(
            reviews_assigned=Count("reviews"),
            reviews_done=Count("reviews", filter=finished),
            average=Avg(total, filter=finished),
            highest=Max(total, filter=finished),
            lowest=Min(total, filter=finished),
            suggestion_count=count_of(_links().filter(proposal=OuterRef("pk"))),
        )

    def for_board(self):
        """The ranked board: best average first (unscored last), with unit and leader."""
        return (
            self.exclude(status=ProposalStatus.DRAFT)
            .select_related("unit", "suggested_leader", "project__plan")
            .with_scores()
            .order_by(F("average").desc(nulls_last=True), "pk")
        )

    def for_list(self):
        """A call page's list: the proposals with their unit and review figures."""
        return self.select_related("unit").with_scores().order_by("pk")


class SuggestionQuerySet(models.QuerySet):
    def with_public_status(self):
        """Annotate ``forwarded`` (linked to any proposal) and ``adopted`` (to one that
        made it into the plan), which ``Suggestion.public_status`` reads."""
        links = _links().filter(suggestion=OuterRef("pk"))
        return self.annotate(
            forwarded=Exists(links), adopted=Exists(links.filter(_reaching(ADOPTED)))
        )

    def unhandled(self):
        """Not sorted as duplicate or spam, not replied to, not linked to a proposal."""
        links = _links().filter(suggestion=OuterRef("pk"))
        return self.filter(disposition=Disposition.VALID, public_reply="").exclude(Exists(links))


def funnel_figures(plan):
    """The intake of ``plan`` in one query: proposals received (submitted at least once),
    reviewed (at least one finished expert review) and selected; suggestions received (not
    spam) and linked to selected proposals; the plan's 区重点 projects; whether a call
    exists."""
    Proposal, Suggestion, Review = (_model(n) for n in ("Proposal", "Suggestion", "Review"))
    proposals = Proposal.objects.filter(call__plan=OuterRef("pk"))
    received = proposals.filter(submitted_at__isnull=False)
    finished = Review.objects.filter(proposal=OuterRef("pk"), finished_at__isnull=False)
    suggestions = Suggestion.objects.filter(call__plan=OuterRef("pk")).exclude(
        disposition=Disposition.SPAM
    )
    selected_links = (
        _links().filter(suggestion=OuterRef("pk")).filter(_reaching((ProposalStatus.SELECTED,)))
    )
    projects = (
        _model("Project", "projects")
        .objects.filter(plan=OuterRef("pk"), tier=ProjectTier.DISTRICT)
        .exclude(standing=ProjectStanding.WITHDRAWN)  # closed out or carried: still counted
    )
    calls = _model("Call").objects.filter(plan=OuterRef("pk"))
    return (
        _model("ReformPlan", "projects")
        .objects.filter(pk=plan.pk)
        .values(
            received=count_of(received),
            reviewed=count_of(received.filter(Exists(finished))),
            selected=count_of(proposals.filter(status=ProposalStatus.SELECTED)),
            suggestions=count_of(suggestions),
            linked=count_of(suggestions.filter(Exists(selected_links))),
            district_projects=count_of(projects),
            calls=count_of(calls),
        )
        .get()
    )
