"""Deployment security: headers, CSP, HTTPS settings, sign-in throttling, no demo data or
secrets in production."""

import re
import secrets
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from units.models import User

from .base import PASSWORD, ROOT, PlanTestCase, run_manage


class HeaderTests(PlanTestCase):
    def test_security_headers_on_every_page(self):
        for url in (reverse("home"), reverse("project_detail", args=[2017, 1])):
            response = self.client.get(url)
            csp = response["Content-Security-Policy"]
            self.assertIn("script-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertNotIn("unsafe-eval", csp)
            self.assertIn("frame-ancestors 'none'", csp)
            self.assertEqual(response["X-Frame-Options"], "DENY")
            self.assertEqual(response["Referrer-Policy"], "same-origin")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_pages_have_no_inline_script_or_style_attribute(self):
        for url in (
            reverse("home"),
            reverse("project_list"),
            reverse("project_detail", args=[2017, 2]),
            reverse("checkpoint_detail", args=[2017, 2, "plan"]),
        ):
            html = self.client.get(url).content.decode()
            self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)", url)
            self.assertNotRegex(html, r"\sstyle=", url)
            self.assertNotRegex(html, r"\son[a-z]+=", url)

    def test_nothing_is_loaded_from_another_host(self):
        html = self.client.get(reverse("home")).content.decode()
        self.assertEqual(re.findall(r'(?:src|href)="(?:https?:)?//', html), [])

    @override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31_536_000,
        SECURE_REDIRECT_EXEMPT=[r"^healthz$"],
    )
    def test_https_redirect_and_hsts_but_plain_health_check(self):
        client = Client()
        response = client.get(reverse("login"))
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))
        secure = client.get(reverse("login"), secure=True)
        self.assertIn("max-age=31536000", secure["Strict-Transport-Security"])
        self.assertEqual(client.get(reverse("healthz")).status_code, 200)


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="reform.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_accounts_are_refused_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_no_secret_or_database_file_is_tracked():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    forbidden = [f for f in files if re.search(r"(\.sqlite3|\.env|\.pem|\.key)$|^\.env", f)]
    assert forbidden == []


class LoginThrottleTests(PlanTestCase):
    def sign_in(self, password, username="bob"):
        return self.client.post(reverse("login"), {"username": username, "password": password})

    def setUp(self):
        self.client.logout()

    def test_locked_after_repeated_failures_with_a_clear_message(self):
        for _ in range(4):
            response = self.sign_in("wrong")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "请输入一个正确的")  # Django's own zh-hans message
        response = self.sign_in("wrong")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "已暂停登录 15 分钟", status_code=429)
        # even the right password is refused while locked
        response = self.sign_in(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_other_accounts_are_not_locked(self):
        for _ in range(5):
            self.sign_in("wrong")
        response = self.sign_in(PASSWORD, username="erin")
        self.assertEqual(response.status_code, 302)

    def test_success_resets_the_count(self):
        for _ in range(4):
            self.sign_in("wrong")
        self.assertEqual(self.sign_in(PASSWORD).status_code, 302)
        self.client.logout()
        for _ in range(4):
            self.assertEqual(self.sign_in("wrong").status_code, 200)


def test_the_migrations_check_needs_no_secret_key_but_the_site_does():
    compared = run_manage("makemigrations", "--check", "--dry-run")
    assert compared.returncode == 0, compared.stdout + compared.stderr
    assert "No changes detected" in compared.stdout
    refused = run_manage("check")
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr
