"""The year's set-up in Chromium, as the reform office does it with no admin rights: a new
2018 plan, a new district leader in the 名录 made the leader of a project (with the picker
that searches as one types), the plan submitted and approved by a recorded leading-group
meeting, and an approved project adjusted with a reason (计划调整)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projects import roles
from projects.choices import PlanStatus
from projects.models import PlanAdjustment, Project, ReformPlan
from projects.roles import build_groups

from .base import PASSWORD
from .factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(settings):
    from django.contrib.auth.models import Group, Permission

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    build_groups(Group, Permission)
    call_command("loaddata", "plan_2017", verbosity=0)
    user = make_user("alice", roles.REFORM_OFFICE)
    assert not user.is_staff  # no admin site for the office
    return user


def test_the_office_sets_up_and_approves_the_2018_plan(page, live_server, office, screenshots):
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    # a new plan, as a draft, and its first project
    page.goto(f"{base}/plans/new/")
    page.fill("#id_year", "2018")
    page.fill("#id_title", "龙岗区2018年改革计划")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/plans/2018/")
    expect(page.locator("h1 + p")).to_contain_text("起草")
    page.click("a[href='/plans/2018/projects/new/']")
    page.fill("#id_title", "推进数字政府改革")
    page.select_option("#id_domain", "government")
    page.fill("#id_content", "建设一网通办平台")
    page.click("main form button.primary")
    page.wait_for_url(f"{base}/projects/2018/1/")

    # a district leader the fixture does not know, added in the 名录 …
    page.goto(f"{base}/officials/new/")
    page.fill("#id_name", "李四")
    page.fill("#id_position", "副区长")
    page.click("main form button.primary")
    expect(page.locator(".messages")).to_be_visible()
    # … and made the project's leader with the picker
    page.goto(f"{base}/projects/2018/1/edit/")
    page.fill("#id_lead_official_search", "李四")
    page.click(".picker-option:has-text('李四')")
    page.click("#edit-form button.primary")
    page.wait_for_url(f"{base}/projects/2018/1/")
    expect(page.locator("dl.facts")).to_contain_text("李四")

    # submitted, then approved by a recorded meeting's decision
    page.goto(f"{base}/plans/2018/")
    page.click("button[value=submit]")
    expect(page.locator("h1 + p")).to_contain_text("送审稿")
    page.goto(f"{base}/meetings/new/")
    page.fill("#id_sequence", "14")
    page.click("main form button.primary")
    page.wait_for_url(f"{base}/meetings/**")
    page.select_option("#id_kind", "approve_plan")
    page.fill("#id_text", "审议通过《龙岗区2018年改革计划》")
    page.select_option("#id_plan", label="龙岗区2018年改革计划")
    page.click("form[action$='/decisions/'] button.primary")
    expect(page.locator(".messages")).to_contain_text("会议决定已记录")
    screenshots(page, "plan-setup-meeting")
    assert ReformPlan.objects.get(year=2018).status == PlanStatus.APPROVED

    # an approved project changes only with a reason, listed as 计划调整
    page.goto(f"{base}/projects/2018/1/edit/")
    page.fill("#id_goals", "年底前上线一网通办")
    page.click("#edit-form button.primary")
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator("#edit-form")).to_contain_text("须说明调整理由")
    page.fill("#id_reason", "经第十四次会议审议，明确年度目标")
    page.click("#edit-form button.primary")
    page.wait_for_url(f"{base}/projects/2018/1/")
    page.goto(f"{base}/plans/2018/")
    expect(page.locator(".adjustment")).to_contain_text("经第十四次会议审议，明确年度目标")
    expect(page.locator(".adjustment")).to_contain_text("年底前上线一网通办")
    screenshots(page, "plan-setup-adjusted")
    assert PlanAdjustment.objects.get().project == Project.objects.get(plan__year=2018, number=1)
