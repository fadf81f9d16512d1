"""The monthly cycle in a real browser (Playwright driving Debian's Chromium against the
live server): the office opens a period and chases the missing reports; the liaison sees
the report in 待办, follows the link, writes it, and it leaves the list. Also: the to-do
page and the period page are no wider than a phone in either language."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import expect

from chasing.models import Reminder
from projects import roles
from projects.models import ProgressUpdate, ReportPeriod
from projects.roles import build_groups
from units.models import Unit

from .factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """The live server serves static files from the apps, not the hashed collectstatic copy."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def people():
    """Live-server tests flush the database, the roles' data-migration rows included: the
    roles again, with what the office gets from later migrations (plans, 催办)."""
    build_groups(Group, Permission)
    office = Group.objects.get(name=roles.REFORM_OFFICE)
    office.permissions.add(
        Permission.objects.get(content_type__app_label="projects", codename="change_reformplan"),
        Permission.objects.get(content_type__app_label="chasing", codename="chase"),
    )
    call_command("loaddata", "plan_2017", verbosity=0)
    return {
        "alice": make_user("alice", roles.REFORM_OFFICE),
        "bob": make_user("bob", roles.UNIT_LIAISON, unit=Unit.objects.get(short_name="区发改局")),
    }


def sign_in(context, live_server, username):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1").first).to_contain_text("看板")
    return page


def todo_count(page):
    badge = page.locator(".site-nav .todo-count")
    return int(re.match(r"\d+", badge.inner_text())[0]) if badge.count() else 0


def test_the_office_opens_a_period_and_the_liaison_reports_from_the_todo_list(
    browser, live_server, people, screenshots
):
    office = sign_in(browser.new_context(), live_server, "alice")
    office.goto(f"{live_server.url}/plans/2017/periods/new/")
    office.fill("#id_name", "2017年6月")
    office.click("main form.card-form button[type=submit]")
    expect(office.locator(".messages")).to_contain_text("报告期已开启：2017年6月")
    panel = office.locator("#chase")
    expect(panel).to_contain_text("区发改局")
    screenshots(office, "chasing-office-period")
    panel.get_by_role("button", name=re.compile("催办全部未报")).click()
    expect(office.locator(".messages")).to_contain_text("已催办 4 项")
    assert Reminder.objects.filter(recipient__username="bob").count() == 1

    liaison = sign_in(browser.new_context(), live_server, "bob")
    before = todo_count(liaison)
    assert before >= 1
    liaison.locator(".site-nav").get_by_role("link", name=re.compile("待办")).click()
    item = liaison.locator("#todo-reports + ul li", has_text="建立健全固定资产投资项目")
    expect(item).to_contain_text("2017年6月进展报告")
    expect(item).to_contain_text("已收到催办 1 次")
    screenshots(liaison, "chasing-liaison-todo")
    item.get_by_role("link", name="填报").click()
    expect(liaison).to_have_url(re.compile(r"/projects/2017/2/#progress-form$"))
    liaison.select_option("#id_status", "on_track")
    liaison.fill("#id_percent_complete", "30")
    liaison.fill("#id_summary", "六月完成质量标准初稿")
    liaison.click("#progress-form button[type=submit]")
    expect(liaison.locator(".messages")).to_contain_text("进展报告已保存。")
    report = ProgressUpdate.objects.get(summary="六月完成质量标准初稿")
    assert report.period == ReportPeriod.objects.get(name="2017年6月")
    assert todo_count(liaison) == before - 1
    liaison.goto(f"{live_server.url}/todo/")
    expect(liaison.locator("#todo-reports")).to_have_count(0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_chasing_pages_fit_a_phone(browser, live_server, people, language, screenshots):
    office = sign_in(browser.new_context(), live_server, "alice")
    office.goto(f"{live_server.url}/plans/2017/periods/new/")
    office.fill("#id_name", "2017年6月")
    office.click("main form.card-form button[type=submit]")
    period = ReportPeriod.objects.get(name="2017年6月")
    wide = {}
    for who, paths in (
        ("alice", ["/todo/", period.get_absolute_url(), "/chasing/webhooks/"]),
        ("bob", ["/todo/"]),
    ):
        context = browser.new_context(viewport=PHONE)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", who)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            wide[(who, path)] = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            name = path.strip("/").replace("/", "-")
            screenshots(page, f"chasing-phone-{language}-{who}-{name}")
        context.close()
    assert {key: px for key, px in wide.items() if px > 0} == {}
