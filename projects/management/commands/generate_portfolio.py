"""Generate a synthetic portfolio (演示计划) of any size, for benchmarks and demos.

    python manage.py generate_portfolio --plans 5 --projects 2000 --updates-per-project 20
    python manage.py generate_portfolio --clear              # delete every synthetic plan
    python manage.py generate_portfolio --clear --plans 1    # …and generate a fresh one

``--projects`` is per plan; ``--seed N`` makes the data reproducible. Generated plans are
marked ``synthetic=True``, titled 演示计划（生成）<year> and take the free years counting
down from 2100. Real plans (``synthetic=False``, such as the 2017 plan) are never written
to nor deleted.

Rows are written with ``bulk_create`` in batches, in one transaction. That bypasses
``save()``: no post_save signal, so the three checkpoints of each project are written here,
and no simple-history records, neither when generating nor when clearing.
"""

import random
import time
from collections import Counter
from datetime import timedelta
from itertools import batched, chain

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects import current
from projects.choices import (
    CheckpointKind,
    CheckpointStatus,
    Domain,
    InstructionStatus,
    PlanStatus,
    ProgressStatus,
)
from projects.models import (
    Checkpoint,
    Decision,
    Instruction,
    PlanAdjustment,
    ProgressUpdate,
    Project,
    ReformPlan,
)
from units.models import Official, Unit

BATCH_SIZE = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the plan_year_range constraint
MAX_PROJECTS = 32767  # Project.number is a small integer
MIN_UNITS = 5  # fewer units than this and some 演示单位 are added
PARTICIPATION = Project.participating_units.through

# How many of its three checkpoints a project has passed: 0, 1, 2 or 3.
PASSED_CHECKPOINTS_WEIGHTS = (40, 30, 20, 10)
# The status of the first checkpoint not yet passed; the ones after it are not started.
# Any other status but 已通过 (a new one, say) weighs 1.
CURRENT_CHECKPOINT_WEIGHTS = {
    CheckpointStatus.NOT_STARTED: 3,
    CheckpointStatus.IN_PROGRESS: 4,
    CheckpointStatus.SUBMITTED: 2,
    CheckpointStatus.REWORK: 1,
}
CHECKPOINT_SPACING_DAYS = 120  # between the planned dates of consecutive checkpoints
PROGRESS_WEIGHTS = {
    ProgressStatus.ON_TRACK: 6,
    ProgressStatus.WARNING: 3,
    ProgressStatus.DELAYED: 1,
}
STALE_SHARE = 0.2  # projects whose newest update is more than 30 days old
HISTORY_DAYS = 365  # updates, passed checkpoints and instructions fall within the past year
SUBMITTED_STATUSES = (CheckpointStatus.SUBMITTED, CheckpointStatus.PASSED, CheckpointStatus.REWORK)


def current_checkpoint_weights():
    """Every status but 已通过 may be the current checkpoint's."""
    return {
        status: CURRENT_CHECKPOINT_WEIGHTS.get(status, 1)
        for status in CheckpointStatus
        if status != CheckpointStatus.PASSED
    }


def weighted(rng, weights):
    """One key of ``weights``, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def insert(model, rows):
    """``bulk_create`` any iterable of unsaved rows, BATCH_SIZE at a time; return the count."""
    total = 0
    for batch in batched(rows, BATCH_SIZE):
        model.objects.bulk_create(batch)
        total += len(batch)
    return total


def free_years(count):
    """``count`` years without a plan, counting down from 2100."""
    used = set(ReformPlan.objects.values_list("year", flat=True))
    years = [y for y in range(LAST_YEAR, FIRST_YEAR - 1, -1) if y not in used][:count]
    if len(years) < count:
        raise CommandError(f"只剩 {len(years)} 个空闲年度（{FIRST_YEAR}–{LAST_YEAR}）。")
    return years


def ensure_units():
    """Add 演示单位01, 02… until there are at least MIN_UNITS units to lead projects."""
    existing, number = Unit.objects.count(), 1
    while existing < MIN_UNITS:
        _, created = Unit.objects.get_or_create(name=f"演示单位{number:02d}")
        existing, number = existing + created, number + 1


def clear_synthetic():
    """Delete the synthetic plans and all their rows, children first; return the plan count.

    ``_raw_delete`` issues one DELETE per table without loading the rows: a normal
    ``delete()`` would fetch every row and write a simple-history record for each.
    """
    plans = ReformPlan.objects.filter(synthetic=True)
    projects = Project.objects.filter(plan__in=plans)
    count = plans.count()
    for queryset in (
        Decision.objects.filter(Q(plan__in=plans) | Q(project__in=projects)),
        PlanAdjustment.objects.filter(plan__in=plans),
        Instruction.objects.filter(project__in=projects),
        ProgressUpdate.objects.filter(project__in=projects),
        Checkpoint.objects.filter(project__in=projects),
        PARTICIPATION.objects.filter(project__in=projects),
        projects,
        plans,
    ):
        queryset._raw_delete(queryset.db)
    return count


class PortfolioGenerator:
    """Writes synthetic plans, drawing every random choice from one ``random.Random``."""

    def __init__(self, rng, *, projects, updates_per_project):
        self.rng = rng
        self.projects = projects
        self.updates = updates_per_project
        self.today = timezone.localdate()
        self.unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
        self.official_ids = list(Official.objects.order_by("pk").values_list("pk", flat=True))
        self.counts = Counter()

    def generate(self, year):
        plan = ReformPlan.objects.create(
            year=year,
            title=f"演示计划（生成）{year}",
            summary="由 generate_portfolio 生成的演示/压测数据，不是真实改革计划。",
            synthetic=True,
            status=PlanStatus.IN_PROGRESS,
        )
        numbers = range(1, self.projects + 1)
        self.counts["project"] += insert(Project, (self._project(plan, n) for n in numbers))
        ids = list(plan.projects.order_by("number").values_list("pk", flat=True))
        self._insert_all(Checkpoint, self._checkpoints, ids)
        self._insert_all(PARTICIPATION, self._participations, ids)
        self._insert_all(ProgressUpdate, self._updates, ids)
        self.counts["instruction"] += insert(Instruction, self._instructions(ids))
        current.refresh(ids)  # bulk_create sent no signal: store each project's status

    def _insert_all(self, model, rows_of, project_ids):
        rows = chain.from_iterable(map(rows_of, project_ids))
        self.counts[model._meta.model_name] += insert(model, rows)

    def _maybe(self, ids):
        """A random id from ``ids``, or None (待定) as often as any one of them."""
        return self.rng.choice([*ids, None])

    def _past_date(self):
        return self.today - timedelta(days=self.rng.randint(0, HISTORY_DAYS))

    def _project(self, plan, number):
        return Project(
            plan=plan,
            number=number,
            title=f"演示项目{number:04d}",
            domain=self.rng.choice(Domain.values),
            content="演示数据：由 generate_portfolio 生成。",
            lead_official_id=self._maybe(self.official_ids),
            lead_unit_id=self._maybe(self.unit_ids),
        )

    def _checkpoints(self, project_id):
        """The checkpoints in order: a passed prefix, the current one, the rest not started."""
        passed = self.rng.choices(range(4), weights=PASSED_CHECKPOINTS_WEIGHTS)[0]
        passed_dates = sorted(self._past_date() for _ in range(passed))
        first_planned = self.today + timedelta(days=self.rng.randint(-240, 60))
        for index, kind in enumerate(CheckpointKind.values):
            status = self._checkpoint_status(index, passed)
            yield Checkpoint(
                project_id=project_id,
                kind=kind,
                status=status,
                planned_date=first_planned + timedelta(days=CHECKPOINT_SPACING_DAYS * index),
                passed_on=passed_dates[index] if index < passed else None,
                evidence="演示报审材料" if status in SUBMITTED_STATUSES else "",
                assessment_notes="演示整改意见" if status == CheckpointStatus.REWORK else "",
            )

    def _checkpoint_status(self, index, passed):
        if index < passed:
            return CheckpointStatus.PASSED
        if index == passed:
            return weighted(self.rng, current_checkpoint_weights())
        return CheckpointStatus.NOT_STARTED

    def _participations(self, project_id):
        """0–2 participating units."""
        unit_ids = self.rng.sample(self.unit_ids, self.rng.randint(0, 2))
        return (PARTICIPATION(project_id=project_id, unit_id=unit_id) for unit_id in unit_ids)

    def _updates(self, project_id):
        """Dated updates, oldest first, with non-decreasing percentages; some end stale."""
        if not self.updates:
            return
        stale = self.rng.random() < STALE_SHARE
        newest = self.rng.randint(31, 180) if stale else self.rng.randint(0, 30)
        older = (self.rng.randint(newest, HISTORY_DAYS) for _ in range(self.updates - 1))
        ages = [*sorted(older, reverse=True), newest]
        percents = sorted(self.rng.randint(0, 100) for _ in range(self.updates))
        for number, (age, percent) in enumerate(zip(ages, percents, strict=True), start=1):
            yield ProgressUpdate(
                project_id=project_id,
                reported_on=self.today - timedelta(days=age),
                summary=f"第{number}次进展（演示数据）",
                status=weighted(self.rng, PROGRESS_WEIGHTS),
                percent_complete=percent,
            )

    def _instructions(self, project_ids):
        """A few leader instructions on random projects, alternately open and done."""
        for index in range(max(4, len(project_ids) // 100)):
            issued = self._past_date()
            done = index % 2 == 1
            yield Instruction(
                project_id=self.rng.choice(project_ids),
                official_id=self._maybe(self.official_ids),
                issued_on=issued,
                text="请加快推进，按期完成（演示批示）",
                status=InstructionStatus.DONE if done else InstructionStatus.OPEN,
                follow_up="已按批示落实（演示数据）" if done else "",
                followed_up_on=self._follow_up_date(issued) if done else None,
            )

    def _follow_up_date(self, issued):
        return min(issued + timedelta(days=self.rng.randint(1, 30)), self.today)


class Command(BaseCommand):
    help = "生成任意规模的演示/压测计划（synthetic=True）；--clear 删除全部演示计划。"

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, help="生成几个计划（默认 1；与 --clear 同用时 0）")
        parser.add_argument("--projects", type=int, default=100, help="每个计划的项目数")
        parser.add_argument("--updates-per-project", type=int, default=10, help="每个项目的进展数")
        parser.add_argument("--seed", type=int, help="随机种子，相同种子生成相同数据")
        parser.add_argument("--clear", action="store_true", help="先删除全部演示计划")

    def handle(self, *args, **options):
        started = time.perf_counter()
        plans = options["plans"]
        if plans is None:
            plans = 0 if options["clear"] else 1
        self._validate(plans, options)
        with transaction.atomic():
            cleared = clear_synthetic() if options["clear"] else 0
            years, counts = self._generate(plans, options)
        seconds = time.perf_counter() - started
        self.stdout.write(summary(cleared, years, counts, seconds))

    def _validate(self, plans, options):
        if plans < 0 or options["updates_per_project"] < 0:
            raise CommandError("--plans 和 --updates-per-project 不能为负数。")
        if not 1 <= options["projects"] <= MAX_PROJECTS:
            raise CommandError(f"--projects 须在 1 到 {MAX_PROJECTS} 之间。")

    def _generate(self, plans, options):
        if not plans:
            return [], Counter()
        years = free_years(plans)
        ensure_units()
        generator = PortfolioGenerator(
            random.Random(options["seed"]),  # noqa: S311 - demo data, not security
            projects=options["projects"],
            updates_per_project=options["updates_per_project"],
        )
        for year in years:
            generator.generate(year)
        return years, generator.counts


def summary(cleared, years, counts, seconds):
    """The command's one-line report."""
    made = "、".join(map(str, years)) or "无"
    return (
        f"删除演示计划 {cleared} 个；生成演示计划 {len(years)} 个（{made}）："
        f"项目 {counts['project']}、关口 {counts['checkpoint']}、"
        f"进展 {counts['progressupdate']}、批示 {counts['instruction']}；"
        f"用时 {seconds:.2f} 秒"
    )
