"""What experts and the office find out about a proposal: expert reviews (评审意见) and field
research (实地调研)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import PRINCIPLES, SCORE_MAX, SCORE_MIN, TOTAL_MAX, Recommendation
from .proposal import Proposal

SCORE_FIELDS = [name for name, _label in PRINCIPLES]


def _score(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )


def _finished_has_everything():
    done = Q(finished_at__isnull=False)
    complete = ~Q(recommendation="")
    for name in SCORE_FIELDS:
        complete &= Q(**{f"{name}__isnull": False})
    return ~done | complete


class Review(models.Model):
    """One outside expert's review of one proposal (评审意见): the office assigns the expert
    (the row exists, unfinished); the expert scores the proposal on each of the four
    principles (1–5), comments and recommends, and may revise while it is under review."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("项目建议"), on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.PROTECT,
        related_name="intake_reviews",
    )
    score_focus = _score(PRINCIPLES[0][1])
    score_need = _score(PRINCIPLES[1][1])
    score_pilot = _score(PRINCIPLES[2][1])
    score_replicable = _score(PRINCIPLES[3][1])
    comment = models.TextField(_("评审意见"), blank=True)
    recommendation = models.CharField(
        _("评审建议"), max_length=20, choices=Recommendation, blank=True
    )
    assigned_at = models.DateTimeField(_("分配时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["proposal", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "expert"],
                name="review_one_per_expert",
                violation_error_message=_("同一位专家对同一项目建议只评审一次。"),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": SCORE_MIN, f"{name}__lte": SCORE_MAX}),
                    name=f"review_{name}_range",
                    violation_error_message=_("评分须为1至5分。"),
                )
                for name in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(recommendation="") | Q(recommendation__in=Recommendation.values),
                name="review_recommendation_valid",
                violation_error_message=_("评审建议无效。"),
            ),
            models.CheckConstraint(
                condition=_finished_has_everything(),
                name="review_finished_is_complete",
                violation_error_message=_("完成的评审须有四项评分和评审建议。"),
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.expert}"

    out_of = TOTAL_MAX

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def scores(self):
        """(principle, score) in the order of the principles."""
        return [(label, getattr(self, name)) for name, label in PRINCIPLES]

    @property
    def total(self):
        values = [getattr(self, name) for name in SCORE_FIELDS]
        return sum(values) if None not in values else None

    @property
    def recommendation_choice(self):
        return Recommendation(self.recommendation) if self.recommendation else None


class FieldVisit(models.Model):
    """Field research for a proposal (实地调研), recorded by the office: when, where, who
    went and what they found."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("项目建议"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("调研日期"))
    place = models.CharField(_("调研地点"), max_length=200)
    people = models.CharField(_("参加人员"), max_length=200)
    findings = models.TextField(_("调研发现"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("实地调研")
        verbose_name_plural = _("实地调研")
        ordering = ["proposal", "visited_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") & ~Q(people="") & ~Q(findings=""),
                name="visit_has_place_people_findings",
                violation_error_message=_("请填写调研地点、参加人员和调研发现。"),
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.visited_on} · {self.place}"
