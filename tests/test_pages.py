from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import ProgressStatus
from projects.models import Project, ReformPlan

from .base import PlanTestCase
from .factories import make_plan, make_project, report


class LoginRequiredTests(PlanTestCase):
    def test_anonymous_users_are_sent_to_login(self):
        self.client.logout()
        for url in (reverse("home"), reverse("project_detail", args=[2017, 1])):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_login_page_is_chinese(self):
        self.client.logout()
        response = self.client.get(reverse("login"))
        self.assertContains(response, "登录龙岗改革台账")


class PortfolioPageTests(PlanTestCase):
    def test_lists_the_eleven_projects_with_leads_and_gates(self):
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 200)
        for project in Project.objects.all():
            self.assertContains(response, project.title)
            self.assertContains(response, project.get_absolute_url())
        self.assertContains(response, "高自民")
        self.assertContains(response, "戴斌")
        # nine projects without a named leader, several without a lead unit
        self.assertGreaterEqual(response.content.decode().count("待定"), 9)
        self.assertContains(response, "未开始", count=33)

    def test_query_count_does_not_grow_with_the_portfolio(self):
        url = reverse("home")
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        plan = ReformPlan.objects.get(year=2017)
        for n in range(12, 60):
            make_project(plan, n)
        with self.assertNumQueries(len(small)):
            response = self.client.get(url)
        self.assertContains(response, "项目50")  # the matrix shows 50 rows a page
        self.assertContains(self.client.get(reverse("project_list"), {"page": 2}), "项目59")

    def test_year_selector_shows_other_plans(self):
        plan = make_plan(2018, "龙岗区2018年改革计划")
        make_project(plan, 1, "二〇一八测试项目")
        newest = self.client.get(reverse("home"))
        self.assertContains(newest, "二〇一八测试项目")
        older = self.client.get(reverse("home"), {"year": 2017})
        self.assertContains(older, "推进基础设施供给侧结构性改革")
        self.assertNotContains(older, "二〇一八测试项目")


class ProjectPageTests(PlanTestCase):
    def test_shows_all_text_leads_units_and_gates(self):
        project = Project.objects.get(number=2)
        response = self.client.get(project.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        for text in (project.title, project.problem, project.content, project.goals):
            self.assertContains(response, text)
        self.assertContains(response, "戴斌")
        self.assertContains(response, "区发改局")
        for gate in ("方案关", "实施关", "成效关"):
            self.assertContains(response, gate)

    def test_unknown_project_is_404(self):
        self.assertEqual(self.client.get("/projects/2017/12/").status_code, 404)
        self.assertEqual(self.client.get("/projects/1999/1/").status_code, 404)

    def test_updates_newest_first_and_escaped(self):
        project = Project.objects.get(number=5)
        for day, text in ((1, "第一次"), (20, "<script>alert(1)</script>第二次")):
            report(project, on=date(2017, 6, day), status=ProgressStatus.WARNING, summary=text)
        response = self.client.get(project.get_absolute_url())
        body = response.content.decode()
        self.assertLess(body.index("第二次"), body.index("第一次"))
        self.assertNotIn("<script>alert(1)</script>", body)
        self.assertIn("&lt;script&gt;", body)

    def test_query_count_does_not_grow_with_updates(self):
        project = Project.objects.get(number=5)
        url = project.get_absolute_url()

        def add_updates(count):
            for i in range(count):
                on = date(2017, 1, 1 + i % 28)
                report(project, on=on, percent=i % 100, summary=f"进展{i}", author=self.alice)

        add_updates(1)
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        add_updates(40)
        with self.assertNumQueries(len(one)):
            self.client.get(url)


class AdminTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.dave)

    def test_every_changelist_and_the_project_form_render(self):
        for name in (
            "units_unit",
            "units_official",
            "units_user",
            "projects_reformplan",
            "projects_project",
            "projects_checkpoint",
            "projects_progressupdate",
        ):
            with self.subTest(name):
                response = self.client.get(reverse(f"admin:{name}_changelist"))
                self.assertEqual(response.status_code, 200)
        project = Project.objects.get(number=1)
        response = self.client.get(reverse("admin:projects_project_change", args=[project.pk]))
        self.assertContains(response, "方案关")
        self.assertContains(response, "改革项目")
