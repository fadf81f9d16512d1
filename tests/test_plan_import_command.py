"""``manage.py import_plan``: the same checks and preview as the page, printed in Chinese;
--dry-run writes nothing; errors, unknown names and a missing reason refuse the import."""

import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from projects.models import PlanAdjustment, Project
from units.models import Official, Unit

from .base import db_state
from .test_plan_import import REASON, ImportCase, edit_cells, workbook_of


class ImportCommandTests(ImportCase):
    def file(self, data):
        folder = Path(tempfile.mkdtemp(prefix="import-command-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "台账.xlsx"
        path.write_bytes(data)
        return str(path)

    def run_command(self, data, *options):
        out = io.StringIO()
        call_command("import_plan", self.file(data), *options, stdout=out)
        return out.getvalue()

    def refused(self, data, *options):
        state = db_state()
        with self.assertRaises(CommandError) as caught:
            self.run_command(data, *options)
        self.assertEqual(db_state(), state)
        return str(caught.exception)

    def edited(self):
        return edit_cells(self.ledger(), {(5, "改革目标"): "命令行导入的目标"})

    def test_dry_run_prints_the_preview_and_writes_nothing(self):
        state = db_state()
        out = self.run_command(self.edited(), "--year", "2017", "--dry-run", "--reason", REASON)
        self.assertEqual(db_state(), state)
        self.assertIn("新增 0 个项目，修改 1 个，10 个无变化", out)
        self.assertIn("修改 5 探索技能人才规模化培养路径（计入计划调整）", out)
        self.assertIn("改革目标：从而提升技能人才培养服务水平。 → 命令行导入的目标", out)
        self.assertIn("试运行（--dry-run）：未写入任何内容。", out)

    def test_an_approved_plan_needs_a_reason_then_records_it(self):
        message = self.refused(self.edited(), "--year", "2017")
        self.assertIn("须说明调整理由", message)
        out = self.run_command(
            self.edited(), "--year", "2017", "--reason", REASON, "--user", "alice"
        )
        self.assertIn("已导入：新增 0 个项目，修改 1 个，10 个无变化。", out)
        self.assertEqual(Project.objects.get(plan__year=2017, number=5).goals, "命令行导入的目标")
        adjustment = PlanAdjustment.objects.get()
        self.assertEqual((adjustment.reason, adjustment.made_by), (REASON, self.alice))

    def test_unknown_names_are_refused_with_the_list_unless_created(self):
        rows = [
            ["序号", "项目名称", "领域", "牵头区领导", "牵头单位"],
            [12, "新项目", "城市建设", "李四", "龙岗区新设单位"],
        ]
        data, options = workbook_of(rows), ("--year", "2017", "--reason", REASON)
        message = self.refused(data, *options)
        self.assertIn("系统中没有区领导「李四」（第2行）", message)
        self.assertIn("系统中没有单位「龙岗区新设单位」（第2行）", message)
        message = self.refused(data, *options, "--create-missing")
        self.assertIn("新建区领导「李四」（第2行）须写明职务：--position 李四=职务", message)
        out = self.run_command(data, *options, "--create-missing", "--position", "李四=副区长")
        self.assertIn("将新建：「李四（副区长）」、「龙岗区新设单位」", out)
        project = Project.objects.get(plan__year=2017, number=12)
        self.assertEqual(
            project.lead_official, Official.objects.get(name="李四", position="副区长")
        )
        self.assertEqual(project.lead_unit, Unit.objects.get(name="龙岗区新设单位"))

    def test_a_bad_file_or_year_is_refused_with_the_reason(self):
        self.assertIn("文件不是 .xlsx 格式", self.refused(b"not a workbook", "--year", "2017"))
        rows = [["序号", "项目名称", "领域"], [1, "项目", "经发"]]
        message = self.refused(workbook_of(rows), "--year", "2017", "--dry-run")
        self.assertIn("第2行「领域」：“经发”不是有效的领域", message)
        self.assertIn("没有 2030 年度的改革计划", self.refused(self.edited(), "--year", "2030"))
