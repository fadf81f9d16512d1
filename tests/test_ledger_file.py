"""The ledger file (改革台账) as an office receives it: the .xlsx read back with openpyxl
(title row, header row, print set-up, frozen panes), and the file names of both formats."""

import csv
import io
from urllib.parse import unquote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Project

from .base import PortfolioTestCase
from .factories import TODAY, make_plan

XLSX, CSV = reverse("project_export", args=["xlsx"]), reverse("project_export", args=["csv"])
STAMP = TODAY.strftime("%Y%m%d")


def disposition(response):
    """(the ASCII filename, the UTF-8 filename*) of a Content-Disposition header, which
    must carry both."""
    header = response["Content-Disposition"]
    parts = [p.strip() for p in header.split(";")]
    assert parts[0] == "attachment", header
    values = dict(p.split("=", 1) for p in parts[1:])
    assert set(values) == {"filename", "filename*"}, header
    ascii_name = values["filename"]
    assert ascii_name.startswith('"') and ascii_name.endswith('"'), header
    encoded = values["filename*"]
    assert encoded.startswith("UTF-8''"), header
    return ascii_name.strip('"'), unquote(encoded.removeprefix("UTF-8''"), errors="strict")


class LedgerFileTests(PortfolioTestCase):
    def sheet(self, query=None):
        response = self.client.get(XLSX, query or {})
        self.assertEqual(response.status_code, 200)
        return load_workbook(io.BytesIO(response.content)).active

    def title(self, sheet):
        return sheet["A1"].value

    def test_title_row_names_the_plan_the_time_and_says_no_filters(self):
        title = self.title(self.sheet())
        self.assertIn("龙岗区2017年改革计划", title)
        self.assertIn("改革台账", title)
        self.assertIn(f"导出时间：{TODAY:%Y-%m-%d}", title)
        self.assertIn("筛选条件：无", title)

    def test_title_row_writes_the_filters_in_words(self):
        title = self.title(self.sheet({"domain": "economy", "status": "delayed"}))
        self.assertIn("筛选条件：领域＝经济发展；进展状态＝滞后", title)

    def test_every_kind_of_filter_in_words(self):
        query = {
            "q": "试点",
            "lead_official": "none",
            "unit": str(self.jiaoyu.pk),
            "gate": "plan",
            "gate_status": "rework",
            "overdue": "on",
        }
        title = self.title(self.sheet(query))
        self.assertIn(
            "筛选条件：关键词＝试点；牵头区领导＝待定；单位（牵头或参与）＝区教育局；"
            "关口＝方案关；关口状态＝需整改；只看有逾期关口的",
            title,
        )

    def test_title_spans_the_table_and_the_header_row_follows(self):
        sheet = self.sheet()
        header = [c.value for c in sheet[2]]
        self.assertEqual(header[:3], ["序号", "项目名称", "领域"])
        self.assertEqual(
            [str(r) for r in sheet.merged_cells.ranges],
            [f"A1:{sheet.cell(2, len(header)).column_letter}1"],
        )
        self.assertEqual(sheet["A3"].value, 1)  # the first project right below the header
        self.assertEqual(sheet.max_row, 2 + 11)

    def test_prints_a4_landscape_one_page_wide_with_the_header_on_every_page(self):
        sheet = self.sheet()
        self.assertEqual(sheet.print_title_rows, "$2:$2")
        setup = sheet.page_setup
        self.assertEqual(setup.orientation, "landscape")
        self.assertEqual(int(setup.paperSize), 9)  # A4
        # no fitToWidth means 1 page wide, the schema's default (CT_PageSetup); XlsxWriter
        # writes it only when it is not 1
        self.assertIn(setup.fitToWidth, (None, 1))
        self.assertEqual(int(setup.fitToHeight), 0)
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)  # else fitTo… is ignored
        self.assertIn("&P", sheet.oddFooter.right.text)

    def test_frozen_below_the_header_and_after_the_title_column_filter_on_the_header(self):
        sheet = self.sheet()
        self.assertEqual(sheet.freeze_panes, "C3")
        self.assertEqual(
            sheet.auto_filter.ref, f"A2:{sheet.cell(2, sheet.max_column).column_letter}13"
        )

    def test_no_formula_in_the_title_row(self):
        plan = make_plan(2099, title="=1+2 计划", projects=1)
        response = self.client.get(XLSX, {"year": plan.year, "q": "=HYPERLINK(1)"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertNotEqual(sheet["A1"].data_type, "f")
        self.assertTrue(sheet["A1"].value.startswith("'=1+2 计划"))
        self.assertIn("关键词＝=HYPERLINK(1)", sheet["A1"].value)

    def test_control_characters_in_the_keywords_still_give_a_file(self):
        response = self.client.get(XLSX, {"q": "改革\x01\x1b"})
        self.assertEqual(response.status_code, 200)
        title = load_workbook(io.BytesIO(response.content)).active["A1"].value
        self.assertIn("关键词＝改革\ufffd\ufffd", title)

    def test_control_characters_in_a_project_still_give_a_file(self):
        Project.objects.filter(plan__year=2017, number=1).update(problem="改革\x01\x1b试点")
        response = self.client.get(XLSX)
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        column = [c.value for c in sheet[2]].index("拟解决的问题") + 1
        self.assertEqual(sheet.cell(3, column).value, "改革\ufffd\ufffd试点")  # project 1

    def test_chinese_file_name_with_an_ascii_fallback_in_both_formats(self):
        for url, extension in ((XLSX, "xlsx"), (CSV, "csv")):
            with self.subTest(extension):
                response = self.client.get(url)
                self.assertIn(
                    "filename*=UTF-8''%E9%BE%99%E5%B2%97%E5%8C%BA2017",
                    response["Content-Disposition"],
                )
                ascii_name, name = disposition(response)
                self.assertEqual(ascii_name, f"2017_reform_ledger_{STAMP}.{extension}")
                self.assertEqual(name, f"龙岗区2017年改革计划_改革台账_{STAMP}.{extension}")

    def test_characters_a_file_system_refuses_are_replaced_in_the_name(self):
        plan = make_plan(2099, title='龙岗区/2099: 改革"计划"', projects=1)
        _ascii, name = disposition(self.client.get(CSV, {"year": plan.year}))
        self.assertEqual(name, f"龙岗区_2099_改革_计划_改革台账_{STAMP}.csv")

    def test_english_interface_english_word_plan_title_as_it_is(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(XLSX, {"domain": "economy", "overdue": "on"})
        ascii_name, name = disposition(response)
        self.assertEqual(name, f"龙岗区2017年改革计划_reform_ledger_{STAMP}.xlsx")
        self.assertEqual(ascii_name, f"2017_reform_ledger_{STAMP}.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertIn("Reform ledger", sheet["A1"].value)
        self.assertIn(
            "Filters: Area = Economic development; Only projects with overdue checkpoints",
            sheet["A1"].value,
        )
        self.assertEqual(sheet["A2"].value, "No.")

    def test_csv_starts_with_the_header_row(self):
        """No title line in the CSV: Excel and WPS take its first line as the column names
        for sorting and filtering, and other systems re-import it as it is."""
        body = self.client.get(CSV, {"status": "delayed"}).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        self.assertEqual(rows[0][:2], ["序号", "项目名称"])
        self.assertEqual([r[0] for r in rows[1:]], ["3"])

    def test_the_filters_in_words_cost_no_query(self):
        query = {"unit": str(self.jiaoyu.pk), "lead_official": "none", "domain": "economy"}
        counts = {}
        for url in (XLSX, CSV):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url, query).status_code, 200)
            counts[url] = len(queries)
        # the .xlsx alone has the 单位排名 sheet: + the plan's report periods (it has none)
        self.assertEqual(counts[XLSX], counts[CSV] + 1)

    def test_bad_filters_are_refused_in_words_not_exported(self):
        response = self.client.get(XLSX, {"unit": "999999"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("筛选条件有误", response.content.decode())
