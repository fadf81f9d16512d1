"""The year's end pages (issue 14): the year-end page's figures per unit, links, the
permission ladders of every new page, pinned query counts, and the new pages in English."""

from django.test import Client
from django.urls import reverse

from projects import closing
from projects.choices import Grade
from projects.models import Assessment, Closeout, Decision, Project, ReformPlan

from .factories import make_plan, make_project
from .test_closeout import pass_all_checkpoints
from .test_yearend import YearEndTestCase


class YearEndPageTests(YearEndTestCase):
    def test_per_unit_figures_beside_their_projects_assessments(self):
        two = self.project(2)  # 区发改局
        Assessment.objects.create(project=two, grade=Grade.GOOD)
        Assessment.objects.create(project=self.project(10), grade=Grade.EXCELLENT)  # 区教育局
        self.decide(4, "stop", "不再推进")
        page = self.client.get(reverse("yearend", args=[2017]))
        rows = {
            row.unit.short_name if row.unit else None: row for row in page.context["year"].units
        }
        fagai = rows["区发改局"]
        self.assertEqual(len(fagai.projects), 1)
        self.assertEqual(dict(fagai.grade_counts)["良好"], 1)
        self.assertEqual(dict(rows["区教育局"].grade_counts)["优秀"], 1)
        self.assertEqual(rows[None].standings.get("stopped"), 1)  # project 4: lead unit 待定
        self.assertContains(page, "区发改局")
        self.assertEqual(page.context["year"].assessed, 2)

    def test_the_plan_page_links_to_the_year_end_once_carried_out(self):
        self.assertContains(
            self.client.get(reverse("plan_detail", args=[2017])), reverse("yearend", args=[2017])
        )
        make_plan(2018)
        self.assertNotContains(
            self.client.get(reverse("plan_detail", args=[2018])), reverse("yearend", args=[2018])
        )

    def test_a_new_project_in_a_plan_gets_the_next_number(self):
        following = self.draft_2018(projects=0)
        make_project(following, 7)
        self.decide(5, "carry")
        self.assertTrue(Project.objects.filter(plan=following, number=8).exists())


class LadderTests(YearEndTestCase):
    """anonymous → sign-in; an outsider 403; readers read; only the office changes."""

    def status(self, user, method, url, data=None):
        client = self.as_user(user) if user else Client()
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        return response.status_code

    def test_ladders(self):
        pass_all_checkpoints(self.project(2))
        read = {None: 302, "olivia": 403, "charlie": 200, "erin": 200, "bob": 200, "alice": 200}
        office = {None: 302, "olivia": 403, "charlie": 403, "erin": 403, "bob": 403, "alice": 200}
        pages = [
            ("get", reverse("yearend", args=[2017]), None, read),
            ("get", reverse("closeout", args=[2017, 2]), None, read),
            ("get", reverse("assessment", args=[2017, 2]), None, office),
            (
                "post",
                reverse("closeout", args=[2017, 2]),
                {"action": "apply", "summary": "总结"},
                {**office, "bob": 302, "alice": 302},
            ),
            (
                "post",
                reverse("yearend_decide", args=[2017, 3]),
                {"action": "stop", "reason": "x", "version": 1},
                {**office, "alice": 302},
            ),
            (
                "post",
                reverse("assessment", args=[2017, 3]),
                {"grade": "good", "version": 1},
                {**office, "alice": 302},
            ),
        ]
        for method, url, data, expected in pages:
            for who, status in expected.items():
                with self.subTest(url=url, who=who):
                    user = getattr(self, who) if who else None
                    if method == "post":
                        Closeout.objects.all().delete()
                        Assessment.objects.all().delete()
                        Project.objects.filter(number=3).update(standing="active", version=1)
                    self.assertEqual(self.status(user, method, url, data), status)


class QueryCountTests(YearEndTestCase):
    def test_pinned(self):
        two = self.project(2)
        pass_all_checkpoints(two)
        closing.move_closeout(two, self.bob, "apply", note="已完成")
        Assessment.objects.create(project=self.project(3), grade=Grade.GOOD)
        self.decide(4, "stop", "不再推进")
        # each + 2 for the header's 待办 count; the 销号 page + 1 for its files
        for url, queries in (
            (reverse("yearend", args=[2017]), 9),
            (reverse("closeout", args=[2017, 2]), 10),
            (reverse("assessment", args=[2017, 3]), 8),
        ):
            with self.subTest(url), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).status_code, 200)


class EnglishTests(YearEndTestCase):
    """Every Chinese character left on the new pages in English comes from the data."""

    def test_the_new_pages_carry_no_untranslated_interface_text(self):
        import html as html_lib
        import re

        from .test_i18n import CJK, LanguageSwitchTests

        two = self.project(2)
        pass_all_checkpoints(two)
        closing.move_closeout(two, self.bob, "apply", note="已完成")
        closing.move_closeout(two, self.alice, "return", note="请补充", expected_version=1)
        closing.move_closeout(two, self.bob, "apply", note="已补充")
        closeout = Closeout.objects.order_by("-pk").first()
        closing.move_closeout(
            two, self.alice, "close", note="同意", expected_version=closeout.version
        )
        Assessment.objects.create(
            project=self.project(3), grade=Grade.GOOD, replicable=True, replicable_text="经验"
        )
        self.draft_2018(projects=0)
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.decide(5, "carry")
        self.decide(6, "stop", "不再推进")
        data = [*LanguageSwitchTests._data_strings(self), "已完成", "请补充", "已补充", "同意"]
        data.append(two.plan.recorded_source)  # the intake funnel quotes the source
        # the history names the other year's project as the record says it (data)
        data += ["经验", "不再推进", "2018年项目一", "2017年项目五"]
        data += list(Decision.objects.values_list("text", flat=True))
        data += [p.title for p in ReformPlan.objects.all()] + ["alice", "bob"]
        data = sorted({s for s in data if s}, key=len, reverse=True)
        for url in (
            reverse("yearend", args=[2017]),
            reverse("closeout", args=[2017, 2]),
            reverse("closeout", args=[2017, 3]),
            reverse("assessment", args=[2017, 3]),
            reverse("project_detail", args=[2017, 2]),
            reverse("project_detail", args=[2017, 5]),
            reverse("project_detail", args=[2017, 6]),
            reverse("project_detail", args=[2018, 1]),
            reverse("plan_detail", args=[2017]),
        ):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn('<html lang="en">', html)
                html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", html)
                text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
                for value in data:
                    text = text.replace(value, "")
                leftovers = [line.strip() for line in text.splitlines() if CJK.search(line)]
                self.assertEqual(leftovers, [])
