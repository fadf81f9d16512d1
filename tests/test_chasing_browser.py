"""The monthly cycle in a real browser (Playwright driving Debian's Chromium against the
live server): the office opens a period and chases the missing reports; the liaison sees
the report in 待办, follows the link, writes it, and it leaves the list. Also: the to-do
page and the period page are no wider than a phone in either language."""

import re

import pytest
from playwright.sync_api import expect

from chasing.models import Reminder
from projects.models import ProgressUpdate, ReportPeriod

from . import browsing
from .browsing import PHONE, sign_in, todo_count
from .factories import PASSWORD

# the journeys' fixtures: static files from the apps; the roles, the 2017 plan, Alice and Bob
_plain_static_files = browsing.plain_static_files
people = browsing.people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
