"""Real browser journeys (Playwright driving Debian's Chromium against the live server),
accessibility with axe-core in both languages, and keyboard-only use of the progress form.
Screenshots go to artifacts/screenshots/ (git-ignored)."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projects import roles
from projects.choices import ProgressStatus
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project
from projects.roles import build_groups
from units.models import Official, Unit

from . import browsing
from .factories import PASSWORD, make_user, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles():
    """Live-server tests flush the database after each test, data-migration rows included."""
    from django.contrib.auth.models import Group, Permission

    build_groups(Group, Permission)


_plain_static_files = browsing.plain_static_files


@pytest.fixture
def plan():
    call_command("loaddata", "plan_2017", verbosity=0)


@pytest.fixture
def people(plan):
    fagai = Unit.objects.get(short_name="区发改局")
    jiaoyu = Unit.objects.get(short_name="区教育局")
    return {
        "alice": make_user("alice", roles.REFORM_OFFICE),
        "olga": make_user("olga", roles.REFORM_OFFICE),
        "bob": make_user("bob", roles.UNIT_LIAISON, unit=fagai),
        "erin": make_user("erin", roles.UNIT_LIAISON, unit=jiaoyu),
        "charlie": make_user(
            "charlie", roles.LEADERSHIP, official=Official.objects.get(name="高自民")
        ),
    }


sign_in = browsing.sign_in_page
csrf_token = browsing.csrf_token


def test_liaison_reports_progress_and_is_refused_on_another_units_project(
    page, live_server, people, screenshots
):
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/projects/2017/2/")
    page.select_option("#id_status", "warning")
    page.fill("#id_percent_complete", "35")
    page.fill("#id_summary", "完成质量标准初稿")
    page.click("#progress-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("进展报告已保存。")
    expect(page.locator("article.update").first).to_contain_text("完成质量标准初稿")
    screenshots(page, "journey1-liaison-project")

    page.goto(f"{live_server.url}/")
    row = page.locator("section[aria-labelledby=matrix-h] tr", has_text="建立健全固定资产投资项目")
    expect(row).to_contain_text("预警")
    expect(row).to_contain_text("35%")
    expect(page.locator("#mine-h")).to_be_visible()
    screenshots(page, "journey1-liaison-dashboard")

    page.goto(f"{live_server.url}/projects/2017/10/")
    expect(page.locator("#progress-form")).to_have_count(0)
    refused = page.request.post(
        f"{live_server.url}/projects/2017/10/updates/",
        form={
            "csrfmiddlewaretoken": csrf_token(page),
            "reported_on": date.today().isoformat(),
            "status": "on_track",
            "percent_complete": "10",
            "summary": "越权填报",
        },
    )
    assert refused.status == 403
    assert "不能填报进展" in refused.text()
    assert not ProgressUpdate.objects.filter(summary="越权填报").exists()


def test_office_passes_plan_gate_is_refused_early_outcome_and_sends_back(
    page, live_server, people, screenshots
):
    sign_in(page, live_server, "alice")
    gate = f"{live_server.url}/projects/2017/2/gates"
    page.goto(f"{gate}/plan/")
    page.fill("#id_note", "《实施方案》经区政府常务会议审议通过")
    page.click("button[value=submit]")
    expect(page.locator(".page-head .badge").first).to_contain_text("待审核")
    page.fill("#id_note", "方案可行，同意")
    page.click("button[value=approve]")
    expect(page.locator(".page-head .badge").first).to_contain_text("已通过")

    page.goto(f"{gate}/outcome/")
    page.fill("#id_note", "目标已实现")
    page.click("button[value=submit]")
    expect(page.locator(".form-errors")).to_contain_text(
        "「成效关」须在「实施关」通过后才能报审或通过。"
    )
    screenshots(page, "journey2-outcome-refused")

    page.goto(f"{gate}/implementation/")
    page.fill("#id_note", "已按方案推进实施")
    page.click("button[value=submit]")
    page.fill("#id_note", "请补充实施台账和资金使用情况")
    page.click("button[value=send_back]")
    expect(page.locator(".page-head .badge").first).to_contain_text("需整改")
    expect(page.locator("dl.facts")).to_contain_text("请补充实施台账和资金使用情况")
    screenshots(page, "journey2-implementation-rework")
    statuses = dict(Checkpoint.objects.filter(project__number=2).values_list("kind", "status"))
    assert statuses == {"plan": "passed", "implementation": "rework", "outcome": "not_started"}


def test_leader_reads_dashboard_filters_delayed_and_writes_an_instruction(
    page, live_server, people, screenshots
):
    report(Project.objects.get(number=3), 0, ProgressStatus.DELAYED, 5, "网格划分滞后")
    sign_in(page, live_server, "charlie")
    expect(page.locator(".figures")).to_contain_text("11")
    screenshots(page, "journey3-leader-dashboard")
    page.click("nav.site-nav >> text=项目查询")
    page.select_option("#id_status", "delayed")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"status=delayed"))
    rows = page.locator("table.matrix tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("推进网格管理标准化")
    page.click("text=推进网格管理标准化")
    page.fill("#id_text", "请区委改革办督促，月底前拿出网格划分方案。")
    page.click("text=保存批示")
    expect(page.locator(".messages")).to_contain_text("批示已保存")
    expect(page.locator("article.instruction")).to_contain_text("月底前拿出网格划分方案")
    expect(page.locator("#progress-form")).to_have_count(0)
    expect(page.locator("a", has_text=re.compile(r"^修改"))).to_have_count(0)
    screenshots(page, "journey3-leader-instruction")
    assert Instruction.objects.get().official.name == "高自民"


def test_admin_loads_the_2017_plan_into_an_empty_database(page, live_server, screenshots):
    make_user("dave", roles.ADMINISTRATOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "dave")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("尚未载入改革计划")
    page.click("text=载入计划")
    page.check("input[value=plan_2017]")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已载入")
    figures = page.locator(".figures")
    expect(figures.locator(".figure").first).to_contain_text("11")
    expect(figures).to_contain_text("0/33")
    expect(page.locator("table.matrix tbody tr")).to_have_count(11)
    screenshots(page, "journey4-admin-loaded")
    assert Checkpoint.objects.count() == 33


def test_two_browsers_edit_the_same_checkpoint(browser, live_server, people, screenshots):
    pages = []
    for user in ("alice", "olga"):
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, live_server, user)
        page.goto(f"{live_server.url}/projects/2017/2/gates/plan/")
        pages.append(page)
    first, second = pages
    first.fill("#id_planned_date", "2017-09-30")
    second.fill("#id_planned_date", "2017-12-31")
    first.click("text=保存日期")
    expect(first.locator(".messages")).to_contain_text("计划完成日期已保存")
    second.click("text=保存日期")
    expect(second.locator(".conflict")).to_contain_text("该关口已被他人修改")
    expect(second.locator(".conflict")).to_contain_text("2017-09-30")
    screenshots(second, "conflict-second-editor")
    gate = Checkpoint.objects.get(project__number=2, kind="plan")
    assert str(gate.planned_date) == "2017-09-30"


def test_progress_form_works_with_the_keyboard_only(page, live_server, people):
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/projects/2017/2/")
    for _ in range(120):  # Tab from the top of the page to the form's first field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_reported_on":
            break
    else:
        pytest.fail("the progress form cannot be reached with Tab")
    for _ in range(5):  # keep today's date; Tab walks through its day/month/year parts
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_status":
            break
    assert page.evaluate("document.activeElement.id") == "id_status"
    page.keyboard.press("ArrowDown")  # 正常
    page.keyboard.press("Tab")
    page.keyboard.type("60")
    page.keyboard.press("Tab")
    page.keyboard.type("用键盘填报的进展")
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("进展报告已保存。")
    update = ProgressUpdate.objects.get()
    assert (update.summary, update.percent_complete, update.status) == (
        "用键盘填报的进展",
        60,
        "on_track",
    )


_axe_problems = browsing.axe_problems


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_have_no_serious_accessibility_violations(
    page, live_server, people, language, screenshots
):
    report(Project.objects.get(number=2), 0, ProgressStatus.WARNING, 20, author=people["alice"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#lang-select", language)
    page.click(".lang-button")
    problems = {"login": _axe_problems(page)}
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    update = ProgressUpdate.objects.get()
    for name, path in {
        "dashboard": "/",
        "list": "/projects/?status=warning",
        "project": "/projects/2017/2/",
        "checkpoint": "/projects/2017/2/gates/plan/",
        "project-edit": "/projects/2017/2/edit/",
        "update-edit": f"/updates/{update.pk}/edit/",
        "unit": f"/units/{Unit.objects.get(short_name='区发改局').pk}/",
    }.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems[name] = _axe_problems(page)
        screenshots(page, f"axe-{language}-{name}")
    assert {k: v for k, v in problems.items() if v} == {}


PHONE = {"width": 390, "height": 844}


def _phone_pages(people):
    """Every page, with what it needs: (name, path, who may open it)."""
    project = Project.objects.get(number=2)
    update = report(project, 0, ProgressStatus.WARNING, 20, author=people["bob"])
    instruction = Instruction.objects.create(project=project, author=people["charlie"], text="加快")
    unit = Unit.objects.get(short_name="区发改局")
    official = Official.objects.get(name="高自民")
    everyone = {"alice", "bob", "charlie", "dave"}
    return [
        ("dashboard", "/", everyone),
        ("list", "/projects/?status=warning&gate=plan", everyone),
        ("search", "/projects/?q=发改", everyone),
        ("project", "/projects/2017/2/", everyone),
        ("checkpoint", "/projects/2017/2/gates/plan/", everyone),
        ("unit", f"/units/{unit.pk}/", everyone),
        ("official", f"/officials/{official.pk}/", everyone),
        ("no-such-plan", "/?year=2018", everyone),
        ("password", "/accounts/password_change/", everyone),
        ("project-edit", "/projects/2017/2/edit/", {"alice", "dave"}),
        ("update-edit", f"/updates/{update.pk}/edit/", {"alice", "bob", "dave"}),
        ("follow-up", f"/instructions/{instruction.pk}/follow-up/", {"alice", "bob", "dave"}),
        ("load-plan", "/plans/load/", {"dave"}),
    ]


def _overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, people, language, screenshots):
    """390 × 844, every page each role may open, both languages: nothing wider than the
    screen; the menu opens from its button."""
    people["dave"] = make_user("dave", roles.ADMINISTRATOR, staff=True)
    pages = _phone_pages(people)
    wide = {}
    for who in ("alice", "bob", "charlie", "dave"):
        context = browser.new_context(viewport=PHONE)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        wide[("anonymous", "login")] = _overflow(page)
        page.fill("#id_username", who)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        menu = page.locator(".menu-toggle")
        expect(page.locator(".site-nav")).to_be_hidden()
        menu.click()
        expect(page.locator(".site-nav")).to_be_visible()
        expect(menu).to_have_attribute("aria-expanded", "true")
        for name, path, allowed in pages:
            if who not in allowed:
                continue
            page.goto(f"{live_server.url}{path}")
            wide[(who, name)] = _overflow(page)
            if who == "alice":
                screenshots(page, f"phone-{language}-{name}")
        context.close()
    assert {key: px for key, px in wide.items() if px > 0} == {}


def test_phone_pages_have_no_serious_accessibility_violations(browser, live_server, people):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    problems = {}
    for name, path in {
        "dashboard": "/",
        "project": "/projects/2017/2/",
        "checkpoint": "/projects/2017/2/gates/plan/",
    }.items():
        page.goto(f"{live_server.url}{path}")
        problems[name] = _axe_problems(page)
        page.locator(".menu-toggle").click()
        problems[f"{name} with the menu open"] = _axe_problems(page)
    assert {k: v for k, v in problems.items() if v} == {}
