"""What issue 10 found when reading the app as each role would: English that reads as
English, search that finds people and units, a year without a plan, one scale per chart,
messages that say what happened."""

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.choices import CheckpointStatus

from .base import PlanTestCase, PortfolioTestCase
from .factories import make_instruction, set_checkpoint

TODAY = timezone.localdate()

# Chinese that the English pages used to show (issue 10, "English mode"); the numbering
# ("一、推进…") is checked where it is drawn, since the plan's quoted text contains it too
NOT_ENGLISH = [
    "开始推进",
    "调整计划完成日期",
    "登记落实情况",
    "报审：",
    "审核通过：",
    "退回整改：",
    "载入计划",
    "Follow-up（",
    "）：",
    "Reported by：",
    "：Select",
    "All three checkpoints passed",
]


def english(client):
    client.cookies["django_language"] = "en"
    return client


class EnglishModeTests(PortfolioTestCase):
    """A checkpoint started, submitted, sent back and rescheduled, an instruction followed
    up, a report with its author: then every page that shows them, in English."""

    def setUp(self):
        super().setUp()
        checkpoint = self.projects[1].checkpoints.get(kind="outcome")
        url = checkpoint.get_absolute_url()
        for action, note in (("start", ""), ("submit", "成效材料"), ("send_back", "补充数据")):
            checkpoint.refresh_from_db()
            data = {"form": "decision", "action": action, "note": note}
            response = self.client.post(url, {**data, "version": checkpoint.version})
            self.assertEqual(response.status_code, 302, action)
        checkpoint.refresh_from_db()
        data = {"form": "schedule", "planned_date": "2017-12-31", "version": checkpoint.version}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        instruction = self.projects[1].instructions.get()
        follow_up = reverse("instruction_follow_up", args=[instruction.pk])
        data = {"follow_up": "已召开推进会", "followed_up_on": TODAY.isoformat(), "version": 1}
        self.assertEqual(self.client.post(follow_up, data).status_code, 302)
        self.projects[1].updates.update(author=self.bob)
        self.client.get(reverse("home"))  # the messages of the steps above, shown in Chinese
        english(self.client)

    def test_history_activity_and_labels_are_english(self):
        pages = {
            "dashboard": reverse("home"),
            "project": self.projects[1].get_absolute_url(),
            "checkpoint": reverse("checkpoint_detail", args=[2017, 1, "outcome"]),
            "list with a bad filter": reverse("project_list") + "?status=great",
        }
        for name, url in pages.items():
            with self.subTest(name):
                body = self.client.get(url).content.decode()
                for chinese in NOT_ENGLISH:
                    at = body.find(chinese)
                    self.assertEqual(
                        at, -1, f"{chinese!r} on the {name} page: {body[at - 80 : at + 40]}"
                    )
        project = self.client.get(pages["project"]).content.decode()
        self.assertIn("Follow-up (", project)
        self.assertIn("Reported by: ", project)
        self.assertIn('<h1><span class="num">1. </span>', project)
        dashboard = self.client.get(pages["dashboard"]).content.decode()
        self.assertIn("Checkpoints passed", dashboard)
        checkpoint = self.client.get(pages["checkpoint"]).content.decode()
        self.assertIn("1. 推进基础设施供给侧结构性改革</a> › ", checkpoint)

    def test_chinese_keeps_its_punctuation_and_numbering(self):
        self.client.cookies["django_language"] = "zh-hans"
        project = self.client.get(self.projects[1].get_absolute_url()).content.decode()
        self.assertIn("落实情况（", project)
        self.assertIn("填报人：", project)
        self.assertIn('<h1><span class="num">一、</span>', project)
        checkpoint = self.client.get(reverse("checkpoint_detail", args=[2017, 1, "outcome"]))
        self.assertContains(checkpoint, "一、推进基础设施供给侧结构性改革</a> › ")


class ActivityAndMessageTests(PlanTestCase):
    def test_a_new_planned_date_does_not_read_like_a_status_change(self):
        checkpoint = self.client.get(reverse("checkpoint_detail", args=[2017, 2, "plan"]))
        self.assertEqual(checkpoint.status_code, 200)
        data = {"form": "schedule", "planned_date": "2017-09-30", "version": 1}
        self.client.post(reverse("checkpoint_detail", args=[2017, 2, "plan"]), data)
        dashboard = self.client.get(reverse("home")).content.decode()
        line = dashboard[dashboard.index("计划完成日期调整为") - 400 :]
        line = line[: line.index("</li>")]
        self.assertIn("计划完成日期调整为 2017-09-30", line)
        self.assertNotIn("→", line)

    def test_each_decision_says_what_happened(self):
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        steps = [
            ("start", "", "「方案关」已开始推进。"),
            ("submit", "方案已印发", "「方案关」已报审，等待区委改革办审核。"),
            ("send_back", "补充论证", "「方案关」已退回整改。"),
            ("submit", "已补充", "「方案关」已报审，等待区委改革办审核。"),
            ("approve", "", "「方案关」已审核通过。"),
            ("reopen", "发现问题", "「方案关」已重新打开。"),
        ]
        for version, (action, note, message) in enumerate(steps, start=1):
            data = {"form": "decision", "action": action, "note": note, "version": version}
            page = self.client.post(url, data, follow=True)
            self.assertContains(page, message, msg_prefix=action)

    def test_the_follow_up_form_starts_with_today(self):
        instruction = make_instruction(self.project(2))
        page = self.client.get(reverse("instruction_follow_up", args=[instruction.pk]))
        self.assertEqual(page.context["form"]["followed_up_on"].value(), TODAY)

    def project(self, number):
        from projects.models import Project

        return Project.objects.get(plan__year=2017, number=number)


class FindingTests(PlanTestCase):
    def numbers(self, query):
        page = self.client.get(reverse("project_list"), {"q": query})
        return [p.number for p in page.context["page"].object_list]

    def test_keywords_find_units_officials_and_texts(self):
        self.assertEqual(self.numbers("区发改局"), [2])  # its short name: leads project 2
        self.assertEqual(self.numbers("发改"), [2])
        self.assertEqual(self.numbers("龙岗区发展和改革局"), [2])  # the full name
        self.assertEqual(self.numbers("高自民"), [1])
        self.assertEqual(self.numbers("戴斌 固定资产"), [2])
        self.assertEqual(self.numbers("网格"), [3])
        self.assertEqual(self.numbers("不存在的词"), [])

    def test_a_participating_unit_finds_the_project(self):
        from units.models import Unit

        school = Unit.objects.filter(participating_projects__isnull=False).first()
        self.assertIn(
            school.participating_projects.first().number,
            self.numbers(school.short_name or school.name),
        )

    def test_every_page_has_the_search_box(self):
        for url in (reverse("home"), reverse("project_detail", args=[2017, 1])):
            body = self.client.get(url).content.decode()
            self.assertRegex(body, r'<form method="get" action="/projects/"[^>]*role="search"')

    def test_a_year_without_a_plan_says_so(self):
        for name in ("home", "project_list"):
            response = self.client.get(reverse(name), {"year": "2018"})
            self.assertContains(response, "没有 2018 年度的改革计划", status_code=404)
            self.assertContains(response, "?year=2017", status_code=404)
        export = self.client.get(reverse("project_export", args=["csv"]), {"year": "2018"})
        self.assertEqual(export.status_code, 404)


class ChartScaleTests(PortfolioTestCase):
    def widths(self, body, caption):
        table = body[body.index(f"<caption>{caption}</caption>") :]
        table = table[: table.index("</table>")]
        rows = re.findall(
            r"<tr>\s*<th scope=\"row\"><a [^>]*>([^<]+)</a></th>(.*?)</tr>", table, re.S
        )
        return {
            label: sum(float(w) for w in re.findall(r'width="([\d.]+)"', cells))
            for label, cells in rows
        }

    def test_bars_of_one_chart_share_one_scale_and_print_their_count(self):
        body = self.client.get(reverse("home")).content.decode()
        widths = self.widths(body, "按牵头区领导")
        self.assertAlmostEqual(widths["待定"], 100.0, places=1)  # 9 projects: the longest
        self.assertAlmostEqual(widths["戴斌"], 100.0 / 9, places=1)  # 1 project
        self.assertIn("9 个项目", body)

    def test_a_passed_checkpoint_shows_no_overdue_mark(self):
        set_checkpoint(self.projects[2], "implementation", CheckpointStatus.PASSED)
        page = Client()
        page.force_login(self.alice)
        body = page.get(self.projects[2].get_absolute_url()).content.decode()
        self.assertNotIn("逾期", body)
