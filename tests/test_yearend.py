"""The year's end (issue 14): the year-end assessment, carrying unfinished projects over into
next year's draft plan or stopping them, the rule that closes the year, and a closed
plan read-only."""

from django.test import Client
from django.urls import reverse

from projects import closing
from projects.choices import CheckpointStatus, Grade, PlanStatus, ProjectStanding
from projects.models import Assessment, Checkpoint, Closeout, Project, ReformPlan
from projects.versioning import EditConflict
from units.models import Official

from .base import PlanTestCase
from .factories import make_plan, progress_form, project_form, set_checkpoint
from .test_closeout import pass_all_checkpoints
from .test_periods import open_period


def year_state():
    """Every row the year's end writes, with the history sizes: equal before and after means
    a refused request saved nothing."""
    through = Project.participating_units.through
    state = {
        m._meta.label: list(m.objects.order_by("pk").values_list())
        for m in (ReformPlan, Project, through, Checkpoint, Closeout, Assessment)
    }
    for model in (ReformPlan, Project, Checkpoint, Closeout, Assessment):
        state[f"{model._meta.label} history"] = model.history.count()
    return state


class YearEndTestCase(PlanTestCase):
    """The 2017 plan is being carried out (执行中); Alice (the office) is signed in."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ReformPlan.objects.filter(year=2017).update(status=PlanStatus.IN_PROGRESS)

    def project(self, number, year=2017):
        return Project.objects.get(plan__year=year, number=number)

    def decide(self, number, action, reason="", client=None, version=None):
        version = version or self.project(number).version
        data = {"action": action, "reason": reason, "version": version}
        return (client or self.client).post(reverse("yearend_decide", args=[2017, number]), data)

    def close_year(self, client=None):
        plan = ReformPlan.objects.get(year=2017)
        data = {"action": "close", "version": plan.version}
        return (client or self.client).post(reverse("yearend_close", args=[2017]), data)

    def draft_2018(self, projects=2):
        return make_plan(2018, projects=projects)

    def as_user(self, user):
        client = Client()
        client.force_login(user)
        return client


class AssessmentTests(YearEndTestCase):
    def url(self, number=2):
        return reverse("assessment", args=[2017, number])

    def form(self, **overrides):
        data = {"grade": Grade.EXCELLENT, "notes": "成效突出", "version": 1}
        return data | overrides

    def test_the_office_assesses_a_project_and_the_page_shows_it(self):
        data = self.form(
            replicable="on", replicable_text="形成可复制推广的龙岗模式：项目全流程管理"
        )
        self.assertRedirects(self.client.post(self.url(), data), self.project(2).get_absolute_url())
        assessment = Assessment.objects.get()
        self.assertEqual((assessment.grade, assessment.assessed_by), (Grade.EXCELLENT, self.alice))
        self.assertEqual(assessment.history.get().history_change_reason, "年度评定")
        page = self.client.get(self.project(2).get_absolute_url())
        self.assertContains(page, "优秀")
        self.assertContains(page, "形成可复制推广的龙岗模式：项目全流程管理")
        yearend = self.client.get(reverse("yearend", args=[2017]))
        self.assertContains(yearend, "形成可复制推广的龙岗模式：项目全流程管理")

    def test_a_model_worth_copying_says_what_to_copy_and_text_needs_the_flag(self):
        before = year_state()
        flagged = self.client.post(self.url(), self.form(replicable="on", replicable_text=" "))
        self.assertContains(flagged, "标为可复制推广须写明可推广的经验。", status_code=400)
        unflagged = self.client.post(self.url(), self.form(replicable_text="经验"))
        self.assertContains(unflagged, "请勾选“可复制推广”，或清空该内容。", status_code=400)
        no_grade = self.client.post(self.url(), self.form(grade=""))
        self.assertContains(no_grade, "请选择评定等次。", status_code=400)
        bad_grade = self.client.post(self.url(), self.form(grade="perfect"))
        self.assertContains(bad_grade, "评定等次无效。", status_code=400)
        self.assertEqual(year_state(), before)

    def test_editing_keeps_one_assessment_and_a_stale_edit_is_a_conflict(self):
        self.client.post(self.url(), self.form())
        edited = self.client.post(self.url(), self.form(grade=Grade.GOOD, version=1))
        self.assertEqual(edited.status_code, 302)
        self.assertEqual(Assessment.objects.get().grade, Grade.GOOD)
        before = year_state()
        stale = self.client.post(self.url(), self.form(grade=Grade.PASS, version=1))
        self.assertContains(stale, "该项目的评定已被他人保存", status_code=409)
        self.assertContains(stale, "良好", status_code=409)  # what is stored now
        self.assertEqual(year_state(), before)
        again = self.client.post(self.url(), self.form(grade=Grade.PASS, version=2))
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Assessment.objects.get().grade, Grade.PASS)

    def test_two_first_assessments_at_once_do_not_overwrite_each_other(self):
        self.client.post(self.url(), self.form())
        record = Assessment(project=self.project(2), grade=Grade.FAIL)
        with self.assertRaises(EditConflict):
            closing.assess(record, self.alice, 1)
        self.assertEqual(Assessment.objects.get().grade, Grade.EXCELLENT)

    def test_only_the_office_assesses_and_only_while_the_plan_is_carried_out(self):
        for user in (self.bob, self.charlie, self.erin):
            with self.subTest(user=user.username):
                self.assertEqual(self.as_user(user).post(self.url(), self.form()).status_code, 403)
        ReformPlan.objects.filter(year=2017).update(status=PlanStatus.APPROVED)
        refused = self.client.get(self.url())
        self.assertContains(refused, "计划执行中才能作年度评定。", status_code=403)
        self.assertFalse(Assessment.objects.exists())


class CarryOverTests(YearEndTestCase):
    def setUp(self):
        super().setUp()
        self.old = self.project(5)
        self.old.lead_official = Official.objects.get(name="戴斌")
        self.old.lead_unit = self.fagai
        self.old.save()
        self.old.participating_units.set([self.jiaoyu])
        self.passed = set_checkpoint(
            self.old, "plan", CheckpointStatus.PASSED, planned="2017-03-31"
        )
        set_checkpoint(
            self.old,
            "implementation",
            CheckpointStatus.SUBMITTED,
            planned="2017-09-30",
            evidence="已完成试点",
        )

    def test_without_next_years_plan_the_page_links_to_a_new_plan(self):
        before = year_state()
        response = self.decide(5, "carry")
        self.assertContains(response, "结转须先建立2018年度计划（起草）。", status_code=400)
        self.assertContains(response, f'href="{reverse("plan_new")}"', status_code=400)
        self.assertEqual(year_state(), before)
        page = self.client.get(reverse("yearend", args=[2017]))
        self.assertContains(page, "结转须先建立2018年度计划（起草）。")
        self.assertNotContains(page, 'value="carry"')

    def test_only_into_a_draft(self):
        make_plan(2018, status=PlanStatus.APPROVED)
        before = year_state()
        response = self.decide(5, "carry")
        self.assertContains(
            response, "2018年度计划已是「审议通过」，只能结转到起草中的计划。", status_code=400
        )
        self.assertEqual(year_state(), before)

    def test_the_copy_is_a_new_project_with_its_own_rows_linked_both_ways(self):
        following = self.draft_2018(projects=2)
        self.assertRedirects(self.decide(5, "carry"), reverse("yearend", args=[2017]))
        new = Project.objects.get(plan=following, number=3)  # after the plan's last one
        self.old.refresh_from_db()
        self.assertEqual(self.old.standing, ProjectStanding.CARRIED_OVER)
        self.assertEqual(new.carried_from, self.old)
        self.assertEqual(new.standing, ProjectStanding.ACTIVE)
        for name in closing.CARRIED_FIELDS:
            self.assertEqual(getattr(new, name), getattr(self.old, name), name)
        self.assertEqual(new.source_text, "")  # the old year's document stays with it
        # participating units: the same units, on rows of its own
        through = Project.participating_units.through
        self.assertEqual(list(new.participating_units.all()), [self.jiaoyu])
        own = set(through.objects.filter(project=new).values_list("pk", flat=True))
        old = set(through.objects.filter(project=self.old).values_list("pk", flat=True))
        self.assertTrue(own and old and not own & old)
        new.participating_units.clear()
        self.assertEqual(list(self.old.participating_units.all()), [self.jiaoyu])
        # checkpoints: new rows; a passed one stays passed with its date, the others keep
        # their status and notes and lose last year's planned date
        copies = {c.kind: c for c in new.checkpoints.all()}
        originals = {c.kind: c for c in self.old.checkpoints.all()}
        self.assertFalse({c.pk for c in copies.values()} & {c.pk for c in originals.values()})
        self.assertEqual(copies["plan"].status, CheckpointStatus.PASSED)
        self.assertEqual(copies["plan"].passed_on, self.passed.passed_on)
        self.assertEqual(str(copies["plan"].planned_date), "2017-03-31")
        self.assertEqual(copies["implementation"].status, CheckpointStatus.SUBMITTED)
        self.assertEqual(copies["implementation"].evidence, "已完成试点")
        self.assertIsNone(copies["implementation"].planned_date)
        self.assertEqual(copies["outcome"].status, CheckpointStatus.NOT_STARTED)
        # each history names the other, and each page links to the other
        self.assertEqual(self.old.history.first().history_change_reason, "结转至：2018年项目三")
        first = new.history.order_by("history_date", "history_id").first()
        self.assertEqual(first.history_change_reason, "结转自：2017年项目五")
        old_page = self.client.get(self.old.get_absolute_url())
        self.assertContains(old_page, "结转至：2018年项目三")
        self.assertContains(old_page, f'href="{new.get_absolute_url()}"')
        new_page = self.client.get(new.get_absolute_url())
        self.assertContains(new_page, "结转自：2017年项目五")
        self.assertContains(new_page, f'href="{self.old.get_absolute_url()}"')

    def test_the_old_project_is_then_locked(self):
        self.draft_2018()
        self.decide(5, "carry")
        response = self.as_user(self.bob).get(reverse("project_edit", args=[2017, 5]))
        self.assertContains(response, "该项目已结转", status_code=403)
        # the office may only correct it, with a reason
        self.assertContains(self.client.get(reverse("project_edit", args=[2017, 5])), "更正理由")
        self.assertEqual(self.decide(5, "carry").status_code, 403)
        self.assertEqual(Project.objects.filter(plan__year=2018).count(), 3)

    def test_a_waiting_application_is_decided_first(self):
        self.draft_2018()
        pass_all_checkpoints(self.old)
        Closeout.objects.create(project=self.old, summary="已完成")
        before = year_state()
        for action, reason in (("carry", ""), ("stop", "不再推进")):
            response = self.decide(5, action, reason)
            self.assertContains(
                response, "该项目有待核验的销号申请，请先核验或退回。", status_code=400
            )
        self.assertEqual(year_state(), before)

    def test_a_stale_decision_is_refused(self):
        self.draft_2018()
        before = year_state()
        response = self.decide(5, "carry", version=self.old.version + 1)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(year_state(), before)

    def test_only_while_the_plan_is_carried_out(self):
        self.draft_2018()
        ReformPlan.objects.filter(year=2017).update(status=PlanStatus.APPROVED)
        response = self.decide(5, "carry")
        self.assertContains(response, "年终结转或终止须在计划执行中进行。", status_code=400)


class StopTests(YearEndTestCase):
    def test_stopping_needs_a_reason_and_is_recorded(self):
        before = year_state()
        self.assertContains(self.decide(6, "stop", "  "), "终止项目须说明理由。", status_code=400)
        self.assertEqual(year_state(), before)
        self.assertRedirects(
            self.decide(6, "stop", "上级政策调整"), reverse("yearend", args=[2017])
        )
        project = self.project(6)
        self.assertEqual((project.standing, project.ended_reason), ("stopped", "上级政策调整"))
        self.assertEqual(project.history.first().history_change_reason, "终止项目：上级政策调整")
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, "已终止")
        self.assertContains(page, "终止理由：上级政策调整")

    def test_ended_projects_still_count_in_the_years_figures_and_list(self):
        self.decide(6, "stop", "上级政策调整")
        dashboard = self.client.get(reverse("home"), {"year": 2017})
        self.assertEqual(dashboard.context["figures"].projects, 11)
        listed = self.client.get(reverse("project_list"), {"year": 2017})
        self.assertEqual(listed.context["page"].paginator.count, 11)
        self.assertContains(listed, self.project(6).title)
        self.assertContains(listed, "已终止")
        # a withdrawn project is the one that leaves the figures
        withdrawn = self.project(5)
        withdrawn.standing, withdrawn.withdrawn_reason = "withdrawn", "合并到项目四"
        withdrawn.save()
        dashboard = self.client.get(reverse("home"), {"year": 2017})
        self.assertEqual(dashboard.context["figures"].projects, 10)

    def test_an_unknown_decision_is_a_400(self):
        response = self.decide(6, "explode")
        self.assertContains(response, "未知的操作。", status_code=400)


class ClosingTheYearTests(YearEndTestCase):
    def test_refused_naming_every_undecided_project_then_closed_once_all_are_decided(self):
        response = self.close_year()
        self.assertContains(
            response, "还有11个项目未作年终处理（销号、结转或终止）", status_code=400
        )
        self.assertContains(response, self.project(11).title, status_code=400)
        # the plan page's own step is held to the same rule
        plan = ReformPlan.objects.get(year=2017)
        step = {"action": "close", "version": plan.version}
        refused = self.client.post(reverse("plan_step", args=[2017]), step)
        self.assertContains(refused, "还有11个项目未作年终处理", status_code=400)
        # close out one, carry one, stop the rest (and a withdrawn one needs nothing)
        two = self.project(2)
        pass_all_checkpoints(two)
        closing.move_closeout(two, self.bob, "apply", note="已完成")
        closeout = Closeout.objects.get()
        closing.move_closeout(two, self.alice, "close", expected_version=closeout.version)
        self.draft_2018(projects=0)
        self.decide(5, "carry")
        Project.objects.filter(number=8).update(standing="withdrawn", withdrawn_reason="并入")
        for number in (1, 3, 4, 6, 7, 9, 10):
            self.decide(number, "stop", "不再推进")
        response = self.close_year()
        self.assertContains(response, "还有1个项目未作年终处理", status_code=400)
        self.assertContains(response, self.project(11).title, status_code=400)
        self.decide(11, "stop", "不再推进")
        self.assertRedirects(self.close_year(), reverse("plan_detail", args=[2017]))
        plan = ReformPlan.objects.get(year=2017)
        self.assertEqual(plan.status, PlanStatus.CLOSED)
        self.assertEqual(plan.history.first().history_change_reason, "年度总结")


class ReadOnlyTests(YearEndTestCase):
    """A closed plan (已总结): every write refuses, with the reason, and nothing is saved."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        project = Project.objects.get(plan__year=2017, number=2)
        cls.update = project.updates.create(
            reported_on="2017-11-01", status="on_track", percent_complete=90, summary="总结"
        )
        cls.instruction = project.instructions.create(text="请总结")
        cls.period = open_period(project.plan)
        ReformPlan.objects.filter(year=2017).update(status=PlanStatus.CLOSED)

    def test_every_write_is_refused(self):
        project = self.project(2)
        p = (2017, 2)
        gate = reverse("checkpoint_detail", args=[*p, "plan"])
        # the office may correct the project and its reports, with a reason (below)
        corrections = [
            (
                reverse("project_edit", args=p),
                project_form(project, reason=""),
                "更正已结束的项目须写明理由。",
            ),
            (
                reverse("update_edit", args=[self.update.pk]),
                progress_form(version=1),
                "更正已结束项目的报告须写明理由。",
            ),
        ]
        posts = [
            (reverse("update_add", args=p), progress_form()),
            (gate, {"action": "start", "note": "", "version": 1}),
            (gate, {"form": "schedule", "planned_date": "2017-12-01", "version": 1}),
            (reverse("instruction_add", args=p), {"issued_on": "2017-12-01", "text": "抓紧"}),
            (
                reverse("instruction_follow_up", args=[self.instruction.pk]),
                {"follow_up": "已落实", "followed_up_on": "2017-12-01", "version": 1},
            ),
            (reverse("project_withdraw", args=p), {"reason": "x", "version": 1}),
            (
                reverse("project_new", args=[2017]),
                {"number": "12", "title": "新", "domain": "urban"},
            ),
            (reverse("plan_edit", args=[2017]), {"title": "改名", "version": 1}),
            (reverse("plan_step", args=[2017]), {"action": "close", "version": 1}),
            (reverse("period_new", args=[2017]), {"name": "12月"}),
            (reverse("period_close", args=[self.period.pk]), {"version": 1}),
            (reverse("closeout", args=p), {"action": "apply", "summary": "总结"}),
            (reverse("assessment", args=p), {"grade": "good", "version": 1}),
            (reverse("yearend_decide", args=p), {"action": "stop", "reason": "x", "version": 1}),
            (reverse("yearend_close", args=[2017]), {"action": "close", "version": 1}),
        ]
        before = year_state()
        reports = list(self.update.__class__.objects.values_list())
        for who in (self.alice, self.bob, self.charlie, self.dave):
            client = self.as_user(who)
            for url, data, message in corrections:
                with self.subTest(who=who.username, url=url):
                    response = client.post(url, data)
                    if who in (self.alice, self.dave):  # without a reason: not saved
                        self.assertContains(response, message, status_code=400)
                    else:
                        self.assertEqual(response.status_code, 403)
            for url, data in posts:
                with self.subTest(who=who.username, url=url):
                    response = client.post(url, data)
                    self.assertEqual(response.status_code, 403)
                    if who in (self.alice, self.dave):  # their role may: the lock is why not
                        self.assertContains(
                            response, "该年度计划已总结，只能查看，不能再修改。", status_code=403
                        )
        self.assertEqual(year_state(), before)
        self.assertEqual(list(self.update.__class__.objects.values_list()), reports)

    def test_the_office_corrects_the_project_and_its_report_with_a_reason(self):
        project = self.project(2)
        url = reverse("project_edit", args=[2017, 2])
        page = self.client.get(url)
        self.assertContains(page, "更正项目信息")
        self.assertContains(page, "只有区委改革办可以更正，须写明理由")
        data = {**project_form(project), "goals": "更正后的目标", "reason": "原文录入有误"}
        self.assertRedirects(self.client.post(url, data), project.get_absolute_url())
        project = self.project(2)
        self.assertEqual(project.goals, "更正后的目标")
        self.assertEqual(
            project.history.first().history_change_reason, "更正项目信息：原文录入有误"
        )
        update = reverse("update_edit", args=[self.update.pk])
        data = {**progress_form(version=1), "summary": "更正后的总结", "reason": "数字有误"}
        self.assertEqual(self.client.post(update, data).status_code, 302)
        self.update.refresh_from_db()
        self.assertEqual(self.update.summary, "更正后的总结")
        self.assertEqual(self.update.history.first().history_change_reason, "更正报告：数字有误")
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, "原文录入有误")
        self.assertContains(page, "更正项目信息")
        # a liaison of the lead unit may not correct
        self.assertEqual(self.as_user(self.bob).get(url).status_code, 403)

    def test_the_pages_offer_no_controls(self):
        for url, control in (
            (reverse("plan_detail", args=[2017]), "修改计划信息"),
            (reverse("project_detail", args=[2017, 2]), "修改项目信息"),
            (reverse("project_detail", args=[2017, 2]), "填报本周进展"),
            (reverse("yearend", args=[2017]), 'value="stop"'),
            (reverse("yearend", args=[2017]), 'id="close-year"'),
        ):
            with self.subTest(url=url, control=control):
                self.assertNotContains(self.client.get(url), control)
        self.assertContains(
            self.client.get(reverse("project_detail", args=[2017, 2])),
            "该年度计划已总结，只能查看，不能再修改。",
        )
