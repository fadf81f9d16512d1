"""The annual report (年度改革工作总结, issue 14): the .docx read back with python-docx, the
print page with the same text, the file name, who may have it, English, bad input and
the query count at 11 and at a few hundred projects."""

import html as html_lib
import io
import re
from datetime import date, timedelta
from urllib.parse import quote

from django.urls import reverse
from docx import Document
from docx.shared import Pt

from intake.choices import ProposalStatus
from projects import closing
from projects.annual import annual_report
from projects.choices import CheckpointKind, CheckpointStatus, Grade, PlanStatus, ProgressStatus
from projects.models import Assessment, ReformPlan

from .factories import TODAY, generate_plan, make_instruction, make_plan, report, set_checkpoint
from .test_bulletin import DOCX, east_asian_font
from .test_intake_base import IntakeTestCase
from .test_scoreboard import make_period
from .test_yearend import YearEndTestCase

REPLICABLE = "建立项目全流程台账，按月通报、按关口审核的做法可在各区复制推广。"
STOPPED = "试点条件发生变化，不再推进。"
GRADES = {1: Grade.EXCELLENT, 2: Grade.GOOD, 3: Grade.PASS, 10: Grade.FAIL}


def document_lines(document):
    """The paragraphs' text and every table cell, in order of the body."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return lines


class AnnualReportCase(YearEndTestCase):
    """The 2017 plan at year end, through the real services: projects 1, 2, 3 and 10
    assessed (1 worth copying), project 5 carried into the 2018 draft plan (after its two
    projects: number 3), project 6 stopped; 方案关 of project 2 passed on 2017-05-10; a
    report on project 2; an instruction of 高自民 carried out."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_plan(2018, projects=2)
        project = cls.project_of
        for number, grade in GRADES.items():
            replicable = number == 1
            closing.assess(
                Assessment(
                    project=project(number),
                    grade=grade,
                    notes=f"第{number}项的评定意见",
                    replicable=replicable,
                    replicable_text=REPLICABLE if replicable else "",
                ),
                cls.alice,
                None,
            )
        closing.carry_over(project(5), cls.alice, project(5).version)
        closing.stop_project(project(6), cls.alice, STOPPED, project(6).version)
        set_checkpoint(
            project(2), CheckpointKind.PLAN, CheckpointStatus.PASSED, passed_on=date(2017, 5, 10)
        )
        report(project(2), on=date(2017, 6, 1), status=ProgressStatus.WARNING, percent=40)
        make_instruction(
            project(2),
            "月底前完成标准制定",
            official=cls.charlie.official,
            done_on=date(2017, 7, 1),
            follow_up="标准已印发",
        )

    @staticmethod
    def project_of(number, year=2017):
        from projects.models import Project

        return Project.objects.get(plan__year=year, number=number)

    def download(self, year=2017):
        response = self.client.get(reverse("annual_report_docx", args=[year]))
        self.assertEqual(response.status_code, 200)
        return response, Document(io.BytesIO(response.content))


class AnnualDocxTests(AnnualReportCase):
    def test_every_project_with_its_assessment(self):
        _response, document = self.download()
        paragraphs = [p.text for p in document.paragraphs]
        self.assertEqual(paragraphs[0], "龙岗区2017年改革计划年度改革工作总结")
        for project in ReformPlan.objects.get(year=2017).projects.order_by("number"):
            with self.subTest(number=project.number):
                index = next(
                    i
                    for i, t in enumerate(paragraphs)
                    if t.startswith(f"{project.number}．") and project.title in t
                )
                grade = GRADES.get(project.number)
                expected = f"年度评定：{grade.label}。" if grade else "年度评定：未评定。"
                self.assertTrue(paragraphs[index + 1].startswith(expected), paragraphs[index + 1])
        text = "\n".join(paragraphs)
        self.assertIn("年度评定：优秀。评定意见：第1项的评定意见", text)
        self.assertIn("已作年度评定4个：优秀1个、良好1个、合格1个、不合格1个；未评定7个。", text)
        self.assertIn("方案关已通过（2017年5月10日通过）", text)
        self.assertIn("当前进展：预警，完成40%（2017年6月1日报告）", text)

    def test_the_funnel_the_leaders_and_the_instructions(self):
        _response, document = self.download()
        text = "\n".join(p.text for p in document.paragraphs)
        # the plan records the source's totals, as the plan page's funnel shows them
        self.assertIn(
            "资料记载的总数：征集改革项目108个，群众改革需求、建议115条，确定重点改革项目11个。",
            text,
        )
        self.assertIn("（出处：据原文", text)
        # 高自民's 亲自部署 of the fixture: the matrix and the record, its date unknown
        matrix = document.tables[0]
        rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in matrix.rows}
        self.assertEqual(rows["区领导"], ["亲自部署", "亲自把关", "亲自协调", "亲自督查"])
        self.assertEqual(rows["高自民"][0], "1次（最近日期待定）")
        self.assertEqual(rows["戴斌"], ["尚无"] * 4)  # a past year: every empty kind flagged
        self.assertIn("1．高自民、亲自部署（日期待定）：龙岗区委书记高自民主持召开", text)
        self.assertIn("全年区领导批示1件：待落实0件、已落实1件、办结0件、已撤回0件", text)
        self.assertIn("对「建立健全固定资产投资项目全流程管理体系」批示：月底前完成标准制定", text)
        self.assertIn("月底前完成标准制定（已落实）。落实情况：标准已印发。", text)

    def test_models_worth_copying_carry_over_and_stopped(self):
        _response, document = self.download()
        text = "\n".join(p.text for p in document.paragraphs)
        one, five, six = (self.project_of(n).title for n in (1, 5, 6))
        self.assertIn(f"七、可复制推广的经验\n1．{one}：{REPLICABLE}", text)
        self.assertIn(f"1．{five}：结转为2018年计划第3项。", text)
        self.assertEqual(self.project_of(3, 2018).title, five)
        self.assertIn(f"1．{six}：终止理由：{STOPPED}", text)
        self.assertIn("年终已销号0个，已结转1个，已终止1个，仍在册9个。", text)

    def test_the_units_figures_of_the_scoreboard(self):
        plan = ReformPlan.objects.get(year=2017)
        make_period(plan, "6月", (date(2017, 6, 1), date(2017, 6, 30)))
        _response, document = self.download()
        table = document.tables[-1]
        header = [c.text for c in table.rows[0].cells]
        self.assertEqual(header[:6], ["单位", "应报", "按时报送", "逾期提交", "未报", "逾期关口"])
        rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
        self.assertIn("区发改局", rows)
        self.assertEqual(rows["区发改局"][1], "1")  # project 2's report was due

    def test_laid_out_as_an_official_document(self):
        response, document = self.download()
        section = document.sections[0]
        margins = (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin)  # fmt: skip
        self.assertEqual([round(m.mm) for m in margins], [37, 35, 28, 26])
        self.assertAlmostEqual(section.page_width.mm, 210, delta=0.5)
        title, heading = document.paragraphs[0], document.paragraphs[3]
        self.assertEqual(title.runs[0].font.size, Pt(22))
        self.assertEqual(east_asian_font(title.runs[0]), "方正小标宋简体")
        self.assertEqual(heading.text, "一、总体情况")
        self.assertEqual(east_asian_font(heading.runs[0]), "黑体")
        self.assertEqual(section.footer.paragraphs[0].text, "— 1 —")
        self.assertEqual(response["Content-Type"], DOCX)
        disposition = response["Content-Disposition"]
        self.assertIn('filename="2017_annual_report.docx"', disposition)
        name = quote("龙岗区2017年改革计划_年度改革工作总结.docx", safe="")
        self.assertIn(f"filename*=UTF-8''{name}", disposition)


class AnnualPageTests(AnnualReportCase):
    def test_the_print_page_says_what_the_file_says(self):
        response = self.client.get(reverse("annual_report", args=[2017]))
        self.assertEqual(response.status_code, 200)
        _response, document = self.download()
        in_file = [line for line in document_lines(document) if line]
        for line in in_file:
            self.assertContains(response, html_lib.escape(line))
        report_text = annual_report(ReformPlan.objects.get(year=2017)).text
        self.assertEqual(sorted(in_file), sorted(report_text))
        self.assertContains(response, reverse("annual_report_docx", args=[2017]))

    def test_linked_from_the_year_end_page_and_the_plan_page(self):
        for page in ("yearend", "plan_detail"):
            response = self.client.get(reverse(page, args=[2017]))
            self.assertContains(response, reverse("annual_report", args=[2017]))

    def test_no_such_year(self):
        for url in ("/plans/1999/annual-report/", "/plans/1999/annual-report.docx"):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_ladder(self):
        urls = [reverse("annual_report", args=[2017]), reverse("annual_report_docx", args=[2017])]
        self.client.logout()
        for url in urls:
            self.assertRedirects(self.client.get(url), f"{reverse('login')}?next={url}")
        self.client.force_login(self.olivia)  # no role
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 403)
        for reader in (self.alice, self.bob, self.erin, self.charlie, self.dave):
            self.client.force_login(reader)
            for url in urls:
                with self.subTest(user=reader.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_english(self):
        from .test_i18n import CJK, LanguageSwitchTests

        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = self.client.get(reverse("annual_report", args=[2017])).content.decode()
        self.assertIn('<html lang="en">', page)
        self.assertIn("1. Overview", page)
        _response, document = self.download()
        self.assertIn("1. Overview", [p.text for p in document.paragraphs])
        plan = ReformPlan.objects.get(year=2017)
        data = [*LanguageSwitchTests._data_strings(self), plan.recorded_source, REPLICABLE]
        data += [STOPPED, "月底前完成标准制定", "标准已印发", "进展"]
        data += [f"第{n}项的评定意见" for n in GRADES]
        data += list(plan.leader_actions.values_list("what", flat=True))
        data = sorted({s for s in data if s}, key=len, reverse=True)
        html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", page)
        text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
        for value in data:
            text = text.replace(value, "")
        leftovers = [line.strip() for line in text.splitlines() if CJK.search(line)]
        self.assertEqual(leftovers, [])


class AnnualQueryCountTests(AnnualReportCase):
    """The page and the .docx cost the same at 11 and at a few hundred projects."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.generated = generate_plan(300, updates_per_project=1)
        ReformPlan.objects.filter(pk=cls.generated.pk).update(status=PlanStatus.IN_PROGRESS)
        for plan in (cls.generated, ReformPlan.objects.get(year=2017)):
            make_period(plan, "上月", (TODAY - timedelta(days=40), TODAY - timedelta(days=10)))
        for project in cls.generated.projects.order_by("number")[:40]:
            closing.assess(Assessment(project=project, grade=Grade.GOOD), cls.alice, None)

    # session, user, the plan, permissions (2); projects, checkpoints; the intake funnel;
    # the leaders' matrix (2) and actions; instructions; the periods and the scoreboard's
    # three aggregates; the chasing app's reminders (1) and open 督办 items (3)
    DOCX = 5 + 2 + 1 + 3 + 1 + 4 + 4
    PAGE = DOCX + 2  # the header's 待办 count

    def test_pinned(self):
        for year in (2017, self.generated.year):
            for url, queries in (
                (reverse("annual_report", args=[year]), self.PAGE),
                (reverse("annual_report_docx", args=[year]), self.DOCX),
            ):
                with self.subTest(url=url), self.assertNumQueries(queries):
                    self.assertEqual(self.client.get(url).status_code, 200)


class CountedFunnelTests(IntakeTestCase):
    """With the intake's items (the 2018 call), the report counts them as the plan page's
    funnel does, and says nothing of recorded totals the plan does not have."""

    def test_counted_from_the_intake(self):
        self.proposal(status=ProposalStatus.SUBMITTED)
        reviewed = self.in_review(self.xena)
        self.finish(reviewed, self.xena)
        self.proposal()  # a draft is not received
        response = self.client.get(reverse("annual_report_docx", args=[2018]))
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        self.assertIn(
            "经项目征集，收到单位改革项目建议2个，完成专家评审1个，入选0个；"
            "收到群众改革需求、建议0条，关联到入选项目0条。",
            text,
        )
        self.assertNotIn("资料记载的总数", text)
        page = self.client.get(reverse("plan_detail", args=[2018])).content.decode()
        funnel = page.split('<section class="funnel"')[1].split("</section>")[0]
        self.assertEqual(re.findall(r'class="funnel-count">(\d+)<', funnel)[:3], ["2", "1", "0"])
