"""The leaders' record in Chromium: a leader records a 亲自督查 and sees the matrix
change; the new pages without serious accessibility violations in either language and
without sideways scrolling on a phone. Screenshots go to artifacts/screenshots/leaders-*."""

import pytest
from playwright.sync_api import expect

from projects.models import Instruction, LeaderAction, Project

from . import browsing, test_browser
from .factories import TODAY
from .test_browser import PHONE, _axe_problems, _overflow, sign_in

# the fixtures of the browser journeys: roles, static files, the 2017 plan and its people
_roles = test_browser._roles
_plain_static_files = test_browser._plain_static_files
plan = test_browser.plan
people = test_browser.people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def inspect_cell(page, name):
    row = page.locator("table.leader-matrix tbody tr", has_text=name)
    return row.locator("td").nth(3)  # 亲自部署, 亲自把关, 亲自协调, 亲自督查


def test_a_leader_records_an_inspection_and_sees_the_matrix_change(
    page, live_server, people, screenshots
):
    sign_in(page, live_server, "charlie")
    expect(inspect_cell(page, "高自民")).to_contain_text("尚无")  # 2017 is past: flagged
    expect(page.locator("table.leader-matrix tbody tr", has_text="高自民")).to_contain_text(
        "日期未载"  # the 13th meeting, whose date the article does not give
    )
    screenshots(page, "leaders-dashboard-before")

    page.goto(f"{live_server.url}/projects/2017/2/")
    page.click("text=录入四个亲自")
    expect(page.locator("#action-form")).to_contain_text("类型")
    expect(page.locator("#id_official")).to_have_count(0)  # a leader records for themself
    page.select_option("#id_kind", "inspect")
    page.fill("#id_done_on", "2017-09-12")
    page.fill("#id_what", "到区发改局督查固定资产投资项目全流程管理体系建设")
    units = page.locator(".field-units .picker-input")
    units.fill("发改")
    page.locator(".field-units .picker-option", has_text="区发改局").first.click()
    screenshots(page, "leaders-record-form")
    page.click("#action-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已录入：高自民 · 亲自督查")
    expect(page.locator(".leader-action")).to_contain_text("区发改局")

    page.goto(f"{live_server.url}/")
    cell = inspect_cell(page, "高自民")
    expect(cell).to_contain_text("1")
    expect(cell).to_contain_text("最近 2017-09-12")
    expect(inspect_cell(page, "戴斌")).to_contain_text("尚无")
    screenshots(page, "leaders-dashboard-after")
    action = LeaderAction.objects.get(kind="inspect")
    assert (action.official.name, action.project.number) == ("高自民", 2)
    assert [u.short_name for u in action.units.all()] == ["区发改局"]


def _new_pages(people):
    project = Project.objects.get(number=2)
    instruction = Instruction.objects.create(
        project=project,
        author=people["charlie"],
        official=people["charlie"].official,
        text="请加快",
        due_on=TODAY,
    )
    official = people["charlie"].official_id
    return {
        "leaders": "/plans/2017/leaders/",
        "record": "/projects/2017/2/actions/new/",
        "record-plan": "/plans/2017/actions/new/",
        "instruction": f"/instructions/{instruction.pk}/",
        "official": f"/officials/{official}/",
        "official-instructions": f"/officials/{official}/instructions/",
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_new_pages_read_well_everywhere(browser, live_server, people, language, screenshots):
    pages = _new_pages(people)
    problems, wide = {}, {}
    for viewport, label in (({"width": 1366, "height": 900}, "desk"), (PHONE, "phone")):
        context = browser.new_context(viewport=viewport)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        sign_in_any(page, live_server, "alice")
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            if label == "desk":
                problems[name] = _axe_problems(page)
            wide[(label, name)] = _overflow(page)
            screenshots(page, f"leaders-{label}-{language}-{name}")
        context.close()
    assert {k: v for k, v in problems.items() if v} == {}
    assert {k: px for k, px in wide.items() if px > 0} == {}


def sign_in_any(page, live_server, username):
    """Sign in whatever the interface language (``sign_in`` expects Chinese)."""
    browsing.log_in(page, live_server.url, username)
    expect(page.locator("h1").first).to_be_visible()
