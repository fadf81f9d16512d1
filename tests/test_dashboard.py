"""The leadership dashboard, finding projects and the ledger export (query counts per page:
test_query_counts.py)."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from openpyxl import load_workbook

from projects.choices import (
    CheckpointKind,
    CheckpointStatus,
    Domain,
)
from projects.models import Checkpoint, ProgressUpdate, Project, ReformPlan
from units.models import Official

from .base import PortfolioTestCase
from .factories import TODAY, make_plan, make_project


class DashboardTests(PortfolioTestCase):
    def test_headline_figures(self):
        response = self.client.get(reverse("home"))
        figures = response.context["figures"]
        self.assertEqual(figures.projects, 11)
        self.assertEqual((figures.passed, figures.checkpoints), (3, 33))
        self.assertEqual(
            figures.checkpoint_rows(),
            [("方案关", 2, 11), ("实施关", 1, 11), ("成效关", 0, 11)],
        )
        self.assertEqual(
            {row.status: row.count for row in figures.status_rows()},
            {"on_track": 2, "warning": 1, "delayed": 1, "none": 7},
        )
        self.assertEqual(figures.overdue_checkpoints, 2)
        self.assertEqual(figures.stale_projects, 8)  # project 3 + seven never reported
        self.assertEqual(figures.open_instructions, 2)
        self.assertContains(response, '3<span class="of">/33</span>', html=False)
        self.assertContains(response, "方案关 2/11")

    def test_matrix_has_a_row_per_project_with_status_text_and_overdue(self):
        response = self.client.get(reverse("home"))
        html = response.content.decode()
        matrix = html[html.index('id="matrix-h"') :]
        for project in Project.objects.all():
            self.assertIn(project.get_absolute_url(), matrix)
        self.assertIn("需整改", matrix)
        self.assertIn("待审核", matrix)
        self.assertEqual(matrix.count("逾期</span>"), 2)
        self.assertIn('aria-hidden="true">✓</span>已通过', matrix)

    def test_breakdowns_by_domain_and_official(self):
        figures = self.client.get(reverse("home")).context["figures"]
        by_official = {bar.label: bar.counts for bar in figures.by_official}
        self.assertEqual(by_official["高自民"], {"on_track": 1})
        self.assertEqual(by_official["戴斌"], {"warning": 1})
        self.assertEqual(sum(by_official["待定"].values()), 9)
        by_domain = {bar.label: bar.total for bar in figures.by_domain}
        self.assertEqual(sum(by_domain.values()), 11)
        self.assertEqual(by_domain["民生事业"], 2)

    def test_recent_activity_merges_reports_and_decisions(self):
        gate = self.projects[10].checkpoints.get(kind=CheckpointKind.PLAN)
        self.client.post(
            reverse("checkpoint_detail", args=[2017, 10, "plan"]),
            {"action": "approve", "note": "同意", "version": gate.version},
        )
        response = self.client.get(reverse("home"))
        activity = response.context["activity"]
        self.assertEqual(activity[0].decision.get_status_display(), "已通过")
        self.assertContains(response, "审核通过：同意")
        self.assertTrue(any(a.update for a in activity))
        self.assertContains(response, "报告进展")

    def test_open_instructions_listed(self):
        response = self.client.get(reverse("home"))
        self.assertContains(response, "加快试点")
        self.assertContains(response, "月底前完成标准")
        self.assertNotContains(response, "已阅")

    def test_my_projects_for_a_leader_and_a_liaison(self):
        self.client.force_login(self.charlie)  # 高自民 leads project 1
        mine = list(self.client.get(reverse("home")).context["mine"])
        self.assertEqual([p.number for p in mine], [1])
        self.client.force_login(self.erin)  # 区教育局 leads 10, takes part in 3
        mine = list(self.client.get(reverse("home")).context["mine"])
        self.assertEqual(sorted(p.number for p in mine), [3, 10])
        self.client.force_login(self.alice)
        self.assertIsNone(self.client.get(reverse("home")).context["mine"])

    def test_year_selector_and_default_plan(self):
        self.assertNotContains(self.client.get(reverse("home")), '<select name="year"')
        make_plan(2099, "演示计划", synthetic=True)
        make_plan(2018, "龙岗区2018年改革计划")
        response = self.client.get(reverse("home"))
        self.assertEqual(response.context["plan"].year, 2018)  # newest real plan
        self.assertContains(response, '<select name="year"')
        self.assertContains(response, "2099 （演示数据）")
        self.assertEqual(self.client.get("/?year=2017").context["plan"].year, 2017)

    def test_fresh_plan_shows_eleven_projects_and_33_checkpoints_not_started(self):
        ProgressUpdate.objects.all().delete()
        Checkpoint.objects.update(status=CheckpointStatus.NOT_STARTED, passed_on=None)
        response = self.client.get(reverse("home"))
        self.assertContains(response, '0<span class="of">/33</span>', html=False)
        self.assertEqual(response.content.decode().count("未开始</span>"), 33)


class FilterTests(PortfolioTestCase):
    def numbers(self, **params):
        response = self.client.get(reverse("project_list"), params)
        self.assertEqual(response.status_code, 200)
        return sorted(p.number for p in response.context["page"].object_list)

    def test_no_filter_lists_all(self):
        self.assertEqual(self.numbers(), list(range(1, 12)))

    def test_domain(self):
        self.assertEqual(self.numbers(domain=Domain.LIVELIHOOD), [10, 11])

    def test_lead_official_and_unassigned(self):
        gao = Official.objects.get(name="高自民")
        self.assertEqual(self.numbers(lead_official=gao.pk), [1])
        self.assertEqual(self.numbers(lead_official="none"), list(range(3, 12)))

    def test_unit_leads_or_takes_part(self):
        self.assertEqual(self.numbers(unit=self.jiaoyu.pk), [3, 10])

    def test_status_including_not_reported(self):
        self.assertEqual(self.numbers(status="on_track"), [1, 10])
        self.assertEqual(self.numbers(status="warning"), [2])
        self.assertEqual(self.numbers(status="delayed"), [3])
        self.assertEqual(self.numbers(status="none"), [4, 5, 6, 7, 8, 9, 11])

    def test_gate_and_its_status(self):
        self.assertEqual(self.numbers(gate="plan", gate_status="rework"), [3])
        self.assertEqual(self.numbers(gate="implementation", gate_status="passed"), [1])
        self.assertEqual(self.numbers(gate_status="passed"), [1, 2])
        self.assertEqual(self.numbers(gate="plan", gate_status="submitted"), [10])

    def test_overdue_only(self):
        self.assertEqual(self.numbers(overdue="on"), [2, 3])

    def test_stale_only(self):
        self.assertEqual(self.numbers(stale="on"), [3, 4, 5, 6, 7, 8, 9, 11])

    def test_text_search_over_title_and_texts(self):
        self.assertEqual(self.numbers(q="家庭医生"), [11])
        self.assertEqual(self.numbers(q="分级诊疗"), [11])  # in the goals text
        self.assertEqual(self.numbers(q="网格 平湖"), [3])

    def test_mine(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.numbers(mine="on"), [2])

    def test_combined_filters_and_empty_result(self):
        self.assertEqual(self.numbers(domain=Domain.URBAN, status="on_track"), [1])
        response = self.client.get(reverse("project_list"), {"q": "不存在的关键词"})
        self.assertContains(response, "没有符合条件的项目。")
        self.assertContains(response, "共 0 个项目")

    def test_filter_state_survives_in_links(self):
        response = self.client.get(reverse("project_list"), {"status": "warning", "year": 2017})
        self.assertContains(response, 'value="warning" selected')
        self.assertContains(response, "/projects/export.xlsx?status=warning&amp;year=2017")

    def test_bad_filter_value_is_a_400_with_a_message(self):
        response = self.client.get(reverse("project_list"), {"domain": "moon"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "筛选条件有误", status_code=400)

    def test_pagination_keeps_filters(self):
        plan = ReformPlan.objects.get(year=2017)
        for n in range(12, 80):
            make_project(plan, n, f"扩展项目{n}", domain=Domain.URBAN)
        response = self.client.get(reverse("project_list"), {"domain": Domain.URBAN})
        self.assertEqual(len(response.context["page"].object_list), 50)
        self.assertContains(response, "?domain=urban&amp;page=2")


class OwnerPageTests(PortfolioTestCase):
    def test_unit_page_lists_led_and_participating_projects(self):
        response = self.client.get(reverse("unit_detail", args=[self.jiaoyu.pk]))
        self.assertContains(response, "龙岗区教育局")
        self.assertContains(response, "创新区域义务教育质量监测评价方式")
        self.assertContains(response, "推进网格管理标准化")
        self.assertNotContains(response, "创新家庭医生服务模式")

    def test_official_page_lists_led_projects(self):
        dai = Official.objects.get(name="戴斌")
        response = self.client.get(reverse("official_detail", args=[dai.pk]))
        self.assertContains(response, "区委副书记、区长")
        self.assertContains(response, "建立健全固定资产投资项目全流程管理体系")
        self.assertNotContains(response, "推进基础设施供给侧结构性改革")


class ExportTests(PortfolioTestCase):
    def test_xlsx_headers_rows_and_dates(self):
        response = self.client.get(reverse("project_export", args=["xlsx"]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn(".xlsx", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))[1:]  # below the title row
        header = rows[0]
        for name in (
            "序号",
            "项目名称",
            "领域",
            "牵头区领导",
            "牵头单位",
            "参与单位",
            "方案关状态",
            "实施关计划完成日期",
            "成效关通过日期",
            "最新进展",
            "进展状态",
            "完成进度（%）",
            "待落实批示",
        ):
            self.assertIn(name, header)
        self.assertEqual(len(rows), 12)
        col = {name: i for i, name in enumerate(header)}
        first = rows[1]
        self.assertEqual(first[col["序号"]], 1)
        self.assertEqual(first[col["牵头区领导"]], "高自民")
        self.assertEqual(first[col["方案关状态"]], "已通过")
        self.assertEqual(first[col["方案关通过日期"]].date(), TODAY - timedelta(days=3))
        self.assertEqual(first[col["最新进展"]], "完成试点方案")
        self.assertEqual(first[col["完成进度（%）"]], 30)
        self.assertIn("加快试点", first[col["待落实批示"]])
        third = rows[3]
        self.assertEqual(third[col["牵头区领导"]], "待定")
        self.assertEqual(third[col["参与单位"]], "龙岗区教育局、龙岗区平湖街道办事处")
        self.assertEqual(third[col["待落实批示数"]], 0)
        self.assertEqual(rows[10][col["最新进展"]], '\'=HYPERLINK("x")')  # not a formula

    def test_xlsx_follows_the_filters(self):
        response = self.client.get(reverse("project_export", args=["xlsx"]), {"status": "warning"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual([r[0] for r in rows[2:]], [2])  # below the title and header rows

    def test_csv_has_bom_chinese_headers_and_rows(self):
        response = self.client.get(
            reverse("project_export", args=["csv"]), {"domain": "livelihood"}
        )
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        body = response.content.decode("utf-8")
        self.assertTrue(body.startswith("\ufeff序号,项目名称"))
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        self.assertEqual([r[0] for r in rows[1:]], ["10", "11"])
        self.assertEqual(rows[1][1], "创新区域义务教育质量监测评价方式")

    def test_unknown_format_is_404(self):
        self.assertEqual(self.client.get("/projects/export.pdf").status_code, 404)
