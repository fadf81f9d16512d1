"""Two people edit one record from the same version: a field only one of them changed is
never lost. The later save is merged field by field against the version its editor
started from; only a field both changed is a conflict, shown side by side (issue 9, 1)."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.choices import CheckpointStatus, InstructionStatus, ProgressStatus
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project

from .base import PlanTestCase

TODAY = timezone.localdate().isoformat()


def project_form_data(client, url):
    """What the edit page's form would post unchanged, read from the page's own form."""
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["participating_units"] = [u.pk for u in form.instance.participating_units.all()]
    for key in ("lead_official", "lead_unit"):
        data[key] = data[key] or ""
    data["reason"] = "按领导小组会议要求调整"  # the 2017 plan is approved: changes need one
    return data


class ProjectMergeTests(PlanTestCase):
    """Alice and Olga, both in the reform office, open project 5 at version 1."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from projects import roles

        from .base import make_user

        cls.olga = make_user("olga", roles.REFORM_OFFICE)

    def setUp(self):
        super().setUp()
        self.url = reverse("project_edit", args=[2017, 5])
        self.olga_client = Client()
        self.olga_client.force_login(self.olga)
        self.start = project_form_data(self.client, self.url)
        self.assertEqual(self.start["version"], 1)

    def test_fields_changed_by_one_editor_each_are_both_kept(self):
        first = self.client.post(self.url, {**self.start, "goals": "甲修改的改革目标"})
        self.assertEqual(first.status_code, 302)
        second = self.olga_client.post(
            self.url, {**self.start, "innovation": "乙修改的创新性"}, follow=True
        )
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "在您编辑期间他人修改了其他内容，已一并保留。")
        project = Project.objects.get(plan__year=2017, number=5)
        self.assertEqual(project.goals, "甲修改的改革目标")
        self.assertEqual(project.innovation, "乙修改的创新性")
        self.assertEqual(project.version, 3)

    def test_a_participating_unit_added_by_one_and_a_title_by_the_other(self):
        data = {**self.start, "participating_units": [*self.start["participating_units"]]}
        data["participating_units"].append(self.jiaoyu.pk)
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        merged = self.olga_client.post(self.url, {**self.start, "title": "新的项目名称"})
        self.assertEqual(merged.status_code, 302)
        project = Project.objects.get(plan__year=2017, number=5)
        self.assertEqual(project.title, "新的项目名称")
        self.assertIn(self.jiaoyu, project.participating_units.all())

    def test_a_field_both_changed_is_shown_side_by_side_and_nothing_is_saved(self):
        self.client.post(self.url, {**self.start, "goals": "甲的目标"})
        stale = self.olga_client.post(
            self.url, {**self.start, "goals": "乙的目标", "innovation": "乙的创新性"}
        )
        self.assertEqual(stale.status_code, 409)
        self.assertContains(stale, "该记录已被他人修改", status_code=409)
        body = stale.content.decode()
        box = body[body.index('class="conflict-fields') : body.index("</table>")]
        self.assertIn("改革目标", box)
        self.assertIn("甲的目标", box)
        self.assertIn("乙的目标", box)
        self.assertNotIn("创新性", box)  # only Olga changed it: not a conflict
        self.assertIn('name="keep_stored" value="goals"', box)
        project = Project.objects.get(plan__year=2017, number=5)
        self.assertEqual((project.goals, project.innovation, project.version), ("甲的目标", "", 2))
        # the form now stands at version 2 and still holds Olga's own values
        form = stale.context["form"]
        self.assertEqual(form.initial["version"], 2)
        self.assertEqual(form.initial["goals"], "乙的目标")
        self.assertEqual(form.initial["innovation"], "乙的创新性")

    def test_after_a_conflict_the_editor_keeps_the_stored_value_or_their_own(self):
        self.client.post(self.url, {**self.start, "goals": "甲的目标"})
        mine = {**self.start, "goals": "乙的目标", "title": "乙的名称"}
        self.olga_client.post(self.url, mine)
        # Olga keeps Alice's goals but her own title
        resent = {**mine, "version": 2, "keep_stored": ["goals"]}
        self.assertEqual(self.olga_client.post(self.url, resent).status_code, 302)
        project = Project.objects.get(plan__year=2017, number=5)
        self.assertEqual((project.goals, project.title), ("甲的目标", "乙的名称"))

    def test_a_field_both_changed_to_the_same_value_is_no_conflict(self):
        self.client.post(self.url, {**self.start, "goals": "同样的目标"})
        again = self.olga_client.post(self.url, {**self.start, "goals": "同样的目标"})
        self.assertEqual(again.status_code, 302)


class ReportAndCheckpointMergeTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.report = ProgressUpdate.objects.create(
            project=Project.objects.get(number=2),
            author=self.bob,
            reported_on=timezone.localdate(),
            summary="初稿",
            next_steps="征求意见",
            status=ProgressStatus.ON_TRACK,
            percent_complete=20,
        )
        self.bob_client = Client()
        self.bob_client.force_login(self.bob)

    def report_data(self, **changes):
        data = {
            "reported_on": TODAY,
            "status": ProgressStatus.ON_TRACK,
            "percent_complete": "20",
            "summary": "初稿",
            "next_steps": "征求意见",
            "problems": "",
            "coordination_needed": "",
            "version": 1,
        }
        return {**data, **changes}

    def test_progress_report_fields_changed_apart_are_merged(self):
        url = reverse("update_edit", args=[self.report.pk])
        self.assertEqual(
            self.client.post(url, self.report_data(percent_complete="60")).status_code, 302
        )
        merged = self.bob_client.post(url, self.report_data(next_steps="报区委改革办"))
        self.assertEqual(merged.status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.percent_complete, self.report.next_steps), (60, "报区委改革办")
        )

    def test_progress_report_conflict_box_names_the_text_fields_too(self):
        url = reverse("update_edit", args=[self.report.pk])
        self.client.post(url, self.report_data(problems="资金未到位"))
        stale = self.bob_client.post(url, self.report_data(problems="人员不足"))
        self.assertEqual(stale.status_code, 409)
        self.assertContains(stale, "存在问题", status_code=409)
        self.assertContains(stale, "资金未到位", status_code=409)
        self.assertContains(stale, "人员不足", status_code=409)

    def test_a_decision_and_a_new_planned_date_are_both_kept(self):
        checkpoint = Checkpoint.objects.get(project__number=2, kind="plan")
        url = checkpoint.get_absolute_url()
        start = self.bob_client.post(url, {"form": "decision", "action": "start", "version": 1})
        self.assertEqual(start.status_code, 302)
        dated = self.client.post(
            url, {"form": "schedule", "planned_date": "2017-09-30", "version": 1}
        )
        self.assertEqual(dated.status_code, 302)
        checkpoint.refresh_from_db()
        self.assertEqual(checkpoint.status, CheckpointStatus.IN_PROGRESS)
        self.assertEqual(str(checkpoint.planned_date), "2017-09-30")

    def test_two_follow_ups_of_one_instruction_conflict_on_the_text(self):
        instruction = Instruction.objects.create(
            project=Project.objects.get(number=2), author=self.charlie, text="加快推进"
        )
        url = reverse("instruction_follow_up", args=[instruction.pk])
        data = {"follow_up": "已召开推进会", "followed_up_on": TODAY, "version": 1}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        stale = self.bob_client.post(url, {**data, "follow_up": "已印发方案"})
        self.assertEqual(stale.status_code, 409)
        self.assertContains(stale, "已召开推进会", status_code=409)
        instruction.refresh_from_db()
        self.assertEqual(
            (instruction.status, instruction.follow_up), (InstructionStatus.DONE, "已召开推进会")
        )
