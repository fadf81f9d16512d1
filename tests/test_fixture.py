"""The 2017 plan fixture against the source article it quotes."""

import re
from datetime import date

from django.core.management import call_command

from projects.choices import CheckpointKind, CheckpointStatus
from projects.models import Checkpoint, ProgressUpdate, Project, ReformPlan
from units.models import Official, Unit

from .base import ARTICLE, PlanTestCase
from .factories import report, set_checkpoint

# "一、推进基础设施供给侧结构性改革。为解决……" — the article's list of the 11 projects.
ARTICLE_PROJECTS = re.findall(
    r"^\s*([一二三四五六七八九十]+)、([^。]+)。(.+)$", ARTICLE, flags=re.MULTILINE
)


class PlanFixtureTests(PlanTestCase):
    def test_article_lists_eleven_projects(self):
        self.assertEqual(len(ARTICLE_PROJECTS), 11)

    def test_plan_and_meeting(self):
        plan = ReformPlan.objects.get()
        self.assertEqual(plan.year, 2017)
        self.assertEqual(plan.title, "龙岗区2017年改革计划")
        self.assertEqual(plan.approved_by, "区委全面深化改革领导小组第十三次会议")
        self.assertIn("区委全面深化改革领导小组第十三次会议", ARTICLE)
        self.assertIn(plan.summary, ARTICLE)

    def test_eleven_projects_with_the_articles_exact_titles(self):
        projects = list(Project.objects.order_by("number"))
        self.assertEqual(
            [(p.number_cn, p.title) for p in projects],
            [(n, title) for n, title, _ in ARTICLE_PROJECTS],
        )

    def test_texts_are_the_articles_words_split_without_paraphrase(self):
        for project, (n, title, body) in zip(
            Project.objects.order_by("number"), ARTICLE_PROJECTS, strict=True
        ):
            with self.subTest(project=n):
                self.assertEqual(project.source_text, f"{n}、{title}。{body}")
                parts = [project.problem, project.principles, project.content, project.goals]
                self.assertEqual(",".join(p for p in parts if p), body)
                self.assertTrue(project.problem and project.content)
                self.assertEqual(project.innovation, "")  # the article does not separate it

    def test_leads_of_projects_one_and_two_and_no_invented_leaders(self):
        leads = dict(Project.objects.values_list("number", "lead_official__name"))
        self.assertEqual(leads[1], "高自民")
        self.assertEqual(leads[2], "戴斌")
        self.assertEqual({n for n, name in leads.items() if name}, {1, 2})
        self.assertEqual(
            sorted(Official.objects.values_list("name", "position")),
            sorted([("高自民", "区委书记"), ("戴斌", "区委副书记、区长")]),
        )

    def test_project_one_is_the_citys_number_one_reform(self):
        project = Project.objects.get(number=1)
        self.assertIn("全市2017年改革计划1号改革项目", project.city_plan_note)
        self.assertIn(project.city_plan_note, ARTICLE)

    def test_inferred_lead_units_are_marked_as_inferred(self):
        for project in Project.objects.filter(lead_unit__isnull=False):
            with self.subTest(project=project.number):
                self.assertIn("推断", project.source_note)

    def test_units_named_in_the_article(self):
        short_names = set(Unit.objects.values_list("short_name", flat=True))
        for name in ("区委改革办", "区政务办", "区发改局", "区科创局", "区教育局", "平湖街道"):
            self.assertIn(name, short_names)
            self.assertIn(name.removeprefix("区"), ARTICLE)

    def test_thirty_three_checkpoints_all_not_started(self):
        self.assertEqual(Checkpoint.objects.count(), 33)
        self.assertEqual(
            set(Checkpoint.objects.values_list("status", flat=True)), {CheckpointStatus.NOT_STARTED}
        )
        for project in Project.objects.all():
            self.assertEqual(
                sorted(project.checkpoints.values_list("kind", flat=True)),
                sorted(CheckpointKind.values),
            )

    def test_reloading_leaves_the_same_rows_and_keeps_progress(self):
        project = Project.objects.get(number=3)
        gate = set_checkpoint(
            project, CheckpointKind.PLAN, CheckpointStatus.PASSED, passed_on=date(2017, 6, 30)
        )
        report(project, on=date(2017, 7, 1), summary="方案已印发", percent=30)
        before = {
            model: sorted(model.objects.values_list("pk", flat=True))
            for model in (ReformPlan, Project, Checkpoint, Unit, Official, ProgressUpdate)
        }
        call_command("loaddata", "plan_2017", verbosity=0)
        after = {model: sorted(model.objects.values_list("pk", flat=True)) for model in before}
        self.assertEqual(before, after)
        gate.refresh_from_db()
        self.assertEqual(gate.status, CheckpointStatus.PASSED)
        self.assertEqual(ProgressUpdate.objects.get().summary, "方案已印发")
