from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from projects.choices import (
    CheckpointKind,
    CheckpointStatus,
    Domain,
    ProgressStatus,
    chinese_number,
)
from projects.models import Checkpoint, ProgressUpdate, Project, ReformPlan
from units.models import Unit

from .factories import make_plan, make_project, report


class ModelConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.plan = make_plan(2018, "龙岗区2018年改革计划")
        cls.project = make_project(cls.plan, 1, "测试项目", domain=Domain.ECONOMY)

    def test_new_project_gets_exactly_the_three_checkpoints_not_started(self):
        gates = list(self.project.checkpoints.values_list("kind", "status"))
        self.assertEqual(
            gates,
            [(kind, CheckpointStatus.NOT_STARTED) for kind in CheckpointKind.values],
        )

    def test_duplicate_number_in_a_plan_is_rejected_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Project.objects.create(plan=self.plan, number=1, title="重复", domain=Domain.URBAN)

    def test_same_number_in_another_plan_is_allowed(self):
        other = make_plan(2019, "龙岗区2019年改革计划")
        make_project(other, 1, "另一年")
        self.assertEqual(Project.objects.filter(number=1).count(), 2)

    def test_duplicate_number_gives_a_chinese_validation_message(self):
        dup = Project(plan=self.plan, number=1, title="重复", domain=Domain.URBAN)
        with self.assertRaises(ValidationError) as ctx:
            dup.full_clean()
        self.assertIn("同一改革计划中项目序号不能重复。", str(ctx.exception))

    def test_fourth_checkpoint_is_rejected_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Checkpoint.objects.create(project=self.project, kind=CheckpointKind.PLAN)
        self.assertEqual(self.project.checkpoints.count(), 3)

    def test_unknown_checkpoint_kind_is_rejected_by_the_database(self):
        self.project.checkpoints.filter(kind=CheckpointKind.OUTCOME).delete()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Checkpoint.objects.create(project=self.project, kind="bonus")

    def test_passed_checkpoint_needs_a_date(self):
        gate = self.project.checkpoints.get(kind=CheckpointKind.PLAN)
        gate.status = CheckpointStatus.PASSED
        with self.assertRaises(IntegrityError), transaction.atomic():
            gate.save()
        gate.passed_on = date(2017, 6, 1)
        gate.save()
        gate.refresh_from_db()
        self.assertEqual(gate.status, CheckpointStatus.PASSED)

    def _update(self, **kwargs):
        return report(self.project, **{"on": date(2017, 5, 1), "summary": "完成调研"} | kwargs)

    def test_percent_101_is_rejected_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            self._update(percent=101)
        self.assertFalse(ProgressUpdate.objects.exists())

    def test_percent_100_and_0_are_accepted(self):
        self._update(percent=0)
        self._update(percent=100)
        self.assertEqual(ProgressUpdate.objects.count(), 2)

    def test_empty_summary_and_unknown_status_are_rejected_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            self._update(summary="")
        with self.assertRaises(IntegrityError), transaction.atomic():
            self._update(status="great")

    def test_latest_update_sets_current_status_and_percent(self):
        self._update(on=date(2017, 5, 1), percent=10)
        self._update(on=date(2017, 6, 1), percent=35, status=ProgressStatus.DELAYED)
        self._update(on=date(2017, 4, 1), percent=5)
        project = Project.objects.with_current_status().get(pk=self.project.pk)
        self.assertEqual(project.current.percent, 35)
        self.assertEqual(ProgressStatus(project.current.status).label, "滞后")

    def test_unit_cannot_be_its_own_parent(self):
        unit = Unit.objects.create(name="测试局")
        unit.parent_id = unit.pk
        with self.assertRaises(IntegrityError), transaction.atomic():
            unit.save()

    def test_plan_year_is_unique(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            ReformPlan.objects.create(year=2018, title="又一个")


class ChineseNumberTests(TestCase):
    def test_plan_numbering(self):
        self.assertEqual(
            [chinese_number(n) for n in (1, 9, 10, 11, 20, 23)],
            ["一", "九", "十", "十一", "二十", "二十三"],
        )
