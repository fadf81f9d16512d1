"""The intake in a real browser (Playwright, Debian's Chromium, marker ``browser``): from a
unit's proposal and a phone user's suggestion, through two experts, to a project of the
draft plan; every intake page on a phone in both languages; axe-core on them.
Screenshots go to artifacts/screenshots/intake-*.png."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from intake import roles as intake_roles
from intake.choices import ProposalStatus
from intake.models import Call, Proposal, Review, Suggestion
from projects import roles
from projects.models import Project, ReformPlan
from units.models import Unit

from . import browsing
from .factories import make_user
from .test_browser import _axe_problems, _overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _roles():
    """Live-server tests flush the database after each test, data-migration rows included:
    the roles as migrations 0004 and 0011 of projects (setting up plans, which selection
    needs) and the intake's own leave them."""
    roles.build_groups(Group, Permission)
    plan_setup = import_module("projects.migrations.0011_plan_setup_data")
    for role, names in plan_setup.GRANTS.items():
        codenames = [name.split(".")[1] for name in names]
        Group.objects.get(name=role).permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )
    intake_roles.build_groups(Group, Permission)


_plain_static_files = browsing.plain_static_files


@pytest.fixture
def people():
    call_command("loaddata", "plan_2017", verbosity=0)
    fagai = Unit.objects.get(short_name="区发改局")
    return {
        "alice": make_user("alice", roles.REFORM_OFFICE),
        "bob": make_user("bob", roles.UNIT_LIAISON, unit=fagai),
        "xena": make_user("xena", intake_roles.EXPERT),
        "yuri": make_user("yuri", intake_roles.EXPERT),
        "charlie": make_user("charlie", roles.LEADERSHIP),
    }


@pytest.fixture
def draft_plan():
    return ReformPlan.objects.create(year=2018, title="龙岗区2018年改革计划")


def sign_in(page, live_server, username):
    browsing.log_in(page, live_server.url, username)


def test_from_a_units_proposal_and_a_phone_suggestion_to_a_project_of_the_draft_plan(
    browser, live_server, people, draft_plan, screenshots
):
    url = live_server.url
    office = browser.new_page()
    # the office opens the call
    sign_in(office, live_server, "alice")
    office.goto(f"{url}/intake/calls/new/")
    office.select_option("#id_plan", str(draft_plan.pk))
    office.fill("#id_opens_on", timezone.localdate().isoformat())
    office.fill("#id_closes_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    office.check("label:has-text('区发改局') input")
    office.click("main button[type=submit]")
    expect(office.locator("h1")).to_contain_text("2018年度改革项目征集")

    # a liaison writes a draft and submits it
    unit_page = browser.new_page()
    sign_in(unit_page, live_server, "bob")
    unit_page.goto(f"{url}/intake/2018/")
    unit_page.click("text=填写项目建议")
    unit_page.fill("#id_title", "推行政府投资项目并联审批")
    unit_page.select_option("#id_domain", "government")
    unit_page.fill("#id_background", "政府投资项目审批环节多、时间长")
    unit_page.fill("#id_content", "发改、规划、住建并联审批，一表申报")
    unit_page.fill("#id_highlights", "全市首个全流程并联审批")
    unit_page.fill("#id_outcomes", "审批时间压缩一半")
    unit_page.select_option("#id_suggested_leader", label="戴斌（区委副书记、区长）")
    unit_page.check("#id_participating_units label:has-text('区政务办') input")
    unit_page.click("main button[type=submit]")
    expect(unit_page.locator(".messages")).to_contain_text("草稿已保存")
    unit_page.click("button[value=submit]")
    expect(unit_page.locator(".page-head .badge")).to_contain_text("已提交")
    expect(unit_page.locator("a", has_text="修改草稿")).to_have_count(0)
    screenshots(unit_page, "intake-1-liaison-submitted")
    proposal = Proposal.objects.get()

    # someone on a phone, not signed in, sends a suggestion and checks it
    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    phone.goto(f"{url}/suggest/")
    phone.fill("#id_topic", "项目审批跑多个部门")
    phone.fill("#id_text", "办一个投资项目要跑发改、规划、住建好几趟，希望一窗受理")
    phone.fill("#id_contact", "13800138000")
    screenshots(phone, "intake-2-phone-form")
    phone.click("form.public-form button[type=submit]")
    expect(phone.locator("h1")).to_contain_text("已收到您的建议")
    shown = phone.locator(".receipt-big").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", shown)
    assert _overflow(phone) <= 0
    screenshots(phone, "intake-3-phone-receipt")
    phone.get_by_role("link", name="查询办理情况").click()
    expect(phone.locator("dl.facts")).to_contain_text("已收到，待处理")
    suggestion = Suggestion.objects.get()
    assert suggestion.receipt_display == shown

    # the office links it to the proposal, replies, and assigns two experts
    office.goto(f"{url}/intake/suggestions/")
    office.click("text=项目审批跑多个部门")
    office.check("#id_proposals label:has-text('推行政府投资项目并联审批') input")
    office.select_option("#id_domain", "government")
    office.fill("#id_public_reply", "已纳入2018年改革项目征集，正在评审")
    office.click("#moderation-form button[type=submit]")
    expect(office.locator(".messages")).to_contain_text("处理结果已保存")
    office.goto(f"{url}{proposal.get_absolute_url()}")
    office.check("#experts-form label:has-text('xena') input")
    office.check("#experts-form label:has-text('yuri') input")
    office.click("#experts-form button[type=submit]")
    expect(office.locator(".page-head .badge")).to_contain_text("专家评审中")
    # a second proposal neither expert may see
    other = Proposal.objects.create(
        call=Call.objects.get(),
        unit=Unit.objects.get(short_name="区教育局"),
        title="不分给这两位专家的建议",
        status=ProposalStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )

    # each expert lands on their reviews, sees only that proposal, and scores it
    for expert, scores in (("xena", (5, 4, 4, 3)), ("yuri", (4, 5, 2, 3))):
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, live_server, expert)
        expect(page).to_have_url(f"{url}/intake/reviews/")
        expect(page.locator("table.reviews tbody tr")).to_have_count(1)
        expect(page.locator("table.reviews")).not_to_contain_text("不分给这两位专家的建议")
        expect(page.locator(".site-nav a")).to_have_count(1)
        assert page.goto(f"{url}{other.get_absolute_url()}").status == 404
        assert page.goto(f"{url}/").status == 403
        page.goto(f"{url}/intake/reviews/")
        page.click("text=推行政府投资项目并联审批")
        for name, score in zip(
            ("score_focus", "score_need", "score_pilot", "score_replicable"), scores, strict=True
        ):
            page.check(f"input[name={name}][value='{score}']")
        page.check("input[name=recommendation][value=select]")
        page.fill("#id_comment", f"{expert}：切中痛点，建议入选")
        if expert == "xena":
            screenshots(page, "intake-4-expert-review")
        page.click("#review-form button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("评审意见已保存")
        context.close()

    # the office ranks, selects, and finds the project in the draft plan
    office.goto(f"{url}/intake/2018/board/")
    row = office.locator("table.board tbody tr", has_text="推行政府投资项目并联审批")
    expect(row).to_contain_text("15.0")
    expect(row).to_contain_text("2 / 2")
    screenshots(office, "intake-5-board")
    row.locator("a", has_text="入选").click()
    office.click("main form button[type=submit]")
    expect(office).to_have_url(f"{url}/projects/2018/1/")
    main = office.locator("main")
    expect(main).to_contain_text("推行政府投资项目并联审批")
    expect(main).to_contain_text("发改、规划、住建并联审批，一表申报")
    expect(main).to_contain_text("审批时间压缩一半")
    expect(main).to_contain_text("戴斌")
    expect(main).to_contain_text("区政务办")
    expect(main.locator(".origin")).to_contain_text("关联群众需求、建议 1 条")
    screenshots(office, "intake-6-project")
    office.click(".origin a")
    expect(office.locator(".page-head .badge")).to_contain_text("入选")
    project = Project.objects.get(plan=draft_plan)
    assert Proposal.objects.get(pk=proposal.pk).project == project
    office.goto(f"{url}/plans/2018/")
    expect(office.locator("section.funnel")).to_contain_text("关联到入选项目")
    screenshots(office, "intake-7-plan-funnel")

    # the phone user sees where it went
    phone.reload()
    expect(phone.locator("dl.facts")).to_contain_text("已纳入年度改革项目")
    expect(phone.locator("main")).to_contain_text("已纳入2018年改革项目征集，正在评审")
    screenshots(phone, "intake-8-phone-status")
    phone_context.close()


def _intake_rows(people, plan):
    """A call with one proposal under review (Xena's) and one linked suggestion."""
    call = Call.objects.create(
        plan=plan,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    call.units.add(people["bob"].unit)
    proposal = Proposal.objects.create(
        call=call,
        unit=people["bob"].unit,
        title="推行政府投资项目并联审批",
        domain="government",
        background="审批环节多",
        content="并联审批",
        highlights="全市首个",
        outcomes="时间减半",
        status=ProposalStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    Review.objects.create(proposal=proposal, expert=people["xena"])
    suggestion = Suggestion.objects.create(
        receipt="K7QM2XHR9TBD", topic="停车难", text="小区停车位不足", call=call
    )
    suggestion.proposals.add(proposal)
    return proposal, suggestion


def _pages(proposal, suggestion):
    """(name, path, who opens it; None: anonymous)."""
    return [
        ("suggest", "/suggest/", None),
        ("suggest-status", f"/suggest/{suggestion.receipt}/", None),
        ("calls", "/intake/", "alice"),
        ("call", "/intake/2018/", "alice"),
        ("call-new", "/intake/calls/new/", "alice"),
        ("board", "/intake/2018/board/", "alice"),
        ("proposal", proposal.get_absolute_url(), "alice"),
        ("select", f"/intake/proposals/{proposal.pk}/decide/select/", "alice"),
        ("suggestions", "/intake/suggestions/?show=all", "alice"),
        ("suggestion", suggestion.get_absolute_url(), "alice"),
        ("plan-2017", "/plans/2017/", "alice"),
        ("proposal-new", "/intake/2018/proposals/new/", "bob"),
        ("reviews", "/intake/reviews/", "xena"),
        ("review", proposal.get_absolute_url(), "xena"),
    ]


def _visit_all(browser, live_server, pages, language, context_args, check):
    results = {}
    for who in (None, "alice", "bob", "xena"):
        context = browser.new_context(**context_args)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        if who:
            sign_in(page, live_server, who)
        for name, path, opener in pages:
            if opener == who:
                page.goto(f"{live_server.url}{path}")
                expect(page.locator("html")).to_have_attribute("lang", language)
                results[name] = check(page, name)
        context.close()
    return results


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_intake_page_scrolls_sideways_on_a_phone(
    browser, live_server, people, draft_plan, language, screenshots
):
    pages = _pages(*_intake_rows(people, draft_plan))

    def check(page, name):
        screenshots(page, f"intake-phone-{language}-{name}")
        return _overflow(page)

    wide = _visit_all(browser, live_server, pages, language, PHONE, check)
    assert len(wide) == len(pages)
    assert {name: px for name, px in wide.items() if px > 0} == {}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_intake_pages_have_no_serious_accessibility_violations(
    browser, live_server, people, draft_plan, language, screenshots
):
    pages = _pages(*_intake_rows(people, draft_plan))

    def check(page, name):
        screenshots(page, f"intake-desktop-{language}-{name}")
        return _axe_problems(page)

    desktop = {"viewport": {"width": 1366, "height": 900}}
    problems = _visit_all(browser, live_server, pages, language, desktop, check)
    problems |= {
        f"phone {name}": found
        for name, found in _visit_all(
            browser, live_server, pages, language, PHONE, lambda page, name: _axe_problems(page)
        ).items()
    }
    assert {k: v for k, v in problems.items() if v} == {}
