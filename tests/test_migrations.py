"""Data migrations that reshape existing rows keep every one of them."""

from datetime import date

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase


class ReportsIntoPeriodsTests(TransactionTestCase):
    """0014: reports written before periods existed join monthly periods, nothing lost."""

    before = [("projects", "0013_report_periods"), ("units", "0002_data_constraints")]
    after = [("projects", "0014_reports_into_periods")]

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def test_reports_join_monthly_periods_and_keep_their_texts(self):
        apps = self.migrate(self.before)
        Plan = apps.get_model("projects", "ReformPlan")
        Project = apps.get_model("projects", "Project")
        Report = apps.get_model("projects", "ProgressUpdate")
        Unit = apps.get_model("units", "Unit")
        unit = Unit.objects.create(name="测试牵头单位")
        plan = Plan.objects.create(year=2017, title="测试计划")
        project = Project.objects.create(
            plan=plan, number=1, title="测试项目", domain="urban", lead_unit=unit
        )
        for day, text in (
            (date(2017, 5, 3), "五月上"),
            (date(2017, 5, 20), "五月下"),
            (date(2017, 6, 9), "六月"),
        ):
            Report.objects.create(
                project=project,
                reported_on=day,
                summary=text,
                status="on_track",
                percent_complete=10,
            )
        apps = self.migrate(self.after)
        Report = apps.get_model("projects", "ProgressUpdate")
        Period = apps.get_model("projects", "ReportPeriod")
        self.assertEqual(
            sorted(Period.objects.values_list("name", "status")),
            [("2017年5月", "closed"), ("2017年6月", "closed")],
        )
        rows = {r.summary: r for r in Report.objects.select_related("period")}
        self.assertEqual(set(rows), {"五月上", "五月下", "六月"})  # nothing lost
        self.assertEqual(rows["六月"].period.name, "2017年6月")
        self.assertEqual(rows["五月下"].period.name, "2017年5月")
        self.assertIsNone(rows["五月上"].period)  # the older of two in one month stays apart
        self.assertEqual({r.state for r in rows.values()}, {"accepted"})
        self.assertEqual({r.unit_id for r in rows.values()}, {unit.pk})
