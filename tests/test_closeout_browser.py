"""The year's end in a real browser (issue 14): the office closes a project through 销号
once its 成效关 passed (and is refused before), carries one project into next year's draft
plan, stops another with a reason and closes the year; the new pages fit a phone and pass
axe in both languages. Screenshots go to artifacts/screenshots/ (git-ignored)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projects import closing, roles
from projects.choices import CheckpointStatus, Grade, PlanStatus, ProjectStanding
from projects.models import Assessment, Closeout, Project, ReformPlan
from projects.roles import build_groups
from units.models import Unit

from . import browsing
from .factories import make_user, set_checkpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles():
    """Live-server tests flush the database after each test, data-migration rows included."""
    from django.contrib.auth.models import Group, Permission

    build_groups(Group, Permission)


_plain_static_files = browsing.plain_static_files


@pytest.fixture
def people():
    call_command("loaddata", "plan_2017", verbosity=0)
    fagai = Unit.objects.get(short_name="区发改局")
    return {
        "alice": make_user("alice", roles.REFORM_OFFICE),
        "bob": make_user("bob", roles.UNIT_LIAISON, unit=fagai),
    }


sign_in = browsing.sign_in_page
csrf_token = browsing.csrf_token


def test_office_closes_out_carries_over_stops_and_closes_the_year(
    page, live_server, people, screenshots
):
    url = live_server.url
    sign_in(page, live_server, "alice")
    page.goto(f"{url}/plans/2017/")
    page.click("button[value=start]")
    expect(page.locator(".messages")).to_contain_text("计划已开始执行。")

    # 销号 is refused before 成效关 passes
    project = Project.objects.get(plan__year=2017, number=2)
    set_checkpoint(project, "plan", CheckpointStatus.PASSED)
    set_checkpoint(project, "implementation", CheckpointStatus.PASSED)
    set_checkpoint(project, "outcome", CheckpointStatus.SUBMITTED, evidence="审批时限压缩一半")
    page.goto(f"{url}/projects/2017/2/closeout/")
    expect(page.locator(".callout")).to_contain_text("「成效关」尚未通过")
    expect(page.locator("#closeout-apply")).to_have_count(0)
    refused = page.request.post(
        f"{url}/projects/2017/2/closeout/",
        form={"csrfmiddlewaretoken": csrf_token(page), "action": "apply", "summary": "提前申请"},
    )
    assert refused.status == 400
    assert "「成效关」通过后才能申请或核验销号。" in refused.text()
    assert not Closeout.objects.exists()
    screenshots(page, "yearend1-closeout-before-outcome")

    # 成效关 passes; the office applies and closes the project
    page.goto(f"{url}/projects/2017/2/gates/outcome/")
    page.fill("#id_note", "成效经核实")
    page.click("button[value=approve]")
    expect(page.locator(".page-head .badge").first).to_contain_text("已通过")
    page.goto(f"{url}/projects/2017/2/")
    page.click(".closeout-section a:has-text('申请销号')")
    page.fill("#id_summary", "建成项目全流程管理平台，审批时限压缩一半")
    page.click("#closeout-apply button[value=apply]")
    expect(page.locator(".messages")).to_contain_text("销号申请已提交")
    page.goto(f"{url}/projects/2017/2/closeout/")
    page.fill("#id_outside_evaluation", "第三方评估：成效显著")
    page.fill("#id_note", "同意销号")
    screenshots(page, "yearend2-closeout-review")
    page.click("#closeout-review button[value=close]")
    expect(page.locator(".messages")).to_contain_text("项目已销号")
    expect(page.locator(".callout.ended")).to_contain_text("已销号")
    expect(page.locator(".head-actions")).not_to_contain_text("修改项目信息")
    expect(page.locator("#progress-form")).to_have_count(0)
    screenshots(page, "yearend3-closed-out-project")

    # the year end: next year's draft plan, one carried over, one stopped
    page.goto(f"{url}/plans/2017/yearend/")
    expect(page.locator(".callout.warning-note")).to_contain_text("结转须先建立2018年度计划")
    page.click(".callout.warning-note a")
    page.fill("#id_year", "2018")
    page.fill("#id_title", "龙岗区2018年改革计划")
    page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("2018")
    page.goto(f"{url}/plans/2017/yearend/")
    page.click("#project-5 button[value=carry]")
    expect(page.locator(".messages")).to_contain_text("已结转至")
    page.fill("#reason-6", "上级政策调整，改由市里统筹")
    page.click("#project-6 button[value=stop]")
    expect(page.locator(".messages")).to_contain_text("项目已终止")
    expect(page.locator("#project-5")).to_contain_text("已结转")
    expect(page.locator("#project-6")).to_contain_text("上级政策调整，改由市里统筹")

    # closing the year is refused while projects are undecided, naming them
    page.click("#close-year button")
    expect(page.locator(".form-errors")).to_contain_text("还有8个项目未作年终处理")
    screenshots(page, "yearend4-close-refused")
    for number in (1, 3, 4, 7, 8, 9, 10, 11):
        page.fill(f"#reason-{number}", "年度任务调整")
        page.click(f"#project-{number} button[value=stop]")
        expect(page.locator(".messages")).to_contain_text("项目已终止")
    page.click("#close-year button")
    expect(page.locator(".messages")).to_contain_text("计划已总结，此后只读。")
    expect(page.locator(".page-head .badge").first).to_contain_text("已总结")
    screenshots(page, "yearend5-closed-plan")

    plan = ReformPlan.objects.get(year=2017)
    assert plan.status == PlanStatus.CLOSED
    standings = dict(Project.objects.filter(plan=plan).values_list("number", "standing"))
    assert standings[2] == ProjectStanding.CLOSED_OUT
    assert standings[5] == ProjectStanding.CARRIED_OVER
    new = Project.objects.get(plan__year=2018, carried_from__number=5)
    page.goto(f"{url}{new.get_absolute_url()}")
    expect(page.locator(".callout")).to_contain_text("由上年结转")
    page.goto(f"{url}/projects/2017/3/")
    expect(page.locator(".callout.ended").first).to_contain_text("该年度计划已总结")
    expect(page.locator("#progress-form")).to_have_count(0)


PHONE = {"width": 390, "height": 844}


def _year_end_state(people):
    """A year end in progress: a waiting application, a closed-out, a carried and a stopped
    project, assessments."""
    alice, bob = people["alice"], people["bob"]
    plan = ReformPlan.objects.get(year=2017)
    plan.status = PlanStatus.IN_PROGRESS
    plan.save()
    ReformPlan.objects.create(year=2018, title="龙岗区2018年改革计划")
    two, one = (Project.objects.get(plan=plan, number=n) for n in (2, 1))
    for project in (one, two):
        for kind in ("plan", "implementation", "outcome"):
            set_checkpoint(project, kind, CheckpointStatus.PASSED)
    closing.move_closeout(two, bob, "apply", note="建成项目全流程管理平台")
    closing.move_closeout(one, alice, "apply", note="完成试点")
    application = Closeout.objects.get(project=one)
    closing.move_closeout(one, alice, "close", expected_version=application.version)
    Assessment.objects.create(
        project=one, grade=Grade.EXCELLENT, replicable=True, replicable_text="形成龙岗模式"
    )
    five = Project.objects.get(plan=plan, number=5)
    closing.carry_over(five, alice, five.version)
    six = Project.objects.get(plan=plan, number=6)
    closing.stop_project(six, alice, "上级政策调整", six.version)
    return [
        ("yearend", "/plans/2017/yearend/"),
        ("closeout", "/projects/2017/2/closeout/"),
        ("assessment", "/projects/2017/3/assessment/"),
        ("closed-out", "/projects/2017/1/"),
        ("carried", "/projects/2017/5/"),
    ]


_axe_problems = browsing.axe_problems


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_new_pages_fit_a_phone_and_pass_axe(browser, live_server, people, language, screenshots):
    pages = _year_end_state(people)
    wide, problems = {}, {}
    for viewport in (PHONE, {"width": 1366, "height": 900}):
        page = browsing.page_in(browser, live_server, "alice", viewport, language)
        for name, path in pages:
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            key = (viewport["width"], name)
            wide[key] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            problems[key] = _axe_problems(page)
            screenshots(page, f"yearend-{language}-{viewport['width']}-{name}")
        page.context.close()
    assert {key: px for key, px in wide.items() if px > 0} == {}
    assert {key: v for key, v in problems.items() if v} == {}
