"""The chasing pages that stand apart from the period: the units' group robots (set by
the office, URLs checked, shown masked), and every chasing page in English."""

import html as html_lib
import re
from datetime import timedelta
from unittest.mock import patch

from django.urls import reverse

from chasing.models import UnitWebhook
from projects.choices import CheckpointKind, CheckpointStatus
from projects.models import Project, ReformPlan
from units.models import Official, Unit

from .base import PlanTestCase
from .factories import TODAY, set_checkpoint
from .test_chasing_support import open_period, project

CJK = re.compile(r"[\u4e00-\u9fff]")


class RobotPageTests(PlanTestCase):
    """The office sets a unit's group robot; the URL is checked and shown masked."""

    URL = (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    )

    def edit_url(self, unit=None):
        return reverse("webhook_edit", args=[(unit or self.fagai).pk])

    def test_the_office_sets_a_robot_and_the_list_shows_it_masked(self):
        page = self.client.post(self.edit_url(), {"url": self.URL, "active": "on"}, follow=True)
        self.assertEqual(page.redirect_chain, [(reverse("webhook_list"), 302)])
        self.assertContains(page, "已保存区发改局的群机器人")
        self.assertContains(page, "https://qyapi.weixin.qq.com/…5aaa")
        self.assertNotContains(page, "693a91f6")
        robot = self.fagai.webhook
        self.assertEqual((robot.url, robot.updated_by), (self.URL, self.alice))
        response = self.client.post(self.edit_url(), {"action": "delete"}, follow=True)
        self.assertContains(response, "已删除区发改局的群机器人")
        self.assertFalse(UnitWebhook.objects.exists())

    def test_only_the_office_may_open_the_robot_pages(self):
        for user in (self.bob, self.charlie, self.olivia):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                for url in (reverse("webhook_list"), self.edit_url()):
                    self.assertEqual(self.client.get(url).status_code, 403)
                response = self.client.post(self.edit_url(), {"url": self.URL})
                self.assertEqual(response.status_code, 403)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.get(reverse("webhook_list")).status_code, 200)
        self.assertEqual(self.client.get(reverse("webhook_edit", args=[999999])).status_code, 404)

    def test_bad_urls_are_refused_with_a_chinese_message(self):
        for url, message in (
            ("", "请填写群机器人地址"),
            ("not a url", "请填写有效的网址"),
            ("javascript:alert(1)", "请填写有效的网址"),
            ("ftp://files.example.com/hook", "须以 https:// 或 http:// 开头"),
            ("http://127.0.0.1:8000/admin/", "不能指向本机或内网地址"),
            ("http://localhost/hook", "不能指向本机或内网地址"),
            ("http://10.20.30.40/hook", "不能指向本机或内网地址"),
            ("http://192.168.1.1/hook", "不能指向本机或内网地址"),
            ("http://169.254.169.254/latest/meta-data/", "不能指向本机或内网地址"),
            ("http://[::1]:8080/hook", "不能指向本机或内网地址"),
            ("http://[::ffff:127.0.0.1]/hook", "不能指向本机或内网地址"),
            (f"https://qyapi.weixin.qq.com/{'k' * 600}", "群机器人地址过长"),
        ):
            with self.subTest(url=url):
                response = self.client.post(self.edit_url(), {"url": url, "active": "on"})
                self.assertContains(response, message, status_code=400)
        self.assertFalse(UnitWebhook.objects.exists())

    def test_private_addresses_are_accepted_when_the_setting_allows_them(self):
        with self.settings(WEBHOOK_ALLOW_PRIVATE=True):
            response = self.client.post(self.edit_url(), {"url": "http://10.20.30.40/hook"})
        self.assertEqual(response.status_code, 302)


class EnglishTests(PlanTestCase):
    """The chasing pages in English: every Chinese character left comes from the data."""

    def data(self, *extra):
        """What the database holds (shown as entered), longest first."""
        data = set(extra)
        for plan in ReformPlan.objects.all():
            data |= {plan.title, plan.approved_by, plan.summary}
        for p in Project.objects.all():
            data |= {p.title, p.problem, p.principles, p.content, p.goals, p.source_text}
            data |= {p.city_plan_note, p.source_note, p.number_cn, str(p), p.heading}
        for unit in Unit.objects.all():
            data |= {unit.name, unit.short_name, str(unit)}
        for official in Official.objects.all():
            data |= {official.name, official.position, str(official)}
        return sorted((d for d in data if d), key=len, reverse=True)

    def test_no_untranslated_interface_text(self):
        period = open_period("2017年5月", due=TODAY - timedelta(days=10))
        set_checkpoint(project(2), CheckpointKind.PLAN, CheckpointStatus.IN_PROGRESS, TODAY)
        self.charlies_instruction()
        UnitWebhook.objects.create(unit=self.fagai, url="https://qyapi.weixin.qq.com/x?key=abcdef")
        data = self.data(period.name, "区发改局 群机器人", "请落实")
        pages = [
            (self.alice, reverse("todo")),
            (self.alice, period.get_absolute_url()),
            (self.alice, reverse("home")),
            (self.alice, reverse("escalation_list", args=[2017])),
            (self.alice, reverse("webhook_list")),
            (self.alice, reverse("webhook_edit", args=[self.fagai.pk])),
            (self.alice, project(2).get_absolute_url()),
            (self.bob, reverse("todo")),
            (self.bob, reverse("unit_detail", args=[self.fagai.pk])),
            (self.charlie, reverse("todo")),
        ]
        english = {"language": "en", "next": "/"}
        self.client.post(reverse("set_language"), english)
        chased = self.client.post(reverse("chase_period", args=[period.pk]), {"scope": "all"})
        pages.insert(0, (self.alice, chased["Location"]))  # with the messages
        for user, url in pages:
            with self.subTest(user=user.username, url=url):
                if user != self.alice:
                    self.client.force_login(user)
                    self.client.post(reverse("set_language"), english)
                html = self.client.get(url).content.decode()
                html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", html)
                html = re.sub(r'<option value="zh-hans"[^>]*>[^<]*</option>', "", html)
                text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
                for value in data:
                    text = text.replace(value, "")
                leftovers = [line.strip() for line in text.splitlines() if CJK.search(line)]
                self.assertEqual(leftovers, [])


class EscalationPageTests(PlanTestCase):
    """The dashboard's 督办 panel lists the most overdue items and links to the 督办 page,
    which lists them all, most overdue first, 50 to a page (issue 15: the dashboard of a
    large plan no longer lists hundreds)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = ReformPlan.objects.get(year=2017)
        plan.projects.update(lead_unit=cls.fagai)  # a unit to chase on each of them
        for number in range(1, 12):  # 11 projects × 2 checkpoints late: 22 督办 items
            for kind, days in ((CheckpointKind.PLAN, 100), (CheckpointKind.IMPLEMENTATION, 50)):
                late = TODAY - timedelta(days=days + number)
                set_checkpoint(
                    plan.projects.get(number=number), kind, CheckpointStatus.IN_PROGRESS, late
                )
        cls.url = reverse("escalation_list", args=[2017])

    def days_late(self, response):
        return [int(n) for n in re.findall(r"逾期 (\d+) 天", response.content.decode())]

    def test_the_panel_shows_the_ten_most_overdue_and_links_to_all(self):
        dashboard = self.client.get("/?year=2017")
        panel = dashboard.content.decode().split('id="escalation-h"')[1].split("</section>")[0]
        late = [int(n) for n in re.findall(r"逾期 (\d+) 天", panel)]
        self.assertEqual(late, sorted(late, reverse=True))
        self.assertEqual(late, [111, 110, 109, 108, 107, 106, 105, 104, 103, 102])
        self.assertIn('<span class="todo-total">22</span>', panel)
        self.assertIn(
            f'href="{self.url}">查看全部 22 项督办事项</a>（此处列出逾期最久的 10 项）', panel
        )

    def test_the_page_lists_them_all_most_overdue_first(self):
        page = self.client.get(self.url)
        self.assertContains(page, "《龙岗区2017年改革计划》督办事项")
        self.assertContains(page, "共 22 项")
        late = self.days_late(page)
        self.assertEqual(late, sorted(late, reverse=True))
        self.assertEqual(len(late), 22)
        with patch("chasing.views.PAGE_SIZE", 20):
            second = self.client.get(self.url, {"page": 2})
        self.assertEqual(self.days_late(second), [52, 51])
        self.assertContains(second, "第 2 / 2 页")

    def test_who_may_open_it(self):
        self.client.logout()
        self.assertRedirects(self.client.get(self.url), f"{reverse('login')}?next={self.url}")
        self.client.force_login(self.olivia)  # no role
        self.assertEqual(self.client.get(self.url).status_code, 403)
        for user in (self.bob, self.charlie, self.alice):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 200)
                self.assertEqual(self.client.post(self.url).status_code, 405)
        self.assertEqual(self.client.get(reverse("escalation_list", args=[1999])).status_code, 404)
