"""销号 (issue 14): after 成效关 passes, the lead unit applies with a summary of results; the
office closes the project (已销号: locked) or returns the application with a note; a
returned application may be made again."""

from tempfile import TemporaryDirectory

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from projects import closing
from projects.choices import CheckpointStatus, CloseoutState, PlanStatus, ProjectStanding
from projects.models import (
    CLOSEOUT_STEPS,
    Checkpoint,
    Closeout,
    ProgressUpdate,
    Project,
    ReformPlan,
)

from .base import PlanTestCase
from .factories import TODAY, progress_form, project_form, report, set_checkpoint
from .test_periods import open_period

SUMMARY = "建成固定资产投资项目全流程管理平台，审批时限压缩一半"


def pass_all_checkpoints(project):
    for kind in ("plan", "implementation", "outcome"):
        set_checkpoint(project, kind, CheckpointStatus.PASSED)


def closeout_state():
    """The rows 销号 writes (and the project's), with their history: equal before and after
    means a refused request saved nothing."""
    return {
        "closeouts": list(Closeout.objects.order_by("pk").values_list()),
        "closeout history": Closeout.history.count(),
        "projects": list(Project.objects.order_by("pk").values_list("pk", "standing", "version")),
        "project history": Project.history.count(),
    }


class CloseoutTestCase(PlanTestCase):
    """Project 2 is led by Bob's 区发改局; the 2017 plan is being carried out (执行中)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ReformPlan.objects.filter(year=2017).update(status=PlanStatus.IN_PROGRESS)

    def setUp(self):
        super().setUp()
        self.project = Project.objects.get(plan__year=2017, number=2)
        self.url = reverse("closeout", args=[2017, 2])
        self.bob_client = Client()
        self.bob_client.force_login(self.bob)

    def apply(self, client=None, summary=SUMMARY):
        return (client or self.bob_client).post(self.url, {"action": "apply", "summary": summary})

    def review(self, action, note="", version=None, **extra):
        newest = Closeout.objects.filter(project=self.project).order_by("-pk").first()
        version = version or (newest.version if newest else 1)
        data = {"action": action, "note": note, "version": version, **extra}
        return self.client.post(self.url, data)


class ApplyingTests(CloseoutTestCase):
    def test_no_closeout_before_the_outcome_checkpoint_passes(self):
        set_checkpoint(self.project, "plan", CheckpointStatus.PASSED)
        set_checkpoint(self.project, "implementation", CheckpointStatus.PASSED)
        set_checkpoint(self.project, "outcome", CheckpointStatus.SUBMITTED)
        before = closeout_state()
        page = self.bob_client.get(self.url)
        self.assertContains(page, "「成效关」尚未通过：通过后，牵头单位可在此申请销号。")
        self.assertNotContains(page, 'value="apply"')
        refused = self.apply()
        self.assertContains(refused, "「成效关」通过后才能申请或核验销号。", status_code=400)
        self.assertEqual(closeout_state(), before)
        # the office is held to the same rule
        refused = self.apply(self.client)
        self.assertContains(refused, "「成效关」通过后才能申请或核验销号。", status_code=400)
        self.assertEqual(closeout_state(), before)

    def test_the_lead_unit_applies_once_its_outcome_checkpoint_passed(self):
        pass_all_checkpoints(self.project)
        self.assertContains(self.bob_client.get(self.url), 'value="apply"')
        self.assertRedirects(self.apply(), self.project.get_absolute_url())
        closeout = Closeout.objects.get(project=self.project)
        self.assertEqual(
            (closeout.state, closeout.summary, closeout.applied_by),
            (CloseoutState.APPLIED, SUMMARY, self.bob),
        )
        self.assertEqual(closeout.history.get().history_change_reason, "申请销号")
        page = self.bob_client.get(self.project.get_absolute_url())
        self.assertContains(page, "已申请")
        self.assertContains(self.client.get(self.url), SUMMARY)
        # the project stays on the list, workable, until the office closes it
        self.project.refresh_from_db()
        self.assertEqual(self.project.standing, ProjectStanding.ACTIVE)

    def test_another_unit_or_a_leader_cannot_apply(self):
        pass_all_checkpoints(self.project)
        before = closeout_state()
        for user in (self.erin, self.charlie, self.olivia):
            client = Client()
            client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.apply(client).status_code, 403)
        erin = Client()
        erin.force_login(self.erin)
        self.assertContains(
            self.apply(erin), "只有牵头单位联络员和区委改革办可以申请销号。", status_code=403
        )
        self.assertEqual(closeout_state(), before)

    def test_an_application_needs_a_summary(self):
        pass_all_checkpoints(self.project)
        response = self.apply(summary="   ")
        self.assertContains(response, "销号申请须写明成果总结。", status_code=400)
        self.assertFalse(Closeout.objects.exists())

    def test_one_application_waits_at_a_time_and_a_double_send_saves_once(self):
        pass_all_checkpoints(self.project)
        self.apply()
        twice = self.apply()  # the same form sent again
        self.assertRedirects(twice, self.project.get_absolute_url())
        self.assertEqual(Closeout.objects.count(), 1)
        other = self.apply(self.client, summary="另一份总结")
        self.assertContains(other, "该项目已有待核验的销号申请。", status_code=400)
        self.assertEqual(Closeout.objects.count(), 1)

    def test_an_unknown_move_is_a_400_in_words(self):
        response = self.client.post(self.url, {"action": "explode", "version": 1})
        self.assertContains(response, "未知的操作。", status_code=400)


class ReviewTests(CloseoutTestCase):
    def setUp(self):
        super().setUp()
        pass_all_checkpoints(self.project)
        self.apply()

    def test_the_office_closes_the_project_which_is_then_closed_out(self):
        page = self.client.get(self.url)
        self.assertContains(page, 'value="close"')
        self.assertContains(page, 'value="return"')
        response = self.review("close", "成效明显，同意销号", outside_evaluation="第三方评估：优")
        self.assertRedirects(response, self.project.get_absolute_url())
        closeout = Closeout.objects.get()
        self.assertEqual(
            (closeout.state, closeout.reviewed_by, closeout.reviewed_on),
            (CloseoutState.CLOSED, self.alice, TODAY),
        )
        self.assertEqual(closeout.outside_evaluation, "第三方评估：优")
        self.project.refresh_from_db()
        self.assertEqual(self.project.standing, ProjectStanding.CLOSED_OUT)
        reason = self.project.history.first().history_change_reason
        self.assertEqual(reason, "销号：成效明显，同意销号")
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, "已销号")
        self.assertContains(page, f"{TODAY:%Y-%m-%d} 经alice核验销号。")
        plan_page = self.client.get(reverse("plan_detail", args=[2017]))
        self.assertContains(plan_page, "standing-closed_out")

    def test_the_lead_unit_cannot_close_its_own_project(self):
        before = closeout_state()
        data = {"action": "close", "note": "", "version": 1}
        response = self.bob_client.post(self.url, data)
        self.assertContains(response, "只有区委改革办可以核验销号申请。", status_code=403)
        self.assertEqual(closeout_state(), before)

    def test_returning_needs_a_note_then_the_unit_applies_again(self):
        before = closeout_state()
        self.assertContains(self.review("return"), "退回销号申请须写明理由。", status_code=400)
        self.assertEqual(closeout_state(), before)
        self.assertRedirects(
            self.review("return", "请补充成效数据"), self.project.get_absolute_url()
        )
        returned = Closeout.objects.get()
        self.assertEqual(
            (returned.state, returned.review_note), (CloseoutState.RETURNED, "请补充成效数据")
        )
        self.assertContains(self.bob_client.get(self.url), "请补充成效数据")
        self.assertContains(self.bob_client.get(self.url), "重新申请销号")
        self.assertRedirects(self.apply(summary="补充了成效数据"), self.project.get_absolute_url())
        self.assertEqual(
            list(Closeout.objects.order_by("pk").values_list("state", flat=True)),
            [CloseoutState.RETURNED, CloseoutState.APPLIED],
        )
        self.project.refresh_from_db()
        self.assertEqual(self.project.standing, ProjectStanding.ACTIVE)

    def test_a_stale_decision_is_refused_and_changes_nothing(self):
        self.review("return", "请补充")
        self.apply(summary="第二次申请")
        before = closeout_state()
        newest = Closeout.objects.order_by("-pk").first()
        response = self.review("close", version=newest.version + 1)
        self.assertContains(response, "该销号申请已被他人处理", status_code=409)
        self.assertEqual(closeout_state(), before)

    def test_a_returned_application_cannot_be_closed(self):
        self.review("return", "请补充")
        response = self.review("close")
        self.assertContains(
            response, "销号申请当前为「退回」，不能核验通过，予以销号。", status_code=400
        )

    def test_no_closing_once_the_outcome_checkpoint_was_reopened(self):
        set_checkpoint(self.project, "outcome", CheckpointStatus.IN_PROGRESS)
        response = self.review("close")
        self.assertContains(response, "「成效关」通过后才能申请或核验销号。", status_code=400)
        self.assertEqual(Closeout.objects.get().state, CloseoutState.APPLIED)


class ClosedOutLockTests(CloseoutTestCase):
    """已销号: no edits, no reports, no checkpoint moves, no second 销号; it leaves
    whatever counts active projects (report periods, reminders)."""

    def setUp(self):
        super().setUp()
        self.update = report(self.project, summary="旧报告", author=self.bob)
        self.period = open_period(self.project.plan)
        pass_all_checkpoints(self.project)
        self.apply()
        self.review("close")
        self.project.refresh_from_db()

    def test_every_write_on_the_project_is_refused_with_the_reason(self):
        p = (2017, 2)
        gate = reverse("checkpoint_detail", args=[*p, "outcome"])
        version = self.project.version
        # the office's correction needs a reason (tests/test_yearend.py, ReadOnlyTests)
        corrections = [
            (reverse("project_edit", args=p), project_form(self.project, reason="")),
            (reverse("update_edit", args=[self.update.pk]), progress_form(version=1)),
        ]
        for url, data in corrections:
            self.assertContains(self.client.post(url, data), "须写明理由", status_code=400)
            self.assertContains(self.bob_client.post(url, data), "该项目已销号", status_code=403)
        posts = [
            (reverse("update_add", args=p), progress_form()),
            (gate, {"action": "reopen", "note": "复核", "version": 2}),
            (gate, {"form": "schedule", "planned_date": "2017-12-01", "version": 2}),
            (reverse("project_withdraw", args=p), {"reason": "x", "version": version}),
            (self.url, {"action": "apply", "summary": "再申请"}),
            (self.url, {"action": "return", "note": "x", "version": 2}),
        ]
        checkpoints = list(Checkpoint.objects.filter(project=self.project).values_list())
        before = closeout_state()
        for client in (self.client, self.bob_client):
            for url, data in posts:
                with self.subTest(url=url, data=data.get("action")):
                    response = client.post(url, data)
                    self.assertContains(response, "该项目已销号", status_code=403)
        self.assertEqual(closeout_state(), before)
        self.assertEqual(
            list(Checkpoint.objects.filter(project=self.project).values_list()), checkpoints
        )
        self.assertEqual(ProgressUpdate.objects.filter(project=self.project).count(), 1)

    def test_the_office_cannot_accept_a_report_of_a_closed_out_project(self):
        data = {"action": "accept", "note": "", "version": self.update.version}
        self.client.post(reverse("report_step", args=[self.update.pk]), data)
        self.update.refresh_from_db()
        self.assertNotEqual(self.update.state, "accepted")

    def test_the_page_offers_no_controls_but_shows_the_record(self):
        page = self.client.get(self.project.get_absolute_url()).content.decode()
        for control in ("修改项目信息", "撤销项目", "填报本周进展", 'value="apply"'):
            self.assertNotIn(control, page)
        self.assertIn("此后不能再修改、填报进展或办理关口。", page)
        closeout = self.client.get(self.url)
        self.assertNotContains(closeout, 'name="action"')
        self.assertContains(closeout, SUMMARY)

    def test_a_leader_may_still_write_an_instruction(self):
        leader = Client()
        leader.force_login(self.charlie)
        data = {"issued_on": TODAY.isoformat(), "text": "总结经验，推广"}
        response = leader.post(reverse("instruction_add", args=[2017, 2]), data)
        self.assertRedirects(response, self.project.get_absolute_url())

    def test_lists_mark_it(self):
        unit_page = self.client.get(reverse("unit_detail", args=[self.fagai.pk]))
        self.assertContains(unit_page, "standing-closed_out")
        listed = self.client.get(reverse("project_list"), {"withdrawn": "on"})
        self.assertContains(listed, "standing-closed_out")
        self.assertNotContains(listed, "standing-active")

    def test_it_drops_out_of_the_active_projects_and_the_period_it_was_owed_to(self):
        self.assertNotIn(self.project, Project.objects.active())
        self.assertNotIn(self.project, self.period.covered_projects())
        owed = self.client.get(self.period.get_absolute_url())
        self.assertNotContains(owed, self.project.title)


class PageTests(CloseoutTestCase):
    def test_the_project_page_leads_the_lead_unit_to_apply(self):
        url = self.project.get_absolute_url()
        self.assertContains(self.bob_client.get(url), "「成效关」通过后，由牵头单位申请销号")
        pass_all_checkpoints(self.project)
        self.assertContains(self.bob_client.get(url), ">申请销号</a>")
        erin = Client()
        erin.force_login(self.erin)
        self.assertNotContains(erin.get(url), ">申请销号</a>")
        self.assertContains(erin.get(url), ">销号详情</a>")

    def test_the_table_drives_the_buttons(self):
        pass_all_checkpoints(self.project)
        self.apply()
        page = self.client.get(self.url).content.decode()
        office_moves = [s for s in CLOSEOUT_STEPS.values() if s.by_office]
        for step in office_moves:
            self.assertIn(f'value="{step.action}"', page)
            self.assertIn(str(step.label), page)
        self.assertNotIn('value="close"', self.bob_client.get(self.url).content.decode())

    def test_a_project_with_no_application_has_no_review(self):
        data = {"action": "close", "note": "", "version": 1}
        self.assertEqual(self.client.post(self.url, data).status_code, 404)

    def test_the_application_takes_evidence_files_while_it_waits(self):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import override_settings

        from evidence.models import Attachment

        from .test_evidence_samples import PDF

        self.enterContext(override_settings(MEDIA_ROOT=self.enterContext(TemporaryDirectory())))
        pass_all_checkpoints(self.project)
        self.apply()
        application = Closeout.objects.get(project=self.project)
        files = reverse("evidence_list", args=["projects.closeout", application.pk])
        upload = {"file": SimpleUploadedFile("成果报告.pdf", PDF)}
        self.assertRedirects(
            self.bob_client.post(files, upload),
            f"{self.url}#files-closeout-{application.pk}",
            fetch_redirect_response=False,
        )
        page = self.client.get(self.url)
        self.assertContains(page, "成果报告.pdf")
        self.assertContains(page, 'enctype="multipart/form-data"')
        # an outsider (another unit's liaison) may not add files
        olivia = Client()
        olivia.force_login(self.olivia)
        upload = {"file": SimpleUploadedFile("x.pdf", PDF)}
        self.assertEqual(olivia.post(files, upload).status_code, 403)
        # once closed, the files are the record: shown, no more added
        self.assertEqual(self.review("close", "同意销号").status_code, 302)
        page = self.bob_client.get(self.url)
        self.assertContains(page, "成果报告.pdf")
        self.assertNotContains(page, 'enctype="multipart/form-data"')
        refused = self.bob_client.post(files, {"file": SimpleUploadedFile("y.pdf", PDF)})
        self.assertContains(refused, "该销号申请已核验或退回", status_code=403)
        self.assertEqual(Attachment.objects.count(), 1)


class MovesMatrixTests(CloseoutTestCase):
    """Every move of the 销号 table from every state of the project's newest application
    (None: none yet), by the office, against a matrix written out here."""

    ALLOWED = {
        None: {"apply"},
        CloseoutState.APPLIED: {"close", "return"},
        CloseoutState.RETURNED: {"apply"},
        CloseoutState.CLOSED: set(),  # the project is closed out: locked
    }

    def test_matrix(self):
        pass_all_checkpoints(self.project)
        for state, allowed in self.ALLOWED.items():
            for action in CLOSEOUT_STEPS:
                with self.subTest(state=state, action=action), transaction.atomic():
                    project = Project.objects.get(pk=self.project.pk)
                    newest = None
                    if state:
                        newest = Closeout.objects.create(project=project, summary="x", state=state)
                    if state == CloseoutState.CLOSED:
                        Project.objects.filter(pk=project.pk).update(
                            standing=ProjectStanding.CLOSED_OUT
                        )
                        project.refresh_from_db()
                    try:
                        closing.move_closeout(
                            project,
                            self.alice,
                            action,
                            note="说明",
                            expected_version=newest.version if newest else None,
                        )
                    except (ValidationError, PermissionDenied):
                        done = False
                    else:
                        done = True
                    self.assertEqual(done, action in allowed)
                    transaction.set_rollback(True)


class OddInputTests(CloseoutTestCase):
    """Odd values get a Chinese message and a 4xx, never a 500, and save nothing."""

    def test_odd_values(self):
        pass_all_checkpoints(self.project)
        self.apply()
        before = closeout_state()
        too_long = "长" * 10_001
        for client, data, status, message in (
            (self.bob_client, {"action": "apply", "summary": too_long}, 400, "10000"),
            (self.bob_client, {"action": "apply", "summary": "含\x00空字符"}, 400, "空字符"),
            (self.client, {"action": "close", "version": "abc"}, 400, "输入整数。"),
            (self.client, {"action": "close", "version": "0"}, 400, "大于或等于1"),
            (self.client, {"action": "close", "version": "1", "note": too_long}, 400, "10000"),
            (self.client, {"action": ["close", "return"], "version": "1"}, 400, "理由"),
            (self.client, {"action": ""}, 400, "未知的操作。"),
        ):
            with self.subTest(data={k: str(v)[:20] for k, v in data.items()}):
                response = client.post(self.url, data)
                self.assertContains(response, message, status_code=status)
        self.assertEqual(closeout_state(), before)
        self.assertEqual(self.client.get(reverse("closeout", args=[2017, 99])).status_code, 404)
        self.assertEqual(self.client.get(reverse("closeout", args=[1999, 2])).status_code, 404)
