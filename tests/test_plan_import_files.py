"""Bad import files get a 400 with the reason in Chinese, never a 500, and nothing is
written or kept: not an .xlsx, too big, too many rows, a zip bomb, formulas, merged or
missing headers, and cells that cannot be read (by row and column)."""

import io
import re
import struct
import zipfile

from django.urls import reverse

from projects.models import Project
from projects.planimport import MAX_BYTES, MAX_ROWS
from units.models import Official, Unit

from .base import db_state
from .factories import make_plan
from .test_plan_import import ImportCase, workbook_of

HEADER = ["序号", "项目名称", "领域"]


def rezip(data, name, replace):
    """``data`` (a zip) with member ``name``'s text changed by ``replace(text)``."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = replace(content.decode()).encode()
            target.writestr(item.filename, content)
    return buffer.getvalue()


def zip_of(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


class BadFileTests(ImportCase):
    def setUp(self):
        super().setUp()
        self.plan = make_plan(2018, title="龙岗区2018年改革计划")

    def assertRefused(self, data, *reasons, name="计划.xlsx"):
        state = db_state()
        response = self.upload(2018, data, name=name)
        for reason in reasons:
            self.assertContains(response, reason, status_code=400)
        self.assertEqual(db_state(), state)
        self.assertFalse(Project.objects.filter(plan=self.plan).exists())
        self.assertEqual(self.kept_files(), [])
        return response

    def test_files_that_are_not_xlsx(self):
        cases = {
            "text": b"\xe5\xba\x8f\xe5\x8f\xb7,\xe9\xa1\xb9\xe7\x9b\xae\n1,x\n",
            "old .xls": bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504),
            "a zip that is no workbook": zip_of({"word/document.xml": "<w/>"}),
            "a zip with a broken workbook": zip_of({"xl/workbook.xml": "<not xml"}),
            "empty": b"",
        }
        for case, data in cases.items():
            with self.subTest(case):
                self.assertRefused(data, "文件不是 .xlsx 格式")

    def test_no_file_chosen(self):
        response = self.client.post(reverse("plan_import", args=[2018]), {})
        self.assertContains(response, "请选择要导入的 .xlsx 文件", status_code=400)

    def test_over_ten_megabytes(self):
        self.assertRefused(b"PK" + bytes(MAX_BYTES), "文件超过10 MB")

    def test_over_five_thousand_rows(self):
        rows = [HEADER, *([n, f"项目{n}", "城市建设"] for n in range(1, MAX_ROWS + 2))]
        self.assertRefused(workbook_of(rows), "文件超过5000行数据")

    def test_five_thousand_rows_are_accepted(self):
        rows = [HEADER, *([n, f"项目{n}", "城市建设"] for n in range(1, MAX_ROWS + 1))]
        self.assertEqual(self.upload(2018, workbook_of(rows)).status_code, 302)

    def test_a_zip_bomb_is_refused_from_its_directory(self):
        valid = workbook_of([HEADER, [1, "项目", "城市建设"]])
        bomb = rezip(valid, "xl/worksheets/sheet1.xml", lambda xml: xml + " " * 5_000_000)
        self.assertRefused(bomb, "文件解压后过大")

    def test_a_directory_that_claims_more_than_100_megabytes_is_refused(self):
        data = bytearray(workbook_of([HEADER, [1, "项目", "城市建设"]]))
        entry = data.index(b"PK\x01\x02")  # the first entry of the central directory
        data[entry + 24 : entry + 28] = struct.pack("<I", 200 * 1024 * 1024)
        self.assertRefused(bytes(data), "文件解压后过大")

    def test_a_formula_without_a_saved_value_is_named_by_its_cell(self):
        data = workbook_of([HEADER, [1, '=CONCAT("项目","甲")', "城市建设"]])
        self.assertRefused(data, "第2行「项目名称」", "单元格 B2 是公式，但文件中没有它的计算结果")

    def test_a_formulas_saved_value_is_taken_never_the_formula_evaluated(self):
        data = workbook_of([HEADER, ["=1+1", "项目甲", "城市建设"]])
        data = rezip(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(r"<v ?/>|<v></v>", "<v>5</v>", xml, count=1),
        )
        page = self.preview(2018, data)
        self.assertEqual([o.number for o in page.context["preview"].new], [5])

    def test_merged_header_cells(self):
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append([*HEADER, "牵头单位", None])
        workbook.active.append([1, "项目", "城市建设", "区发改局", None])
        workbook.active.merge_cells("D1:E1")
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.assertRefused(buffer.getvalue(), "表头（第1行）有合并单元格 D1:E1")

    def test_merged_cells_among_the_data(self):
        from openpyxl import Workbook

        workbook = Workbook()
        for row in (
            [*HEADER, "牵头单位"],
            [1, "项目一", "城市建设", "区发改局"],
            [2, "项目二", None, None],
        ):
            workbook.active.append(row)
        workbook.active.merge_cells("C2:C3")
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.assertRefused(buffer.getvalue(), "第2行：有合并单元格 C2:C3，请取消合并后再上传。")

    def test_missing_required_headers(self):
        self.assertRefused(
            workbook_of([["序号", "领域", "牵头单位"], [1, "城市建设", "区发改局"]]),
            "表头（第1行）缺少必需的列：「项目名称」",
        )
        self.assertRefused(
            workbook_of([["编号", "名称"], [1, "项目"]]),
            "找不到表头：文件前10行中没有同时写有「序号」和「项目名称」的一行",
        )

    def test_each_bad_cell_is_named_by_row_and_column(self):
        long_title = "长" * 201
        rows = [
            [*HEADER, "项目类别", "方案关计划完成日期"],
            [1, "项目一", "经发", None, None],
            ["3.5", "项目二", "城市建设", None, None],
            [3, "项目三", "城市建设", "重点", None],
            [4, "项目四", "城市建设", None, "明年六月"],
            [5, long_title, "城市建设", None, "2018-02-30"],
            [4, "项目六", "城市建设", None, None],
            [7, "", "城市建设", None, None],
        ]
        self.assertRefused(
            workbook_of(rows),
            "第2行「领域」：“经发”不是有效的领域（可填：政府职能转变、经济发展、城市建设、社会管理、民生事业）。",
            "第3行「序号」：“3.5”不是整数。",
            "第4行「项目类别」：“重点”不是有效的项目类别",
            "第5行「方案关计划完成日期」：“明年六月”不是日期（请写成 2018-06-30）。",
            "第6行「项目名称」：超过200字（现有201字）。",
            "第6行「方案关计划完成日期」：“2018-02-30”不是日期",
            "第7行「序号」：序号 4 与第5行重复。",
            "第8行「项目名称」：请填写项目名称。",
        )

    def test_rules_that_depend_on_the_plan(self):
        rows = [
            ["序号", "项目名称", "项目类别", "部署层级"],
            [1, "没有领域的新项目", None, None],
            [2, "上级部署", "上级部署", None],
        ]
        self.assertRefused(
            workbook_of(rows),
            "第2行「领域」：新项目须填写领域。",
            "第3行「部署层级」：上级部署的改革任务须注明部署层级（中央、省或市）。",
        )

    def test_a_closed_plan_takes_no_import(self):
        self.plan.status = "closed"
        self.plan.save()
        # a closed plan is read-only for everyone: the page refuses with the reason
        page = self.client.get(reverse("plan_import", args=[2018]))
        self.assertContains(page, "该年度计划已总结，只能查看，不能再修改。", status_code=403)
        self.assertNotContains(page, 'type="file"', status_code=403)
        state = db_state()
        refused = self.upload(2018, workbook_of([HEADER, [1, "项目", "城市建设"]]))
        self.assertContains(refused, "已总结", status_code=403)
        self.assertEqual(db_state(), state)
        self.assertEqual(self.kept_files(), [])

    def test_refusals_add_no_unit_or_official(self):
        rows = [[*HEADER, "牵头区领导", "牵头单位"], [1, "项目", "经发", "新领导", "新单位"]]
        self.assertRefused(workbook_of(rows), "不是有效的领域")
        self.assertFalse(Official.objects.filter(name="新领导").exists())
        self.assertFalse(Unit.objects.filter(name="新单位").exists())
