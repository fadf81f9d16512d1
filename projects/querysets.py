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
        """The current status is stored on each project (``projects.current``): nothing
        to add. Kept so that callers say what they read."""
        return self

    def with_newest_summary(self):
        """Annotate ``newest_summary``, the text of each project's newest report."""
        return self.annotate(newest_summary=newest_report("summary"))

    def with_current_status_in(self, status):
        """Projects whose newest report has ``status``; NOT_REPORTED: those with none."""
        return self.filter(current_status="" if status == NOT_REPORTED else status)

    def stale(self, today=None):
        """No progress report in the last 30 days, or never (需催办)."""
        return self.filter(
            Q(current_reported_on__isnull=True) | Q(current_reported_on__lt=stale_cutoff(today))
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
        """The ledger's projects; ``ledger_records()`` reads them."""
        return self.with_newest_summary()

    LEDGER_FIELDS = (
        "pk", "number", "title", "domain", "tier", "issuing_level", "lead_official__name",
        "lead_unit__name", "current_status", "current_percent", "current_reported_on",
        "newest_summary", "problem", "content", "goals",
    )  # fmt: skip

    def ledger_records(self):
        """One dict per project for the ledger, in four queries of plain values whatever
        the number of projects (no model instances: an export of thousands of rows is
        mostly building them): its fields, then ``checkpoints`` {kind: (status, planned,
        passed)}, ``units`` (participating unit names) and ``open_instructions`` (issued
        on, official's name, text), each read for all the projects at once."""
        Checkpoint, Instruction = _model("Checkpoint"), _model("Instruction")
        records = list(self.values(*self.LEDGER_FIELDS))
        by_pk = {}
        for record in records:
            record.update(checkpoints={}, units=[], open_instructions=[])
            by_pk[record["pk"]] = record
        chosen = self.values("pk")
        for pk, kind, *dates in Checkpoint.objects.filter(project__in=chosen).values_list(
            "project_id", "kind", "status", "planned_date", "passed_on"
        ):
            by_pk[pk]["checkpoints"][kind] = tuple(dates)
        through = self.model.participating_units.through
        units = through.objects.filter(project__in=chosen).order_by("unit__kind", "unit__name")
        for pk, name in units.values_list("project_id", "unit__name"):
            by_pk[pk]["units"].append(name)
        instructions = (
            Instruction.objects.open().filter(project__in=chosen).order_by("-issued_on", "-pk")
        )
        for pk, *instruction in instructions.values_list(
            "project_id", "issued_on", "official__name", "text"
        ):
            by_pk[pk]["open_instructions"].append(instruction)
        return records

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
