"""Example-based bad input: edge values of every form, and regressions of bad input the
app once answered wrongly (each named for what a user now gets)."""

import io
import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import reverse

from projects.forms import TEXT_LIMIT
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project

from .base import PASSWORD, PlanTestCase, db_state
from .factories import progress_form, project_form
from .fuzzing import CJK, LOGIN_PAGE


class EdgeCaseTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.bob)
        self.project = Project.objects.get(number=2)
        self.add_url = reverse("update_add", args=[2017, 2])

    def refused(self, url, data, message, **kwargs):
        before = db_state()
        response = self.client.post(url, data, **kwargs)
        self.assertEqual(response.status_code, 400, f"{url} {str(data)[:80]}")
        self.assertContains(response, message, status_code=400)
        self.assertEqual(db_state(), before)
        return response

    def test_percent_edge_values(self):
        for value in ("1e3", "NaN", "inf", "50.5", "0x10"):
            with self.subTest(value=value):
                self.refused(
                    self.add_url,
                    progress_form(percent_complete=value),
                    "完成进度须为0到100之间的整数。",
                )
        for value, stored in ((" 50 ", 50), ("-0", 0), ("+7", 7), ("100", 100), ("0", 0)):
            with self.subTest(value=value):
                response = self.client.post(self.add_url, progress_form(percent_complete=value))
                self.assertEqual(response.status_code, 302)
                update = ProgressUpdate.objects.order_by("-pk").first()
                self.assertEqual(update.percent_complete, stored)

    def test_date_edge_values(self):
        bad_format = "请按“年-月-日”填写有效日期。"
        far_future = "9999-12-31"
        for value in ("2017-13-01", "0000-00-00", "９９", "2017-02-30"):
            with self.subTest(value=value):
                self.refused(self.add_url, progress_form(reported_on=value), bad_format)
        self.refused(self.add_url, progress_form(reported_on=far_future), "日期不能晚于今天。")
        self.refused(self.add_url, progress_form(reported_on="1999-12-31"), "日期不能早于2000年。")
        self.client.force_login(self.charlie)
        instruction_url = reverse("instruction_add", args=[2017, 2])
        for value, message in (("2017-13-01", bad_format), (far_future, "日期不能晚于今天。")):
            with self.subTest(value=value):
                self.refused(instruction_url, {"issued_on": value, "text": "请抓紧"}, message)

    def test_schedule_allows_the_future_but_not_before_2000(self):
        self.client.force_login(self.alice)
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        self.refused(
            url,
            {"form": "schedule", "planned_date": "1999-12-31", "version": 1},
            "日期不能早于2000年。",
        )
        self.refused(
            url, {"form": "schedule", "planned_date": "2017-13-01", "version": 1}, "有效日期"
        )
        response = self.client.post(
            url, {"form": "schedule", "planned_date": "9999-12-31", "version": 1}
        )
        self.assertEqual(response.status_code, 302)
        gate = Checkpoint.objects.get(project=self.project, kind="plan")
        self.assertEqual(gate.planned_date, date(9999, 12, 31))
        self.assertEqual(self.client.get(self.project.get_absolute_url()).status_code, 200)

    def test_one_megabyte_summary_is_refused_with_the_limit(self):
        for summary in ("a" * 1_000_000, "长" * 333_334):
            with self.subTest(length=len(summary)):
                response = self.refused(self.add_url, progress_form(summary=summary), "未保存")
                self.assertContains(response, f"不超过 {TEXT_LIMIT} 字符", status_code=400)
                self.assertFalse(ProgressUpdate.objects.exists())

    def test_just_within_the_limit_is_stored(self):
        summary = "长" * TEXT_LIMIT
        response = self.client.post(self.add_url, progress_form(summary=f"  {summary}  "))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ProgressUpdate.objects.get().summary, summary)

    def test_nul_is_refused_in_every_text_field(self):
        for field in ("summary", "next_steps", "problems", "coordination_needed"):
            with self.subTest(field=field):
                response = self.refused(
                    self.add_url, progress_form(**{field: "正常\x00推进"}), "未保存"
                )
                self.assertContains(response, "空字符", status_code=400)

    def test_missing_or_bad_version_is_400(self):
        update = self.bobs_report()
        instruction = self.charlies_instruction()
        self.client.force_login(self.alice)
        project_data = project_form(self.project)
        del project_data["version"]
        forms = {
            reverse("update_edit", args=[update.pk]): progress_form(),
            reverse("project_edit", args=[2017, 2]): project_data,
            reverse("checkpoint_detail", args=[2017, 2, "plan"]): {"action": "start"},
            reverse("checkpoint_detail", args=[2017, 2, "implementation"]): {
                "form": "schedule",
                "planned_date": "2018-01-01",
            },
            reverse("instruction_follow_up", args=[instruction.pk]): {
                "follow_up": "已落实",
                "followed_up_on": "2017-06-02",
            },
        }
        for url, data in forms.items():
            for version in (None, "abc", "", "0", "-1", "1e3", "1\x00"):
                with self.subTest(url=url, version=version):
                    posted = data if version is None else {**data, "version": version}
                    self.refused(url, posted, "未保存" if "gates" not in url else "errorlist")

    def test_sign_in_never_redirects_off_site(self):
        evil = ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example"]
        evil += [
            "javascript:alert(1)",
            " https://evil.example",
            "/\t/evil.example",
            "https:evil.example",
        ]
        for next_url in evil:
            with self.subTest(next_url=next_url):
                client = Client()
                response = client.post(
                    reverse("login"), {"username": "bob", "password": PASSWORD, "next": next_url}
                )
                self.assertEqual(response.status_code, 302)
                location = re.sub(r"[\t\n\r]", "", response["Location"]).replace("\\", "/")
                target = urlsplit(urljoin(LOGIN_PAGE, location.lstrip()))
                self.assertEqual((target.scheme, target.netloc), ("http", "testserver"))

    def test_saved_html_is_shown_escaped_everywhere(self):
        payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        self.client.force_login(self.alice)
        data = project_form(self.project, title=payload, goals=payload)
        self.assertEqual(
            self.client.post(reverse("project_edit", args=[2017, 2]), data).status_code, 302
        )
        gate = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        steps = [
            (self.bob, self.add_url, progress_form(summary=payload, problems=payload)),
            (self.bob, gate, {"action": "submit", "note": payload, "version": 1}),
            (self.alice, gate, {"action": "send_back", "note": payload, "version": 2}),
            (
                self.charlie,
                reverse("instruction_add", args=[2017, 2]),
                {"text": payload, "issued_on": "2017-06-01"},
            ),
        ]
        for user, url, posted in steps:
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, posted).status_code, 302, url)
        instruction = Instruction.objects.get()
        self.client.force_login(self.bob)
        follow = reverse("instruction_follow_up", args=[instruction.pk])
        done = {"follow_up": payload, "followed_up_on": "2017-06-02", "version": 1}
        self.assertEqual(self.client.post(follow, done).status_code, 302)
        update = ProgressUpdate.objects.get()
        pages = [
            self.project.get_absolute_url(),
            gate,
            reverse("home"),
            reverse("project_list"),
            reverse("project_list") + "?q=" + payload,
            reverse("update_edit", args=[update.pk]),
            reverse("unit_detail", args=[self.fagai.pk]),
            reverse("official_detail", args=[self.project.lead_official_id]),
            reverse("project_edit", args=[2017, 2]),
        ]
        self.client.force_login(self.alice)
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertNotIn("<script>alert", body)
                self.assertNotIn("<img src=x", body)
                self.assertIn(escaped, body)


class FixedRegressionTests(PlanTestCase):
    """Bad input the app once answered badly (a server error, an English or blank error
    page, the wrong refusal) and now answers as it should: each test keeps its fix."""

    def each(self, cases, check):
        for label, case in cases:
            with self.subTest(label):
                check(case)

    def test_requests_django_refuses_before_the_view_get_a_chinese_400_page(self):
        url = reverse("update_add", args=[2017, 2])
        many = "&".join(f"f{i}=1" for i in range(1200))
        form = "application/x-www-form-urlencoded"
        cases = [
            ("body over DATA_UPLOAD_MAX_MEMORY_SIZE", {"data": {"summary": "x" * 3_000_000}}),
            ("over 1000 fields", {"data": many, "content_type": form}),
            ("multipart without boundary", {"data": b"x", "content_type": "multipart/form-data"}),
        ]

        def check(kwargs):
            response = self.client.post(url, **kwargs)
            self.assertEqual(response.status_code, 400)
            self.assertRegex(response.content.decode(), CJK)

        self.each(cases, check)
        self.assertFalse(ProgressUpdate.objects.exists())

    def test_login_form_explains_every_refusal(self):
        cases = [("empty", ""), ("spaces", "   "), ("NUL", "alice\x00")]

        def check(username):
            client = Client()
            response = client.post(reverse("login"), {"username": username, "password": "x"})
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("_auth_user_id", client.session)
            self.assertContains(response, "errorlist")

        self.each(cases, check)

    def test_someone_who_may_not_decide_gets_403_whatever_the_input(self):
        self.client.force_login(self.erin)  # 区教育局 does not lead project 2
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        cases = [
            ("no fields", {}),
            ("unknown action", {"action": "delete", "version": "1"}),
            ("bad version", {"action": "start", "version": "x"}),
        ]

        def check(data):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 403)

        self.each(cases, check)

    def test_multipart_with_a_non_text_charset_is_refused(self):
        body = b'--b\r\nContent-Disposition: form-data; name="summary"\r\n\r\nabc\r\n--b--\r\n'
        response = self.client.generic(
            "POST",
            reverse("update_add", args=[2017, 2]),
            data=body,
            content_type="multipart/form-data; boundary=b; charset=rot13",
        )
        self.assertEqual(response.status_code, 400)

    def test_get_with_a_non_text_charset_is_answered(self):
        """Django decodes the query string while it builds the request, before any
        middleware: the request is checked before that (longgang_reform/middleware.py)."""
        from django.core.signals import request_started
        from django.db import close_old_connections

        from longgang_reform.wsgi import application

        replies = []
        # as Django's test client does: keep the handler from closing the test's connection
        request_started.disconnect(close_old_connections)
        try:
            body = application(
                {
                    "REQUEST_METHOD": "GET",
                    "PATH_INFO": reverse("project_list"),
                    "QUERY_STRING": "q=x",
                    "CONTENT_TYPE": "text/plain; charset=hex",
                    "SERVER_NAME": "testserver",
                    "SERVER_PORT": "80",
                    "wsgi.input": io.BytesIO(b""),
                    "wsgi.url_scheme": "http",
                },
                lambda status, headers: replies.append(status),
            )
        finally:
            request_started.connect(close_old_connections)
        self.assertEqual(replies, ["400 Bad Request"])
        self.assertIn("字符编码无效", b"".join(body).decode())

    def test_very_long_username_is_refused_without_a_server_error(self):
        """django-axes would log the name into a varchar(255) (django-axes#1381); the login
        form refuses it first."""
        client = Client()
        response = client.post(reverse("login"), {"username": "x" * 256, "password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "150")
        self.assertNotIn("_auth_user_id", client.session)

    def test_very_long_search_word_is_answered(self):
        word = "长" * 16_667  # 50,001 bytes in UTF-8
        for url in (reverse("project_list"), reverse("project_export", args=["csv"])):
            response = self.client.get(url, {"q": word})
            self.assertIn(response.status_code, {200, 400})
