"""The directory and account pages in Chromium: an administrator creates a liaison account
with a temporary password and the liaison is made to change it; the picker searches on
the server and still works without JavaScript; no page scrolls sideways on a phone and
none has serious accessibility violations, in both languages. Screenshots go to
artifacts/screenshots/people-*.png."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projects import roles
from projects.roles import build_groups
from units.models import Official, Unit, User
from units.roles import grant_permissions

from . import browsing
from .factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPORARY = "Fagai-temp-2017"
OWN = "Fagai-own-password-2017"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _roles():
    """Live-server tests flush the database after each test, data-migration rows included."""
    from django.contrib.auth.models import Group, Permission

    build_groups(Group, Permission)
    grant_permissions(Group, Permission)


_plain_static_files = browsing.plain_static_files


@pytest.fixture
def staff():
    call_command("loaddata", "plan_2017", verbosity=0)
    return {
        "dave": make_user("dave", roles.ADMINISTRATOR),
        "alice": make_user("alice", roles.REFORM_OFFICE),
    }


sign_in = browsing.log_in


def test_admin_creates_a_liaison_who_must_change_the_temporary_password(
    page, live_server, staff, screenshots
):
    sign_in(page, live_server.url, "dave")
    page.click("nav.site-nav >> text=名录")
    page.click("nav.directory-tabs >> text=账号")
    page.click("text=新建账号")
    page.fill("#id_username", "fagai")
    page.fill("#id_full_name", "发改局联络员")
    page.check("label:has-text('牵头单位联络员') input")
    page.fill("#id_unit_search", "发改")  # the picker asks the server
    page.click(".picker-option:has-text('区发改局')")
    expect(page.locator(".field-unit .picker-chosen")).to_contain_text("区发改局")
    page.check("label:has-text('自行设置') input")
    page.fill("#id_password1", TEMPORARY)
    page.fill("#id_password2", TEMPORARY)
    screenshots(page, "people-account-new")
    page.click("#account-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已新建账号“fagai”")
    expect(page.locator("section[aria-labelledby=history-h]")).to_contain_text("授予角色")
    screenshots(page, "people-account-created")
    fagai = User.objects.get(username="fagai")
    assert fagai.unit == Unit.objects.get(short_name="区发改局")
    assert fagai.must_change_password

    page.click("header button:has-text('退出')")
    sign_in(page, live_server.url, "fagai", TEMPORARY)
    expect(page.locator("h1")).to_have_text("修改密码")
    expect(page.locator(".messages")).to_contain_text("您正在使用临时密码")
    page.goto(f"{live_server.url}/projects/")  # everything leads back here
    expect(page.locator("h1")).to_have_text("修改密码")
    screenshots(page, "people-forced-password-change")
    page.fill("#id_old_password", TEMPORARY)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("密码已修改")
    page.click("text=返回首页")
    expect(page.locator("h1").first).to_contain_text("看板")
    expect(page.locator("#mine-h")).to_be_visible()  # the liaison's own projects
    fagai.refresh_from_db()
    assert not fagai.must_change_password


def test_generated_password_is_shown_once(page, live_server, staff, screenshots):
    sign_in(page, live_server.url, "dave")
    page.goto(f"{live_server.url}/accounts/users/new/")
    page.fill("#id_username", "leader2")
    page.check("label:has-text('区领导') input")
    page.fill("#id_official_search", "区长")
    page.keyboard.press("Enter")  # before the answer: sends nothing
    expect(page.locator(".picker-option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses; does not send the form
    expect(page.locator(".field-official .picker-chosen")).to_contain_text("戴斌")
    page.click("#account-form button[type=submit]")
    password = page.locator("#temporary-password").inner_text()
    screenshots(page, "people-password-shown")
    assert User.objects.get(username="leader2").official == Official.objects.get(name="戴斌")
    page.click("text=查看账号")
    expect(page.locator("main")).not_to_contain_text(password)


def test_the_picker_is_a_plain_select_without_javascript(browser, live_server, staff):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/units/new/")
    expect(page.locator(".picker")).to_have_count(0)
    page.fill("#id_name", "龙岗区发展和改革局价格科")
    page.select_option("#id_parent", label="区发改局")
    page.click("#edit-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已新增单位")
    unit = Unit.objects.get(name="龙岗区发展和改革局价格科")
    assert unit.parent.short_name == "区发改局"
    context.close()


def test_the_multiple_picker_adds_and_removes_tags(page, live_server, staff):
    """UnitPickerMultiple as another form would use it (drawn here by the widget itself)."""
    from django import forms

    from units.forms import UnitPickerMultiple

    field = forms.ModelMultipleChoiceField(Unit.objects.all(), widget=UnitPickerMultiple)
    markup = field.widget.render("units", [], attrs={"id": "id_units"})
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/units/new/")
    page.evaluate(
        """markup => {
            const form = document.querySelector('#edit-form');
            form.insertAdjacentHTML('beforeend', '<label for="id_units">参与单位</label>' + markup);
            const script = document.createElement('script');
            script.src = document.querySelector('script[src*="picker"]').src;
            document.head.appendChild(script);
        }""",
        markup,
    )
    expect(page.locator("#id_units_search")).to_be_visible()
    expect(page.locator(".picker")).to_have_count(2)  # loaded twice, enhanced once each
    for text, tag in (("发改", "区发改局"), ("教育", "区教育局")):
        page.fill("#id_units_search", text)
        page.click(f"#id_units_results .picker-option:has-text('{tag}')")
    chosen = page.locator("#id_units + .picker .picker-tag")
    expect(chosen).to_have_count(2)
    page.click("#id_units + .picker button[aria-label='移除 区发改局']")
    expect(chosen).to_have_count(1)
    selected = page.eval_on_selector(
        "#id_units", "s => Array.from(s.selectedOptions).map(o => o.textContent)"
    )
    assert selected == ["区教育局"]


def _pages():
    unit = Unit.objects.get(short_name="区发改局")
    official = Official.objects.get(name="高自民")
    account = User.objects.get(username="alice")
    return {
        "units": "/units/",
        "unit-edit": f"/units/{unit.pk}/edit/",
        "officials": "/officials/",
        "official-edit": f"/officials/{official.pk}/edit/",
        "accounts": "/accounts/users/",
        "account-new": "/accounts/users/new/",
        "account-edit": f"/accounts/users/{account.pk}/edit/",
    }


_axe_problems = browsing.axe_problems


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_fit_a_phone_and_pass_axe(browser, live_server, staff, language, screenshots):
    """390 px wide: nothing scrolls sideways; no serious or critical axe violations (also
    with the picker's results open)."""
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    sign_in(page, live_server.url, "dave")
    wide, problems = {}, {}
    for name, path in _pages().items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        wide[name] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        problems[name] = _axe_problems(page)
        screenshots(page, f"people-phone-{language}-{name}")
    page.goto(f"{live_server.url}/units/new/")
    page.fill("#id_parent_search", "区")
    expect(page.locator(".picker-option").first).to_be_visible()
    problems["picker open"] = _axe_problems(page)
    wide["picker open"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshots(page, f"people-phone-{language}-picker")
    context.close()
    assert {k: px for k, px in wide.items() if px > 0} == {}
    assert {k: v for k, v in problems.items() if v} == {}
