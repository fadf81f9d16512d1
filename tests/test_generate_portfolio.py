"""The generate_portfolio command: sizes, the gate order, and the real plan left alone."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max
from django.test import TestCase
from django.utils import timezone

from projects.choices import CheckpointKind, CheckpointStatus, InstructionStatus
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project, ReformPlan
from units.models import Unit


def generate(*args):
    out = StringIO()
    call_command("generate_portfolio", *args, stdout=out)
    return out.getvalue()


def snapshot(year):
    """Every stored value of the plan of ``year`` and of its projects' rows."""
    projects = Project.objects.filter(plan__year=year)
    return {
        "plan": list(ReformPlan.objects.filter(year=year).values()),
        "projects": list(projects.order_by("pk").values()),
        "participants": sorted(projects.values_list("pk", "participating_units")),
        "checkpoints": list(
            Checkpoint.objects.filter(project__in=projects).order_by("pk").values()
        ),
        "updates": list(
            ProgressUpdate.objects.filter(project__in=projects).order_by("pk").values()
        ),
        "instructions": list(
            Instruction.objects.filter(project__in=projects).order_by("pk").values()
        ),
    }


class GeneratedPortfolioTests(TestCase):
    """Two synthetic plans of 30 projects with 3 updates each, beside the 2017 plan."""

    fixtures = ["plan_2017"]

    @classmethod
    def setUpTestData(cls):
        cls.real_before = snapshot(2017)
        cls.output = generate(
            "--plans", "2", "--projects", "30", "--updates-per-project", "3", "--seed", "7"
        )
        cls.projects = Project.objects.filter(plan__synthetic=True)
        cls.checkpoints = Checkpoint.objects.filter(project__plan__synthetic=True)
        cls.updates = ProgressUpdate.objects.filter(project__plan__synthetic=True)

    def test_exact_counts(self):
        self.assertEqual(ReformPlan.objects.filter(synthetic=True).count(), 2)
        self.assertEqual(self.projects.count(), 60)
        self.assertEqual(self.checkpoints.count(), 180)
        self.assertEqual(self.updates.count(), 180)
        for plan in ReformPlan.objects.filter(synthetic=True):
            numbers = list(plan.projects.order_by("number").values_list("number", flat=True))
            self.assertEqual(numbers, list(range(1, 31)))

    def test_three_checkpoints_and_three_updates_per_project(self):
        for project in self.projects.prefetch_related("checkpoints", "updates"):
            with self.subTest(project=project.pk):
                kinds = sorted(c.kind for c in project.checkpoints.all())
                self.assertEqual(kinds, sorted(CheckpointKind.values))
                self.assertEqual(len(project.updates.all()), 3)

    def test_plans_take_free_years_from_2100_down(self):
        plans = ReformPlan.objects.filter(synthetic=True).order_by("-year")
        self.assertEqual(
            list(plans.values_list("year", "title")),
            [(2100, "演示计划（生成）2100"), (2099, "演示计划（生成）2099")],
        )

    def test_summary_line(self):
        self.assertEqual(len(self.output.strip().splitlines()), 1)
        self.assertIn("项目 60、关口 180、进展 180", self.output)

    def test_real_plan_unchanged(self):
        self.assertEqual(snapshot(2017), self.real_before)
        self.assertFalse(ReformPlan.objects.get(year=2017).synthetic)

    def test_gate_order_holds(self):
        """Passed gates first, then at most one gate under way, then gates not started."""
        for project in self.projects.prefetch_related("checkpoints"):
            gates = sorted(project.checkpoints.all(), key=lambda c: CheckpointKind(c.kind).order)
            statuses = [c.status for c in gates]
            passed = statuses.count(CheckpointStatus.PASSED)
            with self.subTest(project=project.pk, statuses=statuses):
                self.assertEqual(statuses[:passed], [CheckpointStatus.PASSED] * passed)
                later = statuses[passed + 1 :]
                self.assertEqual(later, [CheckpointStatus.NOT_STARTED] * len(later))

    def test_every_row_passes_the_model_validation_and_constraints(self):
        instructions = Instruction.objects.filter(project__plan__synthetic=True)
        for row in [*self.checkpoints, *self.updates, *instructions]:
            with self.subTest(row=repr(row)):
                # no author: generated rows were not written by anyone
                row.full_clean(exclude=["author"])

    def test_a_realistic_mix_with_overdue_gates_and_stale_projects(self):
        today = timezone.localdate()
        self.assertEqual(len(set(self.checkpoints.values_list("status", flat=True))), 5)
        overdue = self.checkpoints.exclude(status=CheckpointStatus.PASSED).filter(
            planned_date__lt=today
        )
        self.assertTrue(overdue.exists())
        newest = self.projects.annotate(newest=Max("updates__reported_on"))
        self.assertTrue(newest.filter(newest__lt=today - timedelta(days=30)).exists())
        self.assertTrue(newest.filter(newest__gte=today - timedelta(days=30)).exists())
        statuses = set(Instruction.objects.values_list("status", flat=True))
        self.assertEqual(statuses, {InstructionStatus.OPEN, InstructionStatus.DONE})

    def test_updates_within_the_past_year_and_percent_never_drops(self):
        today = timezone.localdate()
        for project in self.projects:
            updates = project.updates.order_by("reported_on", "pk")
            with self.subTest(project=project.pk):
                dates = [u.reported_on for u in updates]
                self.assertTrue(today - timedelta(days=365) <= dates[0] <= dates[-1] <= today)
                percents = [u.percent_complete for u in updates]
                self.assertEqual(percents, sorted(percents))

    def test_clear_removes_only_synthetic_plans(self):
        output = generate("--clear")
        self.assertIn("删除演示计划 2 个", output)
        self.assertEqual(list(ReformPlan.objects.values_list("year", flat=True)), [2017])
        self.assertEqual(Project.objects.count(), 11)
        self.assertEqual(Checkpoint.objects.count(), 33)
        self.assertFalse(ProgressUpdate.objects.exists())
        self.assertFalse(Instruction.objects.exists())
        self.assertEqual(snapshot(2017), self.real_before)

    def test_same_seed_same_data(self):
        def data():
            return list(
                self.checkpoints.order_by(
                    "project__plan__year", "project__number", "kind"
                ).values_list("project__number", "kind", "status", "planned_date", "passed_on")
            )

        first = data()
        generate(
            "--clear",
            "--plans",
            "2",
            "--projects",
            "30",
            "--updates-per-project",
            "3",
            "--seed",
            "7",
        )
        self.assertEqual(data(), first)


class GeneratorArgumentTests(TestCase):
    def test_skips_years_already_taken(self):
        ReformPlan.objects.create(year=2100, title="真实的2100年计划")
        generate("--projects", "2", "--updates-per-project", "0")
        self.assertEqual(ReformPlan.objects.get(synthetic=True).year, 2099)
        self.assertFalse(ReformPlan.objects.get(year=2100).synthetic)

    def test_adds_units_when_fewer_than_five(self):
        generate("--projects", "1")
        self.assertTrue(Project.objects.exists())
        self.assertGreaterEqual(Unit.objects.count(), 5)

    def test_rejects_impossible_sizes(self):
        with self.assertRaises(CommandError):
            generate("--projects", "0")
        with self.assertRaises(CommandError):
            generate("--projects", "40000")
