"""待办 for each role, the header's count, and 催办 from a period page (issue 13).

The 2017 plan (tests/base.py): Bob is the liaison of 区发改局, which leads project 2 (led
by 戴斌); Erin the liaison of 区教育局, which leads project 10; Charlie a leader linked to
高自民; Alice the office; Dave an administrator; Olivia has no role.
"""

import re
from datetime import timedelta

from django.urls import reverse

from chasing.choices import Channel, Delivery, Stage
from chasing.models import Reminder
from projects import roles
from projects.choices import CheckpointKind, CheckpointStatus, ReportState
from units.models import Official

from .base import PlanTestCase, make_user
from .factories import TODAY, progress_form, set_checkpoint
from .test_chasing_support import open_period, period_report, project, with_email

CJK = re.compile(r"[\u4e00-\u9fff]")


def header_count(response):
    """The number beside 待办 in the header (0 when none is shown)."""
    found = re.search(r'<span class="todo-count">(\d+)<', response.content.decode())
    return int(found[1]) if found else 0


def section(response, name):
    """The HTML of one section of the to-do page ('' when it is not shown)."""
    html = response.content.decode()
    found = re.search(rf'<section aria-labelledby="todo-{name}".*?</section>', html, re.S)
    return found[0] if found else ""


class TodoTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.p2, cls.p7, cls.p10 = project(2), project(7), project(10)
        cls.period = open_period("2017年6月", due=TODAY + timedelta(days=5))
        cls.erins_report = period_report(cls.p10, cls.period, author=cls.erin)
        set_checkpoint(cls.p2, CheckpointKind.PLAN, CheckpointStatus.IN_PROGRESS, TODAY)
        set_checkpoint(cls.p10, CheckpointKind.PLAN, CheckpointStatus.SUBMITTED, TODAY)
        far = TODAY + timedelta(days=60)
        set_checkpoint(cls.p10, CheckpointKind.IMPLEMENTATION, CheckpointStatus.NOT_STARTED, far)
        cls.dai = make_user("dai", roles.LEADERSHIP, official=Official.objects.get(name="戴斌"))

    def todo(self, user):
        self.client.force_login(user)
        response = self.client.get(reverse("todo"))
        self.assertEqual(response.status_code, 200)
        return response

    def test_a_liaison_sees_the_work_of_their_unit_and_where_to_do_it(self):
        instruction = self.charlies_instruction()
        response = self.todo(self.bob)
        reports = section(response, "reports")
        self.assertIn(self.p2.heading, reports)
        self.assertIn(f'href="{self.p2.get_absolute_url()}#progress-form"', reports)
        self.assertIn("2017年6月进展报告", reports)
        self.assertIn("还剩 5 天", reports)
        checkpoints = section(response, "checkpoints")
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        self.assertIn(f'href="{url}"', checkpoints)
        self.assertIn("今日到期", checkpoints)
        follow_up = reverse("instruction_follow_up", args=[instruction.pk])
        self.assertIn(f'href="{follow_up}"', section(response, "instructions"))
        # nothing of another unit's, nor the office's lists
        self.assertNotContains(response, self.p10.title)
        self.assertNotContains(response, "待采纳的进展报告")
        self.assertEqual(header_count(response), 3)

    def test_a_draft_or_returned_report_links_to_its_edit_page(self):
        draft = period_report(self.p2, self.period, state=ReportState.DRAFT, author=self.bob)
        reports = section(self.todo(self.bob), "reports")
        self.assertIn(f'href="{reverse("update_edit", args=[draft.pk])}"', reports)
        self.assertIn("草稿", reports)
        draft.state = ReportState.RETURNED
        draft.save()
        self.assertIn("退回修改", section(self.todo(self.bob), "reports"))

    def test_a_submitted_report_leaves_the_list_and_the_count(self):
        before = self.todo(self.bob)
        self.assertIn(self.p2.heading, section(before, "reports"))
        url = reverse("update_add", args=[2017, 2])
        self.assertEqual(self.client.post(url, progress_form()).status_code, 302)
        after = self.todo(self.bob)
        self.assertEqual(section(after, "reports"), "")
        self.assertEqual(header_count(after), header_count(before) - 1)

    def test_a_checkpoint_not_started_joins_the_list_30_days_before_its_date(self):
        self.assertNotIn("实施关", section(self.todo(self.erin), "checkpoints"))
        soon = TODAY + timedelta(days=30)
        set_checkpoint(self.p10, CheckpointKind.IMPLEMENTATION, CheckpointStatus.NOT_STARTED, soon)
        self.assertIn("实施关", section(self.todo(self.erin), "checkpoints"))

    def test_erin_has_nothing_of_bobs(self):
        response = self.todo(self.erin)
        self.assertNotContains(response, self.p2.title)
        self.assertEqual(section(response, "reports"), "")  # her report is in

    def test_the_office_sees_reports_to_accept_and_checkpoints_to_review(self):
        response = self.todo(self.alice)
        to_accept = section(response, "to_accept")
        self.assertIn(self.p10.heading, to_accept)
        self.assertIn(f'href="{self.period.get_absolute_url()}"', to_accept)
        to_review = section(response, "to_review")
        url = reverse("checkpoint_detail", args=[2017, 10, "plan"])
        self.assertIn(f'href="{url}"', to_review)
        self.assertNotIn(self.p2.title, to_review)
        self.assertEqual(section(response, "late_units"), "")  # the period is not past due
        self.assertEqual(section(response, "reports"), "")  # the office has no unit
        self.assertEqual(header_count(response), 2)

    def test_the_office_sees_the_late_units_of_a_period_past_due(self):
        late = open_period("2017年5月", due=TODAY - timedelta(days=2))
        period_report(self.p10, late)
        response = self.todo(self.alice)
        units = section(response, "late_units")
        self.assertIn("2017年5月", units)
        self.assertIn(f'href="{late.get_absolute_url()}#chase"', units)
        for name in ("区发改局", "区政务办", "区科创局"):
            self.assertIn(name, units)
        self.assertNotIn("区教育局", units)  # its report is in
        self.assertIn("3 份报告未报", units)

    def test_a_leader_sees_their_instructions_and_the_escalated_items_of_their_projects(self):
        instruction = self.charlies_instruction()
        response = self.todo(self.charlie)
        mine = section(response, "my_instructions")
        self.assertIn(instruction.text, mine)
        self.assertEqual(section(response, "escalated"), "")
        # 实施关 of project 2 (led by 戴斌), eight days late: 督办 for 戴斌, not for Charlie
        set_checkpoint(self.p2, CheckpointKind.PLAN, CheckpointStatus.PASSED)
        eight_days_ago = TODAY - timedelta(days=8)
        set_checkpoint(
            self.p2, CheckpointKind.IMPLEMENTATION, CheckpointStatus.IN_PROGRESS, eight_days_ago
        )
        flagged = section(self.todo(self.dai), "escalated")
        self.assertIn("实施关报审", flagged)
        self.assertIn("逾期 8 天", flagged)
        self.assertIn("督办", flagged)
        self.assertEqual(section(self.todo(self.charlie), "escalated"), "")
        self.assertNotIn(instruction.text, self.todo(self.dai).content.decode())

    def test_the_header_count_is_the_number_of_items_on_the_page(self):
        self.charlies_instruction()
        for user in (self.alice, self.bob, self.erin, self.charlie, self.dave):
            with self.subTest(user=user.username):
                page = self.todo(user)
                items = page.content.decode().count('<li class="todo-item')
                self.assertEqual(header_count(page), items)
                self.client.force_login(user)
                self.assertEqual(header_count(self.client.get(reverse("home"))), items)

    def test_without_a_role_there_is_no_todo_page(self):
        self.client.force_login(self.olivia)
        response = self.client.get(reverse("todo"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "没有查看改革项目的权限", status_code=403)
        self.client.logout()
        response = self.client.get(reverse("todo"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])


class ChaseButtonTests(PlanTestCase):
    """催办 on the period page: the office only; one click per unit, per project, or all."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.period = open_period("2017年5月", due=TODAY - timedelta(days=1))
        period_report(project(9), cls.period)
        with_email(cls.bob, "bob@fagai.longgang.gov.cn")

    def chase(self, user=None, **form):
        if user is not None:
            self.client.force_login(user)
        return self.client.post(reverse("chase_period", args=[self.period.pk]), form)

    def test_the_buttons_are_shown_to_the_office_only(self):
        for user, shown in (
            (self.alice, True),
            (self.dave, True),
            (self.bob, False),
            (self.charlie, False),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(self.period.get_absolute_url())
                self.assertEqual(page.status_code, 200)
                self.assertEqual("催办全部未报（3 项）" in page.content.decode(), shown)
                self.assertEqual("催办该项目" in page.content.decode(), shown)

    def test_permission_ladder(self):
        self.client.logout()
        response = self.chase(scope="all")
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        for user, status in (
            (self.olivia, 403),
            (self.bob, 403),
            (self.erin, 403),
            (self.charlie, 403),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.chase(user, scope="all").status_code, status)
        self.assertContains(
            self.chase(self.bob, scope="all"), "只有区委改革办可以催办", status_code=403
        )
        self.assertFalse(Reminder.objects.exists())
        self.assertEqual(self.chase(self.alice, scope="all").status_code, 302)
        self.assertTrue(Reminder.objects.exists())
        Reminder.objects.all().delete()
        self.assertEqual(
            self.chase(self.dave, scope="project", project=project(2).pk).status_code, 302
        )
        self.assertTrue(Reminder.objects.exists())

    def test_chasing_one_project_reaches_its_units_liaison_in_app(self):
        response = self.chase(self.alice, scope="project", project=project(2).pk)
        self.assertEqual(response["Location"], f"{self.period.get_absolute_url()}#chase")
        [reminder] = Reminder.objects.all()
        self.assertEqual(
            (reminder.recipient, reminder.channel, reminder.stage, reminder.status),
            (self.bob, Channel.IN_APP, Stage.MANUAL, Delivery.SENT),
        )
        self.assertEqual(reminder.sent_by, self.alice)
        page = self.client.get(response["Location"])
        self.assertContains(page, "已催办 1 项，送达 1 条")
        self.assertContains(page, "站内待办")
        # Bob sees it on his to-do list
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("todo")), "已收到催办 1 次")

    def test_chasing_all_says_which_units_nobody_can_be_reached_in(self):
        page = self.client.get(self.chase(self.alice, scope="all")["Location"])
        self.assertContains(page, "已催办 3 项")
        self.assertContains(page, "以下单位没有联络员账号或群机器人，无法催办：区政务办")
        self.assertNotContains(page, "区科创局，")  # its report is in
        # the liaisons of 区发改局 (Bob) and 区教育局 (Erin), in-app
        recipients = Reminder.objects.values_list("recipient__username", flat=True)
        self.assertEqual(sorted(recipients), ["bob", "erin"])

    def test_chasing_a_unit(self):
        self.chase(self.alice, scope="unit", unit=self.fagai.pk)
        self.assertEqual(list(Reminder.objects.values_list("project__number", flat=True)), [2])

    def test_clicking_twice_on_one_day_sends_once(self):
        self.chase(self.alice, scope="project", project=project(2).pk)
        page = self.client.get(self.chase(scope="project", project=project(2).pk)["Location"])
        self.assertContains(page, "今天已催办过的 1 条未重复发送")
        self.assertEqual(Reminder.objects.count(), 1)

    def test_the_reminders_show_on_the_project_and_unit_pages(self):
        self.chase(self.alice, scope="project", project=project(2).pk)
        for url in (project(2).get_absolute_url(), reverse("unit_detail", args=[self.fagai.pk])):
            with self.subTest(url=url):
                for user in (self.alice, self.bob):
                    self.client.force_login(user)
                    page = self.client.get(url)
                    self.assertContains(page, "催办记录")
                    self.assertContains(page, "人工催办")
                    self.assertContains(page, "2017年5月进展报告")
                    self.assertContains(page, "已送达")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(project(10).get_absolute_url()), "暂无催办记录")

    def test_bad_input_gets_a_chinese_message_and_a_400(self):
        for form, message in (
            ({"scope": "everyone"}, "催办范围无效"),
            ({}, "请选择催办范围"),
            ({"scope": "unit"}, "请选择要催办的单位"),
            ({"scope": "unit", "unit": "abc"}, "单位无效"),
            ({"scope": "project", "project": "-3"}, "项目无效"),
            ({"scope": "project", "project": str(project(9).pk)}, "没有需要催办的报告"),
            ({"scope": "unit", "unit": "99999999"}, "没有需要催办的报告"),
        ):
            with self.subTest(form=form):
                response = self.chase(self.alice, **form)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Reminder.objects.exists())
        self.assertEqual(
            self.client.get(reverse("chase_period", args=[self.period.pk])).status_code, 405
        )
        missing = self.client.post(reverse("chase_period", args=[999999]), {"scope": "all"})
        self.assertEqual(missing.status_code, 404)

    def test_a_closed_period_is_not_chased(self):
        self.period.status = "closed"
        self.period.save()
        response = self.chase(self.alice, scope="all")
        self.assertContains(response, "报告期已关闭，不能再催办", status_code=400)
        page = self.client.get(self.period.get_absolute_url())
        self.assertNotContains(page, "催办全部未报")
