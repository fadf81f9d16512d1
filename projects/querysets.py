"""Named queries over plans, projects and instructions. Each method owns its joins, so a
page asks for ``for_portfolio()`` and gets a fixed number of queries whatever the size."""

from datetime import timedelta

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from .choices import (
    COUNTED_REPORTS,
    NOT_REPORTED,
    CheckpointStatus,
    InstructionStatus,
    ProjectStanding,
)

STALE_DAYS = 30  # a project with no progress report for this long needs chasing (需催办)


def stale_cutoff(today=None):
    """Reports older than this day are stale."""
    return (today or timezone.localdate()) - timedelta(days=STALE_DAYS)


def _model(name):
    return apps.get_model("projects", name)


def newest_report(field):
    """A subquery for ``field`` of the outer project's newest counted progress report
    (submitted or accepted; by report date, then id)."""
    newest = (
        _model("ProgressUpdate")
        .objects.filter(project=OuterRef("pk"), state__in=COUNTED_REPORTS)
        .order_by("-reported_on", "-pk")
    )
    return Subquery(newest.values(field)[:1])


class PlanManager(models.Manager):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class ProjectQuerySet(models.QuerySet):
    def active(self):
        """Still being carried out (在册): not withdrawn, closed out, carried over or
        stopped. What owes reports and is chased."""
        return self.filter(standing=ProjectStanding.ACTIVE)

    def in_plan(self):
        """Counted in the year's plan: all but the withdrawn (撤销) ones. A project closed
        out (已销号), carried over (已结转) or stopped (已终止) at year end stays in the
        year's figures, its list and its ledger."""
        return self.exclude(standing=ProjectStanding.WITHDRAWN)

    def of_tier(self, tier):
        """Of one tier (上级部署, 区重点, 单位自主); all tiers when ``tier`` is None."""
        return self.filter(tier=tier) if tier else self

    def with_current_status(self):
        """Annotate each project's newest progress report: ``newest_status``,
        ``newest_percent`` and ``newest_reported_on`` (None when it has none)."""
        return self.annotate(
            newest_status=newest_report("status"),
            newest_percent=newest_report("percent_complete"),
            newest_reported_on=newest_report("reported_on"),
        )

    def with_newest_summary(self):
        """Annotate ``newest_summary``, the text of each project's newest report."""
        return self.annotate(newest_summary=newest_report("summary"))

    def with_current_status_in(self, status):
        """Projects whose newest report has ``status``; NOT_REPORTED: those with none."""
        queryset = self.alias(current_status=newest_report("status"))
        if status == NOT_REPORTED:
            return queryset.filter(current_status__isnull=True)
        return queryset.filter(current_status=status)

    def stale(self, today=None):
        """No progress report in the last 30 days, or never (需催办)."""
        return self.alias(last_report=newest_report("reported_on")).filter(
            Q(last_report__isnull=True) | Q(last_report__lt=stale_cutoff(today))
        )

    def overdue(self, today=None):
        """At least one checkpoint past its planned date and not passed (逾期)."""
        late = (
            _model("Checkpoint")
            .objects.filter(project=OuterRef("pk"), planned_date__lt=today or timezone.localdate())
            .exclude(status=CheckpointStatus.PASSED)
        )
        return self.filter(Exists(late))

    def with_checkpoint(self, kind=None, status=None):
        """Projects with a checkpoint of ``kind`` (any kind if None) in ``status``."""
        checkpoints = _model("Checkpoint").objects.filter(project=OuterRef("pk"))
        if kind:
            checkpoints = checkpoints.filter(kind=kind)
        if status:
            checkpoints = checkpoints.filter(status=status)
        return self.filter(Exists(checkpoints))

    def matching(self, word):
        """Projects whose texts, lead official or units (leading or taking part, full or
        short name) contain ``word``."""
        texts = Q()
        for field in ("title", "problem", "principles", "content", "innovation", "goals"):
            texts |= Q(**{f"{field}__icontains": word})
        Unit = apps.get_model("units", "Unit")
        units = Unit.objects.filter(Q(name__icontains=word) | Q(short_name__icontains=word))
        through = self.model.participating_units.through
        takes_part = through.objects.filter(project=OuterRef("pk"), unit__in=units)
        return self.filter(
            texts
            | Q(lead_official__name__icontains=word)
            | Q(lead_unit__in=units)
            | Exists(takes_part)
        )

    def involving_unit(self, unit):
        """Projects the unit leads or takes part in."""
        through = self.model.participating_units.through
        takes_part = through.objects.filter(project=OuterRef("pk"), unit=unit)
        return self.filter(Q(lead_unit=unit) | Exists(takes_part))

    def mine(self, user):
        """A leader's projects (their official record leads) or a liaison's (their unit's)."""
        if user.official_id:
            return self.filter(lead_official_id=user.official_id)
        if user.unit_id:
            return self.involving_unit(user.unit_id)
        return self.none()

    def for_portfolio(self):
        """What the dashboard matrix and the list show: leads, the three checkpoints and the
        current status, in two queries whatever the number of projects."""
        return (
            self.select_related("plan", "lead_official", "lead_unit")
            .prefetch_related("checkpoints")
            .with_current_status()
        )

    def for_export(self):
        """One ledger row per project, in a fixed number of queries."""
        Instruction = _model("Instruction")
        return (
            self.for_portfolio()
            .prefetch_related(
                "participating_units",
                models.Prefetch(
                    "instructions",
                    queryset=Instruction.objects.open().select_related("official"),
                    to_attr="open_instructions",
                ),
            )
            .with_newest_summary()
        )

    def for_detail(self):
        """Everything the project page shows, in a fixed number of queries."""
        ProgressUpdate, Instruction = _model("ProgressUpdate"), _model("Instruction")
        return (
            self.select_related("plan", "lead_official", "lead_unit")
            .prefetch_related(
                "participating_units",
                "checkpoints",
                models.Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("author", "unit", "period"),
                ),
                models.Prefetch(
                    "instructions",
                    queryset=Instruction.objects.select_related(
                        "official", "author", "followed_up_by"
                    ),
                ),
            )
            .with_current_status()
        )


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    def get_by_natural_key(self, year, number):
        return self.get(plan__year=year, number=number)


class InstructionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InstructionStatus.OPEN)
