"""Report periods and the life of a report (issue 13): a period opened by the office, a
unit's report written as a draft, submitted (on time or late), returned and resubmitted,
accepted; a closed period locks its reports."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.choices import PeriodStatus, ProgressStatus, ReportState
from projects.models import ProgressUpdate, Project, ReportPeriod

from .base import PlanTestCase
from .factories import progress_form

TODAY = timezone.localdate()


def open_period(plan, *, due_in=5, name="本月", tiers=("district",)):
    return ReportPeriod.objects.create(
        plan=plan,
        name=name,
        starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=20),
        due_on=TODAY + timedelta(days=due_in),
        tiers=list(tiers),
    )


class PeriodTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.project = Project.objects.get(number=2)  # led by Bob's 区发改局
        self.bob_client = Client()
        self.bob_client.force_login(self.bob)

    def test_the_office_opens_a_period_from_the_plan(self):
        url = reverse("period_new", args=[2017])
        data = {
            "name": "2017年5月",
            "kind": "monthly",
            "starts_on": "2017-05-01",
            "ends_on": "2017-05-31",
            "due_on": "2017-06-05",
            "tiers": ["district"],
        }
        response = self.client.post(url, data)
        period = ReportPeriod.objects.get(name="2017年5月")
        self.assertRedirects(response, period.get_absolute_url())
        self.assertEqual((period.status, period.opened_by), (PeriodStatus.OPEN, self.alice))
        again = self.client.post(url, data)
        self.assertContains(again, "该年度计划已有同名的报告期。", status_code=400)
        wrong = self.client.post(url, {**data, "name": "x", "due_on": "2017-04-01"})
        self.assertContains(wrong, "报送期限不能早于起始日期。", status_code=400)

    def test_the_new_period_form_proposes_this_month(self):
        today = TODAY
        page = self.client.get(reverse("period_new", args=[2017]))
        first = today.replace(day=1).isoformat()
        self.assertContains(page, f'value="{today.year}年{today.month}月"')
        self.assertContains(page, f'name="starts_on" value="{first}"')

    def test_a_liaison_cannot_open_or_close_a_period(self):
        period = open_period(self.project.plan)
        self.assertEqual(self.bob_client.get(reverse("period_new", args=[2017])).status_code, 403)
        close = self.bob_client.post(reverse("period_close", args=[period.pk]), {"version": 1})
        self.assertEqual(close.status_code, 403)

    def test_a_report_joins_the_open_period_as_the_units_one_and_counts_on_time(self):
        period = open_period(self.project.plan)
        self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        report = ProgressUpdate.objects.get()
        self.assertEqual((report.period, report.unit), (period, self.fagai))
        self.assertEqual(report.state, ReportState.SUBMITTED)
        self.assertFalse(report.submitted_late)
        page = self.client.get(period.get_absolute_url())
        row = page.context["state"]
        self.assertEqual((row.due, row.on_time, row.missing, row.to_accept), (11, 1, 10, 1))
        second = self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        self.assertContains(second, "已填报这个项目的进展，请修改原报告", status_code=400)
        self.assertEqual(ProgressUpdate.objects.count(), 1)

    def test_after_the_due_date_a_report_is_late_and_a_missing_one_is_shown_missing(self):
        period = open_period(self.project.plan, due_in=-1)
        self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        self.assertTrue(ProgressUpdate.objects.get().submitted_late)
        page = self.client.get(period.get_absolute_url())
        self.assertEqual((page.context["state"].late, page.context["state"].missing), (1, 10))
        self.assertContains(page, "逾期提交")
        self.assertContains(page, "未报")

    def test_a_draft_does_not_count_until_submitted(self):
        open_period(self.project.plan)
        self.bob_client.post(
            reverse("update_add", args=[2017, 2]),
            progress_form(status=ProgressStatus.DELAYED, action="draft"),
        )
        report = ProgressUpdate.objects.get()
        self.assertEqual(report.state, ReportState.DRAFT)
        dashboard = self.client.get(reverse("home"))
        self.assertEqual(dashboard.context["figures"].statuses.get("delayed", 0), 0)
        # a leader does not see the unit's draft
        leader = Client()
        leader.force_login(self.charlie)
        self.assertNotContains(
            leader.get(self.project.get_absolute_url()), "完成方案起草并征求意见"
        )
        step = {"action": "submit", "note": "", "version": report.version}
        self.bob_client.post(reverse("report_step", args=[report.pk]), step)
        report.refresh_from_db()
        self.assertEqual(report.state, ReportState.SUBMITTED)
        dashboard = self.client.get(reverse("home"))
        self.assertEqual(dashboard.context["figures"].statuses.get("delayed", 0), 1)

    def test_returned_with_a_note_corrected_resubmitted_accepted(self):
        open_period(self.project.plan)
        self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        report = ProgressUpdate.objects.get()
        url = reverse("report_step", args=[report.pk])
        refused = self.client.post(url, {"action": "return", "note": "", "version": 1}, follow=True)
        self.assertContains(refused, "退回修改须写明需要修改的内容。")
        self.client.post(url, {"action": "return", "note": "请补充数据", "version": 1})
        report.refresh_from_db()
        self.assertEqual((report.state, report.review_note), (ReportState.RETURNED, "请补充数据"))
        self.assertContains(self.bob_client.get(self.project.get_absolute_url()), "请补充数据")
        # a liaison may not accept; Bob resubmits; the office accepts
        self.bob_client.post(url, {"action": "accept", "note": "", "version": report.version})
        report.refresh_from_db()
        self.assertEqual(report.state, ReportState.RETURNED)
        self.bob_client.post(url, {"action": "submit", "note": "", "version": report.version})
        report.refresh_from_db()
        self.client.post(url, {"action": "accept", "note": "", "version": report.version})
        report.refresh_from_db()
        self.assertEqual((report.state, report.reviewed_by), (ReportState.ACCEPTED, self.alice))
        history = self.client.get(self.project.get_absolute_url()).content.decode()
        self.assertIn("退回修改：请补充数据", history)  # the history records each move
        self.assertIn("<div>采纳</div>", history)

    def test_a_closed_period_locks_its_reports_and_a_correction_needs_a_reason(self):
        period = open_period(self.project.plan)
        self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        report = ProgressUpdate.objects.get()
        self.client.post(reverse("period_close", args=[period.pk]), {"version": 1})
        period.refresh_from_db()
        self.assertEqual(period.status, PeriodStatus.CLOSED)
        edit = reverse("update_edit", args=[report.pk])
        self.assertEqual(self.bob_client.get(edit).status_code, 403)
        data = {**progress_form(summary="更正后的进展"), "version": report.version}
        refused = self.client.post(edit, data)
        self.assertContains(refused, "更正已关闭报告期的报告须写明理由。", status_code=400)
        self.assertEqual(self.client.post(edit, {**data, "reason": "数据有误"}).status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.summary, "更正后的进展")
        self.assertContains(self.client.get(self.project.get_absolute_url()), "更正报告：数据有误")

    def test_the_period_page_ladder_and_queries(self):
        period = open_period(self.project.plan)
        url = period.get_absolute_url()
        for who, status in ((None, 302), ("olivia", 403), ("charlie", 200), ("bob", 200)):
            client = Client()
            if who:
                client.force_login(getattr(self, who))
            self.assertEqual(client.get(url).status_code, status, who)
        # + 2 for the header's 待办 count; + 3 for 催办 (liaisons per unit, the units' group
        # robots, the reminders already sent in this period)
        with self.assertNumQueries(12):
            self.client.get(url)

    def test_only_the_office_corrects_a_closed_periods_report_and_the_history_keeps_who_and_why(
        self,
    ):
        period = open_period(self.project.plan)
        self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        report = ProgressUpdate.objects.get()
        self.client.post(reverse("period_close", args=[period.pk]), {"version": 1})
        edit = reverse("update_edit", args=[report.pk])
        data = {
            **progress_form(summary="更正后的进展", percent_complete="55"),
            "version": report.version,
            "reason": "数据有误",
        }
        rows = report.history.count()
        for who in ("bob", "erin", "charlie", "olivia"):
            client = Client()
            client.force_login(getattr(self, who))
            with self.subTest(who):
                self.assertEqual(client.post(edit, data).status_code, 403)
        # the office without a reason: refused too
        self.client.post(edit, {**data, "reason": "  "})
        report.refresh_from_db()
        self.assertEqual((report.summary, report.percent_complete), ("完成方案起草并征求意见", 40))
        self.assertEqual(report.history.count(), rows)

        self.assertRedirects(self.client.post(edit, data), self.project.get_absolute_url())
        report.refresh_from_db()
        self.assertEqual((report.summary, report.percent_complete), ("更正后的进展", 55))
        latest, before = report.history.all()[:2]
        self.assertEqual(latest.history_user, self.alice)
        self.assertEqual(latest.history_change_reason, "更正报告：数据有误")
        self.assertEqual(before.summary, "完成方案起草并征求意见")  # the old text is kept
        # the report stays locked for the unit after the correction
        self.assertEqual(self.bob_client.post(edit, data).status_code, 403)

    def test_a_returned_report_is_fixed_and_resubmitted_from_its_edit_page(self):
        """Where the to-do list's 修改并提交 leads: the office's note above the form, and
        one click that saves and submits."""
        open_period(self.project.plan)
        self.bob_client.post(reverse("update_add", args=[2017, 2]), progress_form())
        report = ProgressUpdate.objects.get()
        step = reverse("report_step", args=[report.pk])
        self.client.post(step, {"action": "return", "note": "请补充审批时限数据", "version": 1})
        edit = reverse("update_edit", args=[report.pk])
        page = self.bob_client.get(edit)
        self.assertContains(page, "请补充审批时限数据")
        self.assertContains(page, 'value="submit"')
        report.refresh_from_db()
        data = {**progress_form(summary="审批时限压缩至20个工作日"), "version": report.version}
        response = self.bob_client.post(edit, {**data, "action": "submit"}, follow=True)
        self.assertContains(response, "进展报告已修改并提交，等待区委改革办采纳。")
        report.refresh_from_db()
        self.assertEqual((report.state, report.summary), (ReportState.SUBMITTED, data["summary"]))
        self.assertEqual(report.history.first().history_change_reason, "提交报告")
        # submitted, it has nothing more to submit; saving keeps it submitted
        self.assertNotContains(self.bob_client.get(edit), 'value="submit"')
        data = {**data, "summary": "再改一处", "version": report.version, "action": "submit"}
        self.bob_client.post(edit, data)
        report.refresh_from_db()
        self.assertEqual((report.state, report.summary), (ReportState.SUBMITTED, "再改一处"))

    def test_the_history_shows_times_in_local_time_and_flags_in_words(self):
        period = open_period(self.project.plan, due_in=-1)
        draft = {**progress_form(), "action": "draft"}
        self.bob_client.post(reverse("update_add", args=[2017, 2]), draft)
        report = ProgressUpdate.objects.get(period=period)
        step = {"action": "submit", "note": "", "version": report.version}
        self.bob_client.post(reverse("report_step", args=[report.pk]), step)
        report.refresh_from_db()
        page = self.client.get(self.project.get_absolute_url())
        submitted = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
        self.assertContains(page, f"<ins>{submitted}</ins>", html=False)
        self.assertNotContains(page, "+00:00")
        self.assertContains(page, "<del>否</del> → <ins>是</ins>", html=False)  # 逾期提交
