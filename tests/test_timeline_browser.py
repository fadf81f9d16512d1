"""The timeline (三关时间轴) in Chromium: no serious accessibility violations in either
language, the chart on a desktop and the list on a phone without sideways scrolling, and
printing on A4 landscape. Screenshots go to artifacts/screenshots/timeline-*.png."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from projects import roles
from projects.choices import CheckpointStatus
from projects.models import Project
from projects.roles import build_groups

from .base import PASSWORD
from .factories import TODAY, make_project, make_user, set_checkpoint
from .test_timeline import IMPLEMENTATION, PLAN, URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_people(settings):
    """The live server's database: roles (flushed after each live test), the 2017 plan with
    a few dates, and a reform-office user; static files from the apps."""
    from django.contrib.auth.models import Group, Permission

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    build_groups(Group, Permission)
    call_command("loaddata", "plan_2017", verbosity=0)
    p2 = Project.objects.get(number=2)
    set_checkpoint(p2, PLAN, CheckpointStatus.PASSED, TODAY - timedelta(days=40))
    set_checkpoint(p2, IMPLEMENTATION, CheckpointStatus.IN_PROGRESS, TODAY - timedelta(days=1))
    set_checkpoint(Project.objects.get(number=3), PLAN, CheckpointStatus.REWORK, TODAY)
    make_project(p2.plan, title="另一个" * 20)  # a long title
    return make_user("alice", roles.REFORM_OFFICE)


def sign_in(page, live_server, language):
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#lang-select", language)
    page.click(".lang-button")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_timeline_in_chromium(page, live_server, browser_people, language, screenshots):
    from axe_playwright_python.sync_playwright import Axe

    def serious():
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, language)
    page.goto(f"{live_server.url}{URL}")
    assert page.locator("svg.tl-block").first.is_visible()
    assert not page.locator(".tl-list").is_visible()
    assert page.locator("g.tl-row").count() == 12
    assert sideways_scroll(page) == 0
    problems = {"desktop": serious()}
    screenshots(page, f"timeline-{language}-desktop")

    for width, height in ((390, 844), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        assert not page.locator("svg.tl-block").first.is_visible()
        assert page.locator(".tl-list li.tl-project").nth(1).is_visible()
        assert sideways_scroll(page) == 0, width
    problems["phone"] = serious()
    screenshots(page, f"timeline-{language}-phone")
    assert {k: v for k, v in problems.items() if v} == {}

    page.set_viewport_size({"width": 1366, "height": 900})
    page.emulate_media(media="print")
    page.reload()
    assert not page.locator(".site-nav").is_visible()
    assert page.locator(".print-header").is_visible()
    assert page.locator("svg.tl-block").first.is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
