"""The scoreboard, the dashboard panel and the bulletin in Chromium: nothing wider than a
phone, no serious accessibility problem (axe-core), both languages; the bulletin prints on
A4. Screenshots go to artifacts/screenshots/ (git-ignored)."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projects import roles
from projects.choices import CheckpointKind, CheckpointStatus, PeriodStatus, ProjectTier
from projects.models import Project, ReportPeriod
from projects.roles import build_groups
from units.models import Unit

from . import browsing
from .browsing import DESKTOP, PHONE
from .factories import PASSWORD, make_user, report, set_checkpoint
from .test_browser import _axe_problems, _overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595, 842)
# the live server serves static files from the apps
_plain_static_files = browsing.plain_static_files


@pytest.fixture(autouse=True)
def _roles():
    from django.contrib.auth.models import Group, Permission

    build_groups(Group, Permission)


@pytest.fixture
def period():
    """The 2017 plan with a closed period: 区发改局 on time, 区教育局 late, the rest missing;
    project 2 passed 方案关 within the period."""
    call_command("loaddata", "plan_2017", verbosity=0)
    make_user("alice", roles.REFORM_OFFICE)
    plan = Project.objects.get(number=2).plan
    june = ReportPeriod.objects.create(
        plan=plan,
        name="2017年6月",
        starts_on=date(2017, 6, 1),
        ends_on=date(2017, 6, 30),
        due_on=date(2017, 7, 5),
        status=PeriodStatus.CLOSED,
        tiers=[ProjectTier.DISTRICT],
    )
    for number, short, late in ((2, "区发改局", False), (10, "区教育局", True)):
        project = Project.objects.get(number=number)
        unit = Unit.objects.get(short_name=short)
        report(project, on=june.ends_on, period=june, unit=unit, submitted_late=late,
               state="accepted", summary="完成方案起草并征求意见")  # fmt: skip
    set_checkpoint(Project.objects.get(number=2), CheckpointKind.PLAN, CheckpointStatus.PASSED,
                   passed_on=date(2017, 6, 20))  # fmt: skip
    return june


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_fit_a_phone_and_pass_axe(browser, live_server, period, language, screenshots):
    pages = {
        "scoreboard": "/plans/2017/scoreboard/",
        "scoreboard-period": f"/plans/2017/scoreboard/?period={period.pk}",
        "dashboard": "/",
        "period": f"/periods/{period.pk}/",
        "bulletin": f"/periods/{period.pk}/bulletin/",
    }
    wide, problems = {}, {}
    for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page = browsing.page_in(browser, live_server, "alice", size, language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            wide[(size_name, name)] = _overflow(page)
            problems[(size_name, name)] = _axe_problems(page)
            screenshots(page, f"reports-{size_name}-{language}-{name}")
        page.context.close()
    assert {key: px for key, px in wide.items() if px > 0} == {}
    assert {key: found for key, found in problems.items() if found} == {}


def test_the_bulletin_prints_on_a4(page, live_server, period):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/periods/{period.pk}/bulletin/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("下载通报（Word）")).to_be_hidden()
    expect(page.locator("h1")).to_have_text("关于2017年6月改革项目进展情况的通报")
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {A4_POINTS}
