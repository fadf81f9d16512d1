"""Two languages: Chinese by default, English on request; catalogues complete and compiled."""

import html as html_lib
import os
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from .base import ROOT, PlanTestCase

CJK = re.compile(r"[\u4e00-\u9fff]")


class LanguageSwitchTests(PlanTestCase):
    def switch(self, code):
        return self.client.post(
            reverse("set_language"), {"language": code, "next": reverse("home")}, follow=True
        )

    def test_chinese_is_the_default(self):
        response = self.client.get(reverse("home"))
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "三关进度")

    def test_an_english_browser_still_gets_chinese_until_the_user_switches(self):
        response = self.client.get(reverse("home"), headers={"accept-language": "en-US,en"})
        self.assertContains(response, '<html lang="zh-hans">')

    def test_switch_to_english_and_back(self):
        response = self.switch("en")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Plan checkpoint")
        self.assertNotContains(response, "三关进度")
        # data stays as entered
        self.assertContains(response, "推进基础设施供给侧结构性改革")
        response = self.switch("zh-hans")
        self.assertContains(response, "三关进度")

    def test_anonymous_can_switch_on_the_login_page(self):
        self.client.logout()
        response = self.client.post(
            reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
        )
        self.assertContains(response, "Sign in")

    def test_english_pages_carry_no_untranslated_interface_text(self):
        """Every Chinese character left on an English page must come from the data."""
        self.switch("en")
        # longest first, so a title is removed before the shorter names inside it
        data = sorted({s for s in self._data_strings() if s}, key=len, reverse=True)
        for url in (
            reverse("home"),
            reverse("project_list"),
            reverse("project_detail", args=[2017, 2]),
            reverse("checkpoint_detail", args=[2017, 2, "plan"]),
            reverse("project_edit", args=[2017, 2]),
        ):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", html)  # logo
                text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
                for value in data:
                    text = text.replace(value, "")
                leftovers = [line.strip() for line in text.splitlines() if CJK.search(line)]
                self.assertEqual(leftovers, [])

    def _data_strings(self):
        from projects.models import Project, ReformPlan
        from units.models import Official, Unit

        yield from (name for _code, name in settings.LANGUAGES)  # shown in their own script
        for plan in ReformPlan.objects.all():
            yield from (plan.title, plan.approved_by, plan.summary)
        for p in Project.objects.all():
            yield from (p.title, p.problem, p.principles, p.content, p.goals, p.source_text)
            yield from (p.city_plan_note, p.source_note, p.number_cn, str(p))
            yield from (p.number_cn, p.get_domain_display())
        for u in Unit.objects.all():
            yield from (u.name, u.short_name, str(u))
        for o in Official.objects.all():
            yield from (o.name, o.position, str(o))


GETTEXT = shutil.which("msgfmt") and shutil.which("msgattrib")


@pytest.mark.skipif(
    not GETTEXT and not os.environ.get("CI"),
    reason="GNU gettext (msgfmt) is not installed; CI installs it",
)
@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_catalogue_is_compiled_and_current(language, tmp_path):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == mo.read_bytes(), f"{mo} is stale: run make messages"


@pytest.mark.skipif(
    not GETTEXT and not os.environ.get("CI"),
    reason="GNU gettext (msgattrib) is not installed; CI installs it",
)
def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        msgids = [m for m in re.findall(r'^msgid "(.*)"$', out, re.MULTILINE) if m]
        assert msgids == [], f"{flag}: {msgids[:10]}"
