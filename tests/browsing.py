"""What the browser journeys share: screen sizes, the live server's static files, the
roles and people of a flushed database (the monthly cycle's), signing in, the CSRF token,
axe's serious problems and the header's 待办 count.

Fixtures are used by naming them in a test module (``people = browsing.people``), as
``test_leaders_browser`` does with ``test_browser``'s."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import expect

from projects import roles
from projects.roles import build_groups
from units.models import Unit

from .factories import PASSWORD, make_user

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """The live server serves static files from the apps, not the hashed collectstatic copy."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def people():
    """Live-server tests flush the database, the roles' data-migration rows included: the
    roles again, with what the office gets from later migrations (plans, 催办), the 2017
    plan, Alice of the reform office and Bob, the liaison of 区发改局 (which leads
    project 2)."""
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


def log_in(page, url, username, password=PASSWORD):
    """Send the sign-in form of the site at ``url``; whatever page it leads to."""
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def sign_in_page(page, live_server, username):
    """``page`` signed in as ``username``, on the dashboard (Chinese)."""
    log_in(page, live_server.url, username)
    expect(page.locator("h1").first).to_contain_text("看板")


def sign_in(context, live_server, username):
    """A new page of ``context`` signed in as ``username``, on the dashboard (Chinese)."""
    page = context.new_page()
    sign_in_page(page, live_server, username)
    return page


def page_in(browser, live_server, username, viewport, language):
    """A new page at ``viewport`` in ``language`` (the switcher's cookie), signed in."""
    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    log_in(page, live_server.url, username)
    return page


def csrf_token(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def axe_problems(page):
    """axe-core's serious and critical violations on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def todo_count(page):
    """The number on the header's 待办 link (0 when it shows none)."""
    badge = page.locator(".site-nav .todo-count")
    return int(re.match(r"\d+", badge.inner_text())[0]) if badge.count() else 0
