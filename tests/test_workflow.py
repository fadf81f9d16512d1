"""The weekly work: progress reports, the 三关 rules, instructions, history and conflicts."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import CheckpointKind, CheckpointStatus, InstructionStatus, ProgressStatus
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project

from .base import PlanTestCase
from .factories import (
    TODAY,
    make_instruction,
    progress_form,
    project_form,
    report,
    set_checkpoint,
)


class ProgressReportTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.bob)
        self.project = Project.objects.get(number=2)
        self.url = reverse("update_add", args=[2017, 2])

    def test_report_is_saved_listed_and_sets_current_status(self):
        page = self.client.post(self.url, progress_form(status=ProgressStatus.WARNING), follow=True)
        self.assertRedirects(page, self.project.get_absolute_url())
        update = ProgressUpdate.objects.get()
        self.assertEqual((update.author, update.percent_complete), (self.bob, 40))
        self.assertContains(page, "进展报告已保存。")
        self.assertContains(page, "完成方案起草并征求意见")
        portfolio = self.client.get(reverse("home")).content.decode()
        row = portfolio[portfolio.index("建立健全固定资产投资项目") :]
        self.assertIn("预警", row[: row.index("</tr>")])
        self.assertIn("40%", row[: row.index("</tr>")])

    def test_each_kind_of_invalid_input_gives_its_message_and_saves_nothing(self):
        cases = [
            ({"percent_complete": "101"}, "完成进度须在0到100之间。"),
            ({"percent_complete": "-1"}, "完成进度须在0到100之间。"),
            ({"percent_complete": "四十"}, "完成进度须为0到100之间的整数。"),
            ({"reported_on": (TODAY + timedelta(days=1)).isoformat()}, "日期不能晚于今天。"),
            ({"reported_on": "2017-02-30"}, "请按“年-月-日”填写有效日期。"),
            ({"reported_on": ""}, "请填写报告日期。"),
            ({"summary": "   "}, "请填写工作进展。"),
            ({"status": "great"}, "进展状态只能是正常、预警或滞后。"),
            ({"summary": "长" * 10_001}, "10000"),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=str(overrides)[:40]):
                response = self.client.post(self.url, progress_form(**overrides))
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
                self.assertContains(response, "未保存", status_code=400)
                self.assertEqual(ProgressUpdate.objects.count(), 0)

    def test_invalid_form_is_kept_filled(self):
        response = self.client.post(
            self.url, progress_form(percent_complete="150", next_steps="保留我的输入")
        )
        self.assertContains(response, "保留我的输入", status_code=400)

    def test_updates_are_listed_newest_first(self):
        for days, text in ((14, "两周前"), (0, "今天"), (7, "一周前")):
            reported = (TODAY - timedelta(days=days)).isoformat()
            self.client.post(self.url, progress_form(reported_on=reported, summary=text))
        page = self.client.get(self.project.get_absolute_url()).content.decode()
        self.assertLess(page.index("今天"), page.index("一周前"))
        self.assertLess(page.index("一周前"), page.index("两周前"))

    def test_author_edits_own_update_and_history_records_it(self):
        self.client.post(self.url, progress_form())
        update = ProgressUpdate.objects.get()
        edit = reverse("update_edit", args=[update.pk])
        response = self.client.post(edit, progress_form(percent_complete="55", version=1))
        self.assertRedirects(response, self.project.get_absolute_url())
        update.refresh_from_db()
        self.assertEqual((update.percent_complete, update.version), (55, 2))
        self.assertEqual(update.history.count(), 2)
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, "变更记录")
        self.assertContains(page, "<del>40</del> → <ins>55</ins>", html=False)

    def test_second_editor_is_told_of_the_conflict_and_nothing_is_lost(self):
        self.client.post(self.url, progress_form())
        update = ProgressUpdate.objects.get()
        edit = reverse("update_edit", args=[update.pk])
        office = Client()
        office.force_login(self.alice)
        # both opened the form at version 1; the office saves first
        first = office.post(edit, progress_form(percent_complete="60", version=1))
        self.assertEqual(first.status_code, 302)
        second = self.client.post(edit, progress_form(percent_complete="45", version=1))
        self.assertEqual(second.status_code, 409)
        self.assertContains(second, "该记录已被他人修改", status_code=409)
        self.assertContains(second, "60%", status_code=409)
        update.refresh_from_db()
        self.assertEqual(update.percent_complete, 60)
        # having seen it, Bob may resubmit on top of the current version
        self.assertContains(second, 'name="version" value="2"', status_code=409)


class CheckpointRuleTests(PlanTestCase):
    """Project 2: Bob's unit leads it, Alice reviews."""

    def setUp(self):
        super().setUp()
        self.project = Project.objects.get(number=2)
        self.gates = {c.kind: c for c in self.project.checkpoints.all()}

    def act(self, user, kind, action, note="", version=None):
        self.client.force_login(user)
        gate = Checkpoint.objects.get(project=self.project, kind=kind)
        return self.client.post(
            reverse("checkpoint_detail", args=[2017, 2, kind]),
            {"action": action, "note": note, "version": version or gate.version},
        )

    def status(self, kind):
        return Checkpoint.objects.get(project=self.project, kind=kind).status

    def pass_gate(self, kind):
        self.act(self.bob, kind, "start")
        self.act(self.bob, kind, "submit", "已报审材料")
        self.act(self.alice, kind, "approve")
        self.assertEqual(self.status(kind), CheckpointStatus.PASSED)

    def test_full_path_through_a_gate(self):
        self.assertEqual(self.act(self.bob, "plan", "start").status_code, 302)
        self.assertEqual(self.status("plan"), CheckpointStatus.IN_PROGRESS)
        self.act(self.bob, "plan", "submit", "《实施方案》经区政府常务会议审议通过")
        self.assertEqual(self.status("plan"), CheckpointStatus.SUBMITTED)
        self.act(self.alice, "plan", "approve", "方案可行")
        gate = Checkpoint.objects.get(project=self.project, kind="plan")
        self.assertEqual((gate.status, gate.passed_on), (CheckpointStatus.PASSED, TODAY))
        self.assertIn("区政府常务会议", gate.evidence)

    def test_submit_needs_evidence(self):
        self.act(self.bob, "plan", "start")
        response = self.act(self.bob, "plan", "submit", "  ")
        self.assertContains(response, "报审须说明报审材料", status_code=400)
        self.assertContains(response, "经批准的改革方案", status_code=400)
        self.assertEqual(self.status("plan"), CheckpointStatus.IN_PROGRESS)

    def test_implementation_cannot_be_submitted_before_plan_passed(self):
        self.act(self.bob, "implementation", "start")
        response = self.act(self.bob, "implementation", "submit", "已实施")
        self.assertContains(
            response, "「实施关」须在「方案关」通过后才能报审或通过。", status_code=400
        )
        self.assertEqual(self.status("implementation"), CheckpointStatus.IN_PROGRESS)

    def test_outcome_cannot_be_submitted_before_implementation_passed(self):
        self.pass_gate("plan")
        response = self.act(self.bob, "outcome", "submit", "目标已实现")
        self.assertContains(
            response, "「成效关」须在「实施关」通过后才能报审或通过。", status_code=400
        )
        self.assertEqual(self.status("outcome"), CheckpointStatus.NOT_STARTED)

    def test_a_refusal_is_shown_once_even_where_the_dates_form_is_shown_too(self):
        # the office sees both forms on the page; the refusal belongs to the decision only
        response = self.act(self.alice, "outcome", "submit", "目标已实现")
        self.assertContains(
            response, "「成效关」须在「实施关」通过后才能报审或通过。", status_code=400, count=1
        )
        self.assertContains(response, 'role="alert"', status_code=400, count=1)

    def test_outcome_cannot_be_passed_while_implementation_is_reopened(self):
        self.pass_gate("plan")
        self.pass_gate("implementation")
        self.act(self.bob, "outcome", "submit", "目标已实现")
        self.assertEqual(self.status("outcome"), CheckpointStatus.SUBMITTED)
        # office wants to reopen 实施关 — refused while 成效关 is under review
        response = self.act(self.alice, "implementation", "reopen", "复核")
        self.assertContains(response, "请先重新打开后面的关口", status_code=400)

    def test_only_the_office_passes_or_sends_back(self):
        self.act(self.bob, "plan", "submit", "材料")
        self.assertEqual(self.act(self.bob, "plan", "approve").status_code, 403)
        self.assertEqual(self.act(self.bob, "plan", "send_back", "改").status_code, 403)
        self.assertEqual(self.status("plan"), CheckpointStatus.SUBMITTED)

    def test_send_back_requires_a_note_then_resubmission_works(self):
        self.act(self.bob, "plan", "submit", "材料")
        response = self.act(self.alice, "plan", "send_back", "")
        self.assertContains(response, "退回整改须写明需要整改的内容。", status_code=400)
        self.assertEqual(self.status("plan"), CheckpointStatus.SUBMITTED)
        self.act(self.alice, "plan", "send_back", "补充风险评估")
        self.assertEqual(self.status("plan"), CheckpointStatus.REWORK)
        self.act(self.bob, "plan", "submit", "已补充风险评估")
        self.assertEqual(self.status("plan"), CheckpointStatus.SUBMITTED)

    def test_reopening_a_passed_gate_needs_a_reason_and_is_recorded(self):
        self.pass_gate("plan")
        response = self.act(self.alice, "plan", "reopen", "")
        self.assertContains(response, "重新打开已通过的关口须填写理由。", status_code=400)
        self.act(self.alice, "plan", "reopen", "方案需按市里新要求调整")
        gate = Checkpoint.objects.get(project=self.project, kind="plan")
        self.assertEqual((gate.status, gate.passed_on), (CheckpointStatus.IN_PROGRESS, None))
        latest = gate.history.first()
        self.assertEqual(latest.history_user, self.alice)
        self.assertIn("方案需按市里新要求调整", latest.history_change_reason)
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, "重新打开：方案需按市里新要求调整")

    def test_wrong_state_is_refused_with_the_current_state(self):
        response = self.act(self.alice, "plan", "approve")
        self.assertContains(response, "当前状态为「未开始」", status_code=400)

    def test_liaison_of_a_non_lead_unit_cannot_submit(self):
        self.assertEqual(self.act(self.erin, "plan", "start").status_code, 403)

    def test_concurrent_decisions_second_is_refused(self):
        self.act(self.bob, "plan", "submit", "材料")  # version 2
        stale = 2
        self.act(self.alice, "plan", "send_back", "补材料", version=stale)
        response = self.act(self.alice, "plan", "approve", version=stale)
        self.assertContains(response, "该关口已被他人修改", status_code=409)
        self.assertEqual(self.status("plan"), CheckpointStatus.REWORK)

    def test_overdue_gate_is_marked(self):
        set_checkpoint(
            self.project, "plan", CheckpointStatus.NOT_STARTED, TODAY - timedelta(days=1)
        )
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, "逾期</span>", count=1)
        portfolio = self.client.get(reverse("home"))
        self.assertContains(portfolio, "逾期</span>", count=1)

    def test_office_schedules_a_gate_with_version_check(self):
        self.client.force_login(self.alice)
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        ok = self.client.post(url, {"form": "schedule", "planned_date": "2017-09-30", "version": 1})
        self.assertEqual(ok.status_code, 302)
        stale = self.client.post(
            url, {"form": "schedule", "planned_date": "2017-12-31", "version": 1}
        )
        self.assertContains(stale, "该关口已被他人修改", status_code=409)
        self.assertEqual(
            str(Checkpoint.objects.get(pk=self.gates["plan"].pk).planned_date), "2017-09-30"
        )


class InstructionTests(PlanTestCase):
    def setUp(self):
        self.project = Project.objects.get(number=2)

    def test_leader_writes_lead_unit_follows_up(self):
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("instruction_add", args=[2017, 2]),
            {"issued_on": TODAY.isoformat(), "text": "请于月底前完成质量标准制定"},
        )
        self.assertRedirects(response, self.project.get_absolute_url())
        instruction = Instruction.objects.get()
        self.assertEqual(instruction.official.name, "高自民")
        self.assertEqual(instruction.status, InstructionStatus.OPEN)
        self.client.force_login(self.bob)
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, "请于月底前完成质量标准制定")
        self.assertContains(page, "待落实")
        url = reverse("instruction_follow_up", args=[instruction.pk])
        empty = self.client.post(url, {"follow_up": "", "followed_up_on": TODAY, "version": 1})
        self.assertContains(empty, "请填写落实情况。", status_code=400)
        done = self.client.post(
            url, {"follow_up": "质量标准已印发", "followed_up_on": TODAY, "version": 1}
        )
        self.assertEqual(done.status_code, 302)
        instruction.refresh_from_db()
        self.assertEqual(instruction.status, InstructionStatus.DONE)
        self.assertEqual(instruction.followed_up_by, self.bob)
        self.assertContains(self.client.get(self.project.get_absolute_url()), "已落实")

    def test_empty_instruction_is_refused(self):
        self.client.force_login(self.charlie)
        response = self.client.post(
            reverse("instruction_add", args=[2017, 2]), {"issued_on": TODAY, "text": " "}
        )
        self.assertContains(response, "请填写批示内容。", status_code=400)
        self.assertFalse(Instruction.objects.exists())


class ProjectEditTests(PlanTestCase):
    def test_office_edits_project_conflict_and_history(self):
        project = Project.objects.get(number=3)
        url = reverse("project_edit", args=[2017, 3])
        data = project_form(project, lead_unit=self.jiaoyu.pk)
        self.assertEqual(self.client.post(url, data).status_code, 302)
        project.refresh_from_db()
        self.assertEqual(project.lead_unit, self.jiaoyu)
        # a form still at version 1 that changes only the title is merged, not refused
        # (issue 9: a field only one editor changed is never lost)
        merged = self.client.post(url, {**data, "title": "改名"})
        self.assertEqual(merged.status_code, 302)
        project.refresh_from_db()
        self.assertEqual((project.title, project.lead_unit), ("改名", self.jiaoyu))
        # changing the lead unit both ways is a conflict: 409, nothing saved
        stale = self.client.post(url, {**data, "lead_unit": self.fagai.pk})
        self.assertContains(stale, "该记录已被他人修改", status_code=409)
        project.refresh_from_db()
        self.assertEqual(project.lead_unit, self.jiaoyu)
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, "牵头单位")
        self.assertContains(page, "<ins>区教育局</ins>", html=False)

    def test_no_delete_from_the_app(self):
        project = Project.objects.get(number=3)
        for url in (project.get_absolute_url(), reverse("project_edit", args=[2017, 3])):
            self.assertEqual(self.client.delete(url).status_code, 405)
        self.assertTrue(Project.objects.filter(pk=project.pk).exists())


class CsrfTests(PlanTestCase):
    def test_every_post_needs_the_csrf_token(self):
        project = Project.objects.get(number=2)
        instruction = make_instruction(project, "x", author=self.charlie)
        update = report(project, summary="s", percent=1, author=self.alice)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.dave)
        posts = [
            reverse("update_add", args=[2017, 2]),
            reverse("update_edit", args=[update.pk]),
            reverse("project_edit", args=[2017, 2]),
            reverse("checkpoint_detail", args=[2017, 2, "plan"]),
            reverse("instruction_add", args=[2017, 2]),
            reverse("instruction_follow_up", args=[instruction.pk]),
            reverse("load_plan"),
            reverse("logout"),
            reverse("password_change"),
        ]
        for url in posts:
            with self.subTest(url=url):
                response = client.post(url, {"action": "start", "version": 1})
                self.assertEqual(response.status_code, 403)
                self.assertContains(response, "页面已过期", status_code=403)
        self.assertEqual(ProgressUpdate.objects.count(), 1)


class HistoryTests(PlanTestCase):
    def test_history_rows_are_written_for_each_model(self):
        project = Project.objects.get(number=2)
        gate = project.checkpoints.get(kind=CheckpointKind.PLAN)
        self.client.post(
            reverse("checkpoint_detail", args=[2017, 2, "plan"]),
            {"action": "start", "version": 1},
        )
        self.client.post(reverse("update_add", args=[2017, 2]), progress_form())
        # one row when the plan was loaded, one for the decision
        self.assertEqual(gate.history.count(), 2)
        self.assertEqual(gate.history.first().history_user, self.alice)
        self.assertEqual(ProgressUpdate.history.count(), 1)

    def test_project_page_query_count_does_not_grow_with_history(self):
        project = Project.objects.get(number=2)
        url = project.get_absolute_url()
        self.client.post(reverse("update_add", args=[2017, 2]), progress_form())
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        expected = len(first)  # read now: each request clears the connection's query log
        for i in range(10):
            self.client.post(
                reverse("update_add", args=[2017, 2]), progress_form(summary=f"第{i}次")
            )
            update = ProgressUpdate.objects.order_by("-pk").first()
            self.client.post(
                reverse("update_edit", args=[update.pk]),
                progress_form(summary=f"改{i}", version=update.version),
            )
        with self.assertNumQueries(expected):
            self.client.get(url)


class AdminDeletionTests(PlanTestCase):
    def test_admin_deletes_a_project_and_the_deletion_is_recorded(self):
        self.client.force_login(self.dave)
        project = Project.objects.get(number=11)
        url = reverse("admin:projects_project_delete", args=[project.pk])
        response = self.client.post(url, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Project.objects.filter(pk=project.pk).exists())
        deleted = Project.history.filter(id=project.pk, history_type="-").get()
        self.assertEqual(deleted.history_user, self.dave)
        self.assertEqual(deleted.title, "创新家庭医生服务模式")
        self.assertTrue(Checkpoint.history.filter(project_id=project.pk, history_type="-").exists())

    def test_first_decision_on_a_gate_shows_what_changed(self):
        self.client.post(
            reverse("checkpoint_detail", args=[2017, 1, "plan"]), {"action": "start", "version": 1}
        )
        page = self.client.get(reverse("project_detail", args=[2017, 1]))
        self.assertContains(page, "<del>未开始</del> → <ins>进行中</ins>", html=False)
