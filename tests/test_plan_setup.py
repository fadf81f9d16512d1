"""Setting up a year's plan in the app (issue 11): plans and their steps, projects added,
changed and withdrawn, 计划调整, meetings and their decisions."""

from django.test import Client
from django.urls import reverse

from projects.choices import (
    AdjustmentKind,
    CheckpointStatus,
    DecisionKind,
    PlanStatus,
    ProjectStanding,
    ProjectTier,
)
from projects.models import Decision, Meeting, PlanAdjustment, Project, ReformPlan

from .base import PlanTestCase
from .factories import project_form, set_checkpoint

NEW_PROJECT = {
    "number": "1",
    "title": "推进数字政府改革",
    "tier": ProjectTier.DISTRICT,
    "issuing_level": "",
    "issuing_document": "",
    "domain": "government",
    "content": "建设一网通办平台",
}


class PlanLifeTests(PlanTestCase):
    def new_plan(self):
        response = self.client.post(
            reverse("plan_new"), {"year": "2018", "title": "龙岗区2018年改革计划"}
        )
        self.assertRedirects(response, reverse("plan_detail", args=[2018]))
        return ReformPlan.objects.get(year=2018)

    def step(self, plan, action, version=None):
        data = {"action": action, "version": version or plan.version}
        return self.client.post(reverse("plan_step", args=[plan.year]), data)

    def test_the_office_creates_a_draft_and_moves_it_along_with_each_step_recorded(self):
        plan = self.new_plan()
        self.assertEqual(plan.status, PlanStatus.DRAFT)
        self.assertRedirects(self.step(plan, "submit"), plan.get_absolute_url())
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.SUBMITTED)
        page = self.client.get(plan.get_absolute_url())
        self.assertContains(page, "形成送审稿")  # the history names the step
        self.assertContains(page, "alice")
        # 审议通过 is not a button: a meeting decides it
        self.assertNotContains(page, 'value="approve"')
        refused = self.step(plan, "approve")
        self.assertEqual(refused.status_code, 400)
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.SUBMITTED)

    def test_a_step_from_the_wrong_status_is_refused_with_the_reason(self):
        plan = self.new_plan()
        response = self.step(plan, "start")
        self.assertContains(response, "计划当前状态为「起草」，不能开始执行。", status_code=400)

    def test_a_stale_step_is_refused(self):
        plan = self.new_plan()
        self.step(plan, "submit")
        response = self.step(plan, "redraft", version=1)
        self.assertEqual(response.status_code, 409)

    def test_two_plans_for_one_year_are_refused_in_words(self):
        response = self.client.post(reverse("plan_new"), {"year": "2017", "title": "重复"})
        self.assertContains(response, "该年度已有改革计划。", status_code=400)

    def test_a_meeting_decision_approves_a_submitted_plan(self):
        plan = self.new_plan()
        self.step(plan, "submit")
        meeting = Meeting.objects.create(sequence=20)
        data = {
            "kind": DecisionKind.APPROVE_PLAN,
            "text": "审议通过2018年改革计划",
            "plan": plan.pk,
        }
        response = self.client.post(reverse("decision_add", args=[meeting.pk]), data)
        self.assertRedirects(response, meeting.get_absolute_url())
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.APPROVED)
        self.assertEqual(plan.approved_by, "区委全面深化改革领导小组第二十次会议")
        self.assertContains(self.client.get(plan.get_absolute_url()), "审议通过2018年改革计划")

    def test_a_decision_cannot_approve_a_draft(self):
        plan = self.new_plan()
        meeting = Meeting.objects.create(sequence=20)
        data = {"kind": DecisionKind.APPROVE_PLAN, "text": "审议通过", "plan": plan.pk}
        response = self.client.post(reverse("decision_add", args=[meeting.pk]), data)
        self.assertContains(response, "须先形成送审稿才能审议通过", status_code=400)
        self.assertFalse(Decision.objects.filter(meeting=meeting).exists())


class ProjectChangeTests(PlanTestCase):
    """The 2017 plan is approved: its projects change only with a reason (计划调整)."""

    def test_a_change_without_a_reason_is_refused_and_nothing_saved(self):
        project = Project.objects.get(number=5)
        data = project_form(project, goals="新的目标", reason="")
        response = self.client.post(reverse("project_edit", args=[2017, 5]), data)
        self.assertContains(response, "须说明调整理由", status_code=400)
        project.refresh_from_db()
        self.assertNotEqual(project.goals, "新的目标")
        self.assertFalse(PlanAdjustment.objects.exists())

    def test_a_change_with_a_reason_is_listed_with_before_and_after(self):
        project = Project.objects.get(number=5)
        old_goals = project.goals
        data = project_form(project, goals="新的目标", lead_unit=self.fagai.pk, reason="会议调整")
        self.assertEqual(
            self.client.post(reverse("project_edit", args=[2017, 5]), data).status_code, 302
        )
        adjustment = PlanAdjustment.objects.get()
        self.assertEqual((adjustment.kind, adjustment.reason), (AdjustmentKind.CHANGED, "会议调整"))
        fields = {c["field"]: (c["before"], c["after"]) for c in adjustment.changes}
        self.assertEqual(fields["改革目标"], (old_goals, "新的目标"))
        self.assertEqual(fields["牵头单位"], ("待定", "区发改局"))
        plan_page = self.client.get(reverse("plan_detail", args=[2017])).content.decode()
        self.assertIn("会议调整", plan_page)
        self.assertIn("<ins>新的目标</ins>", plan_page)

    def test_other_fields_change_without_a_reason(self):
        project = Project.objects.get(number=5)
        data = project_form(project, innovation="补充创新点", reason="")
        self.assertEqual(
            self.client.post(reverse("project_edit", args=[2017, 5]), data).status_code, 302
        )
        self.assertFalse(PlanAdjustment.objects.exists())

    def test_a_draft_plans_projects_change_freely(self):
        plan = ReformPlan.objects.create(year=2018, title="龙岗区2018年改革计划")
        project = Project.objects.create(plan=plan, number=1, title="草拟项目", domain="urban")
        data = project_form(project, title="改过的草拟项目", reason="")
        self.assertEqual(
            self.client.post(reverse("project_edit", args=[2018, 1]), data).status_code, 302
        )
        self.assertFalse(PlanAdjustment.objects.exists())

    def test_adding_to_an_approved_plan_needs_a_reason_and_is_recorded(self):
        url = reverse("project_new", args=[2017])
        refused = self.client.post(url, {**NEW_PROJECT, "number": "12"})
        self.assertEqual(refused.status_code, 400)
        self.assertFalse(Project.objects.filter(number=12).exists())
        added = self.client.post(url, {**NEW_PROJECT, "number": "12", "reason": "市里新增部署"})
        project = Project.objects.get(plan__year=2017, number=12)
        self.assertRedirects(added, project.get_absolute_url())
        self.assertEqual(project.checkpoints.count(), 3)
        self.assertEqual(PlanAdjustment.objects.get().kind, AdjustmentKind.ADDED)

    def test_a_number_used_twice_is_refused_in_words(self):
        response = self.client.post(
            reverse("project_new", args=[2017]), {**NEW_PROJECT, "number": "3", "reason": "x"}
        )
        self.assertContains(response, "同一改革计划中项目序号不能重复。", status_code=400)

    def test_a_task_set_by_higher_levels_names_the_level(self):
        data = {**NEW_PROJECT, "number": "12", "reason": "x", "tier": ProjectTier.HIGHER}
        response = self.client.post(reverse("project_new", args=[2017]), data)
        self.assertContains(response, "须注明部署层级", status_code=400)
        data["issuing_level"] = "city"
        data["issuing_document"] = "深改发〔2017〕1号"
        self.assertEqual(
            self.client.post(reverse("project_new", args=[2017]), data).status_code, 302
        )
        project = Project.objects.get(plan__year=2017, number=12)
        self.assertEqual((project.tier, project.issuing_level), (ProjectTier.HIGHER, "city"))

    def test_a_withdrawn_project_stays_marked_and_leaves_the_dashboard(self):
        url = reverse("project_withdraw", args=[2017, 8])
        self.assertContains(
            self.client.post(url, {"reason": "", "version": 1}), "须说明理由", status_code=400
        )
        response = self.client.post(url, {"reason": "并入项目七", "version": 1})
        self.assertRedirects(response, reverse("plan_detail", args=[2017]))
        project = Project.objects.get(number=8)
        self.assertEqual(project.standing, ProjectStanding.WITHDRAWN)
        self.assertEqual(PlanAdjustment.objects.get().kind, AdjustmentKind.WITHDRAWN)
        dashboard = self.client.get(reverse("home"))
        self.assertEqual(dashboard.context["figures"].projects, 10)
        self.assertNotContains(dashboard, project.title)
        listed = self.client.get(reverse("project_list"), {"withdrawn": "on"})
        self.assertContains(listed, project.title)
        self.assertContains(self.client.get(project.get_absolute_url()), "并入项目七")


class MeetingTests(PlanTestCase):
    def test_the_2017_fixture_holds_the_13th_meeting_as_the_article_tells_it(self):
        meeting = Meeting.objects.get(sequence=13)
        self.assertIsNone(meeting.held_on)  # 昨日: not in the article
        self.assertEqual(meeting.chair.name, "高自民")
        self.assertEqual([o.name for o in meeting.attendees.all()], ["戴斌"])
        self.assertIn(
            "重要改革亲自部署、重大方案亲自把关、关键环节亲自协调、落实情况亲自督查",
            meeting.requirements,
        )
        topics = [item.topic for item in meeting.agenda.all()]
        self.assertIn("龙岗区委改革办汇报了《龙岗区2017年改革计划(送审稿)》起草情况", topics)
        decision = meeting.decisions.get()
        self.assertEqual((decision.kind, decision.plan.year), (DecisionKind.APPROVE_PLAN, 2017))
        page = self.client.get(meeting.get_absolute_url())
        self.assertContains(page, "区委全面深化改革领导小组第十三次会议")
        self.assertContains(page, "未注明")
        self.assertContains(
            self.client.get(reverse("plan_detail", args=[2017])),
            "会议审议通过了《龙岗2017年改革计划》。",
        )

    def test_a_meeting_approves_a_projects_plan_checkpoint_under_the_rules(self):
        meeting = Meeting.objects.get(sequence=13)
        project = Project.objects.get(number=2)
        url = reverse("decision_add", args=[meeting.pk])
        data = {
            "kind": DecisionKind.APPROVE_CHECKPOINT,
            "text": "同意实施方案",
            "project": project.pk,
        }
        refused = self.client.post(url, data)
        self.assertContains(refused, "当前状态为「未开始」", status_code=400)
        set_checkpoint(project, "plan", CheckpointStatus.SUBMITTED)
        self.assertRedirects(self.client.post(url, data), meeting.get_absolute_url())
        checkpoint = project.checkpoints.get(kind="plan")
        self.assertEqual(checkpoint.status, CheckpointStatus.PASSED)
        self.assertIn("第十三次会议", checkpoint.assessment_notes)
        self.assertContains(self.client.get(project.get_absolute_url()), "同意实施方案")

    def test_a_meeting_number_used_twice_is_refused_in_words(self):
        response = self.client.post(reverse("meeting_new"), {"sequence": "13"})
        self.assertContains(response, "已有同一届次的会议记录。", status_code=400)


class PlanPagePermissionTests(PlanTestCase):
    """anonymous → sign-in; a reader sees, cannot change; the office changes."""

    def status(self, user, method, url, data=None):
        client = Client()
        if user:
            client.force_login(user)
        return (client.post(url, data or {}) if method == "post" else client.get(url)).status_code

    def test_ladders(self):
        meeting = Meeting.objects.get(sequence=13)
        pages = [
            (
                "get",
                reverse("plan_list"),
                None,
                {None: 302, "charlie": 200, "bob": 200, "alice": 200},
            ),
            (
                "get",
                reverse("plan_detail", args=[2017]),
                None,
                {None: 302, "charlie": 200, "bob": 200, "alice": 200},
            ),
            (
                "get",
                reverse("plan_new"),
                None,
                {None: 302, "charlie": 403, "bob": 403, "alice": 200},
            ),
            (
                "get",
                reverse("plan_edit", args=[2017]),
                None,
                {None: 302, "charlie": 403, "bob": 403, "alice": 200},
            ),
            (
                "post",
                reverse("plan_step", args=[2017]),
                {"action": "start", "version": 1},
                {None: 302, "charlie": 403, "bob": 403, "alice": 302},
            ),
            (
                "get",
                reverse("project_new", args=[2017]),
                None,
                {None: 302, "charlie": 403, "bob": 403, "alice": 200},
            ),
            (
                "get",
                reverse("project_withdraw", args=[2017, 2]),
                None,
                {None: 302, "charlie": 403, "bob": 403, "alice": 200},
            ),
            (
                "get",
                reverse("meeting_list"),
                None,
                {None: 302, "charlie": 200, "bob": 200, "alice": 200},
            ),
            (
                "get",
                meeting.get_absolute_url(),
                None,
                {None: 302, "charlie": 200, "bob": 200, "alice": 200},
            ),
            (
                "get",
                reverse("meeting_new"),
                None,
                {None: 302, "charlie": 403, "bob": 403, "alice": 200},
            ),
            (
                "post",
                reverse("agenda_add", args=[meeting.pk]),
                {"topic": "议题"},
                {None: 302, "charlie": 403, "bob": 403, "alice": 302},
            ),
        ]
        for method, url, data, expected in pages:
            for who, status in expected.items():
                with self.subTest(url=url, who=who):
                    user = getattr(self, who) if who else None
                    self.assertEqual(self.status(user, method, url, data), status)

    def test_query_counts_of_the_new_pages(self):
        meeting = Meeting.objects.get(sequence=13)
        # each with the header's 待办 count: two queries (chasing.todo)
        for url, queries in (
            (reverse("plan_list"), 7),
            (reverse("plan_detail", args=[2017]), 13),  # + the intake funnel (one query)
            (reverse("meeting_list"), 8),
            (meeting.get_absolute_url(), 15),
        ):
            with self.subTest(url), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).status_code, 200)


class NewProjectFormTests(PlanTestCase):
    def test_the_new_project_form_proposes_the_next_number(self):
        form = self.client.get(reverse("project_new", args=[2017])).context["form"]
        self.assertEqual(form["number"].value(), 12)
