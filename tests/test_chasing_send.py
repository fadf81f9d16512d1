"""send_reminders (issue 13): mail through a real SMTP server on 127.0.0.1 (aiosmtpd,
started by the test), the group robot through a real HTTP receiver the test starts; once a
day per item, person and channel however often it runs; 督办 after ESCALATE_AFTER_DAYS to
the lead official's account; a failing channel recorded, never raised, tried again."""

from datetime import timedelta

import pytest
from django.core.management import CommandError
from django.urls import reverse

from chasing.choices import Channel, Delivery, Stage
from chasing.models import Reminder, UnitWebhook
from projects import roles
from units.models import Official

from .base import PlanTestCase, make_user
from .factories import TODAY, progress_form
from .test_chasing_support import (
    SITE,
    RobotReceiver,
    configure_email,
    free_port,
    open_period,
    period_report,
    project,
    send_reminders,
    with_email,
)

YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def mail(request, smtp_server, settings):
    """Mail to the real SMTP server, links to the production site."""
    configure_email(settings, smtp_server.url)
    settings.SITE_URL = SITE
    request.instance.inbox = smtp_server
    request.instance.settings = settings


@pytest.fixture
def robot(request, settings):
    receiver = RobotReceiver()
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    request.instance.robot = receiver
    request.instance.settings = settings
    yield receiver
    receiver.stop()


class ChaseWorld(PlanTestCase):
    """A period due yesterday in which only 区发改局's report (project 2) is missing; Bob
    (its liaison) and 戴斌 (project 2's lead official, account "dai") have email."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.period = open_period("2017年5月", due=YESTERDAY)
        for number in (7, 9, 10):
            period_report(project(number), cls.period)
        with_email(cls.bob, "bob@fagai.longgang.gov.cn")
        with_email(cls.erin, "erin@jiaoyu.longgang.gov.cn")
        dai = make_user("dai", roles.LEADERSHIP, official=Official.objects.get(name="戴斌"))
        cls.dai = with_email(dai, "daibin@longgang.gov.cn")


@pytest.mark.usefixtures("mail")
class ReminderMailTests(ChaseWorld):
    def test_one_email_to_the_lead_units_liaison_then_nothing_the_same_day(self):
        output = send_reminders()
        [message] = self.inbox.messages
        self.assertEqual(message["To"], "bob@fagai.longgang.gov.cn")
        self.assertEqual(message["From"], "龙岗改革台账 <noreply@reform.example.gov.cn>")
        subject = message["Subject"]
        self.assertTrue(subject.startswith("【催办】「2017年5月」进展报告"), subject)
        self.assertIn("建立健全固定资产投资项目全流程管理体系", subject)
        self.assertIn("已逾期1天", subject)
        body = message.get_content()
        self.assertIn("区发改局负责的「2017年5月」进展报告", body)
        self.assertIn(f"{SITE}/projects/2017/2/#progress-form", body)
        self.assertIn("已送达 2 条", output)  # the email and Bob's to-do list
        channels = Reminder.objects.values_list("channel", "recipient__username", "status")
        self.assertEqual(
            sorted(channels),
            [(Channel.EMAIL, "bob", Delivery.SENT), (Channel.IN_APP, "bob", Delivery.SENT)],
        )
        # again, the same day: nothing
        output = send_reminders()
        self.assertEqual(len(self.inbox.messages), 1)
        self.assertIn("已送达 0 条", output)
        self.assertEqual(Reminder.objects.count(), 2)

    def test_after_escalate_after_days_the_item_is_escalated_and_the_lead_official_told(self):
        send_reminders()
        day_m = (YESTERDAY + timedelta(days=7)).isoformat()
        send_reminders("--date", day_m)
        to_dai = [m for m in self.inbox.messages if m["To"] == "daibin@longgang.gov.cn"]
        [notice] = to_dai
        self.assertTrue(notice["Subject"].startswith("【督办】"), notice["Subject"])
        self.assertIn("已逾期7天", notice["Subject"])
        self.assertIn("戴斌同志", notice.get_content())
        self.assertIn("该事项已列入督办", notice.get_content())
        bobs = [m["Subject"] for m in self.inbox.messages if m["To"].startswith("bob")]
        self.assertEqual(len(bobs), 2)  # the day after, then again (every 3 days)
        self.assertTrue(bobs[1].startswith("【督办】"))
        stages = Reminder.objects.filter(recipient=self.dai).values_list("stage", "channel")
        self.assertEqual(
            sorted(stages), [(Stage.ESCALATION, Channel.EMAIL), (Stage.ESCALATION, Channel.IN_APP)]
        )
        # told once: the next days bring 戴斌 nothing more
        send_reminders("--date", (YESTERDAY + timedelta(days=8)).isoformat())
        send_reminders("--date", (YESTERDAY + timedelta(days=11)).isoformat())
        self.assertEqual(
            len([m for m in self.inbox.messages if m["To"] == "daibin@longgang.gov.cn"]), 1
        )

    def test_before_on_and_after_the_due_date(self):
        soon = open_period("2017年6月", due=TODAY + timedelta(days=3), starts=TODAY)
        for number in (7, 9, 10):
            period_report(project(number), soon)
        Reminder.objects.all().delete()

        def subjects_on(day):
            before = len(self.inbox.messages)
            send_reminders("--date", day.isoformat())
            return [
                m["Subject"]
                for m in self.inbox.messages[before:]
                if m["To"].startswith("bob") and "2017年6月" in m["Subject"]
            ]

        due = soon.due_on
        [first] = subjects_on(TODAY)
        self.assertTrue(first.startswith("【提醒】"), first)
        self.assertIn(f"将于{due.year}年{due.month}月{due.day}日到期", first)
        self.assertEqual(subjects_on(TODAY + timedelta(days=1)), [])
        [on_the_day] = subjects_on(due)
        self.assertIn("今日到期", on_the_day)
        [after] = subjects_on(due + timedelta(days=1))
        self.assertIn("已逾期1天", after)
        self.assertEqual(subjects_on(due + timedelta(days=2)), [])
        self.assertEqual(subjects_on(due + timedelta(days=3)), [])
        [again] = subjects_on(due + timedelta(days=4))
        self.assertIn("已逾期4天", again)

    def test_done_work_is_not_chased(self):
        self.client.force_login(self.bob)
        self.client.post(reverse("update_add", args=[2017, 2]), progress_form())
        self.assertIn("已送达 0 条", send_reminders())
        self.assertEqual(self.inbox.messages, [])

    def test_the_mail_server_down_is_recorded_and_tried_again_on_the_next_run(self):
        configure_email(self.settings, f"smtp://127.0.0.1:{free_port()}")  # nobody listens
        output = send_reminders()
        self.assertIn("发送失败 1 条（已记录，下次运行时重试）", output)
        email = Reminder.objects.get(channel=Channel.EMAIL)
        self.assertEqual(email.status, Delivery.FAILED)
        self.assertIn("邮件服务器不可用", email.error)
        self.assertEqual(Reminder.objects.get(channel=Channel.IN_APP).status, Delivery.SENT)
        # the office sees the error on the project page
        page = self.client.get(project(2).get_absolute_url())
        self.assertContains(page, "发送失败")
        self.assertContains(page, "邮件服务器不可用")
        # the server is back: the next run (the same day) delivers it
        configure_email(self.settings, self.inbox.url)
        send_reminders()
        [message] = self.inbox.messages
        self.assertEqual(message["To"], "bob@fagai.longgang.gov.cn")
        email.refresh_from_db()
        self.assertEqual((email.status, email.attempts), (Delivery.SENT, 2))
        send_reminders()
        self.assertEqual(len(self.inbox.messages), 1)

    def test_without_email_url_only_the_todo_list_is_used(self):
        self.settings.EMAIL_URL = ""
        send_reminders()
        self.assertEqual(self.inbox.messages, [])
        channels = set(Reminder.objects.values_list("channel", flat=True))
        self.assertEqual(channels, {Channel.IN_APP})

    def test_a_bad_date_is_a_chinese_error(self):
        with self.assertRaisesMessage(CommandError, "--date 须为 YYYY-MM-DD 格式的日期"):
            send_reminders("--date", "2017-13-45")

    def test_a_dry_run_sends_and_records_nothing(self):
        output = send_reminders("--dry-run")
        self.assertIn("逾期催办 · 邮件 · bob", output)
        self.assertIn("将发送 2 条（未发送）", output)
        self.assertEqual(self.inbox.messages, [])
        self.assertFalse(Reminder.objects.exists())


@pytest.mark.usefixtures("robot")
class RobotTests(ChaseWorld):
    """The unit's 企业微信 group robot, against a real HTTP receiver on 127.0.0.1."""

    def setUp(self):
        super().setUp()
        UnitWebhook.objects.create(unit=self.fagai, url=self.robot.url)

    def robot_reminder(self):
        return Reminder.objects.get(channel=Channel.WEBHOOK)

    def test_the_robot_gets_a_text_message_once_a_day(self):
        send_reminders()
        [posted] = self.robot.received
        self.assertEqual(posted["path"], "/cgi-bin/webhook/send?key=robot-key-0123456789")
        self.assertEqual(posted["content_type"], "application/json; charset=utf-8")
        self.assertEqual(posted["json"]["msgtype"], "text")
        text = posted["json"]["text"]["content"]
        self.assertTrue(text.startswith("【催办】区发改局："), text)
        self.assertIn("已逾期1天", text)
        reminder = self.robot_reminder()
        self.assertEqual((reminder.status, reminder.recipient), (Delivery.SENT, None))
        self.assertEqual(reminder.to_whom, "区发改局 群机器人")
        send_reminders()
        self.assertEqual(len(self.robot.received), 1)

    def test_a_500_is_recorded_not_raised_and_tried_again(self):
        self.robot.status = 500
        output = send_reminders()
        self.assertIn("发送失败 1 条", output)
        reminder = self.robot_reminder()
        self.assertEqual((reminder.status, reminder.error), (Delivery.FAILED, "HTTP 500"))
        self.robot.status = 200
        send_reminders()
        reminder.refresh_from_db()
        self.assertEqual((reminder.status, reminder.attempts), (Delivery.SENT, 2))
        self.assertEqual(len(self.robot.received), 2)

    def test_a_robot_that_refuses_the_message_is_a_failure(self):
        self.robot.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
        send_reminders()
        error = self.robot_reminder().error
        self.assertEqual(error, "errcode 93000: invalid webhook url")

    def test_the_receiver_down_is_recorded(self):
        UnitWebhook.objects.filter(unit=self.fagai).update(
            url=f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=x"
        )
        output = send_reminders()
        self.assertIn("发送失败 1 条", output)
        self.assertIn("无法连接", self.robot_reminder().error)

    def test_a_private_address_is_refused_without_the_setting(self):
        self.settings.WEBHOOK_ALLOW_PRIVATE = False
        send_reminders()
        self.assertEqual(self.robot.received, [])
        reminder = self.robot_reminder()
        self.assertEqual(reminder.status, Delivery.FAILED)
        self.assertIn("不能指向本机或内网地址", reminder.error)

    def test_the_office_chases_by_hand_with_the_robot_down_and_the_page_says_so(self):
        self.robot.status = 502
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("chase_period", args=[self.period.pk]), {"scope": "all"}
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, "1 条发送失败，已记录，下次自动催办时重试")
        self.assertContains(page, "群机器人")
        reminder = self.robot_reminder()
        self.assertEqual((reminder.stage, reminder.error), (Stage.MANUAL, "HTTP 502"))
        # the next automatic run tries it again
        self.robot.status = 200
        send_reminders()
        reminder.refresh_from_db()
        self.assertEqual(reminder.status, Delivery.SENT)

    def test_the_office_sends_a_test_message_from_the_robot_page(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("webhook_test", args=[self.fagai.pk]), follow=True)
        self.assertContains(response, "测试消息已发送到区发改局的群")
        self.assertIn("群机器人设置成功", self.robot.texts[0])
        self.robot.status = 500
        response = self.client.post(reverse("webhook_test", args=[self.fagai.pk]), follow=True)
        self.assertContains(response, "测试消息发送失败：HTTP 500")
