"""Never stale (issue 15): the dashboard's shared parts are cached in each process, keyed
by the data stamp the database keeps (projects.freshness). A write through another
process, by whatever means (the ORM, ``QuerySet.update()`` that sends no signal, raw SQL
through Django's cursor, or SQL from outside the app followed by ``touch_data_stamp``),
shows on the very next request of a process that has the page cached; writers never wait
for each other because of the stamp; a transaction's uncommitted data is never served to
anyone else.

Two real processes share the database: the reader keeps its cache between requests (a
``manage.py shell`` reading requests from its input), the writer is a fresh
``manage.py shell`` per write. On SQLite they share a copy of the test database in a
file; on PostgreSQL the test database itself.
"""

import os
import re
import sqlite3
import subprocess
import sys
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from projects import roles
from projects.roles import build_groups

from .base import ROOT, PortfolioTestCase, make_user
from .factories import progress_form

ON_POSTGRES = connection.vendor == "postgresql"
URL = "/?year=2017&tier=all"

READER = f"""
import sys
from django.test import Client
from units.models import User
client = Client()
client.force_login(User.objects.get(username="alice"))
for line in sys.stdin:
    needle = line.strip()
    body = client.get("{URL}").content.decode()
    print("seen" if needle in body else "missing", flush=True)
"""

WRITES = {
    # a report through the ORM: signals, the project's stored status
    "orm": (
        "from projects.models import Project; from tests.factories import report; "
        "report(Project.objects.get(plan__year=2017, number=1), 1, 'delayed', 77, '进展')",
        '<span class="small">77%</span>',
    ),
    # QuerySet.update(): no signal at all
    "update": (
        "from projects.models import Project; "
        "Project.objects.filter(plan__year=2017, number=2).update(title='用update改的名称')",
        "用update改的名称",
    ),
    # raw SQL through Django's cursor, as a script would
    "sql": (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute(\"UPDATE projects_project SET title = '用SQL改的名称' WHERE number = 3\")",
        "用SQL改的名称",
    ),
    # SQL from outside the app (its own driver connection, as psql would), then the
    # command the README asks for after such a write
    "outside": (
        "from django.db import connection; from django.core.management import call_command; "
        "connection.ensure_connection(); raw = connection.connection; "
        "raw.execute(\"UPDATE projects_project SET title = '库外改的名称' WHERE number = 4\"); "
        "raw.commit(); call_command('touch_data_stamp')",
        "库外改的名称",
    ),
}


def environment(database_url):
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS="testserver",
        ENV_FILE=os.devnull,
        SECRET_KEY="test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="WARNING",
    )
    return env


def database_url(tmp_path):
    settings = connection.settings_dict
    if ON_POSTGRES:
        return (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT']}/{settings['NAME']}"
        )
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)  # the migrated test database, its triggers too
    return f"sqlite:///{database}"


def write(env, code):
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_write_in_another_process_shows_on_the_next_request(tmp_path):
    build_groups(Group, Permission)
    call_command("loaddata", "plan_2017", verbosity=0)
    make_user("alice", roles.REFORM_OFFICE)
    env = environment(database_url(tmp_path))
    reader = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", READER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def reads(needle):
        reader.stdin.write(needle + "\n")
        reader.stdin.flush()
        line = reader.stdout.readline().strip()
        while line not in ("seen", "missing", ""):  # anything the shell printed first
            line = reader.stdout.readline().strip()
        return line

    try:
        for name, (code, needle) in WRITES.items():
            assert reads(needle) == "missing", name
            assert reads(needle) == "missing", name  # now from the reader's cache
            write(env, code)
            assert reads(needle) == "seen", name
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
    assert reader.returncode == 0, reader.stderr.read()


def other_thread(work):
    """``work()`` on another thread, with its own database connection; its result."""
    result = {}

    def run():
        try:
            result["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the other connection waited for the open transaction"
    return result.get("value")


def the_2017_plan():
    build_groups(Group, Permission)
    call_command("loaddata", "plan_2017", verbosity=0)
    from projects.models import Project

    return Project.objects.filter(plan__year=2017)


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite lets one writer at a time by design")
@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other():
    projects = the_2017_plan()
    with transaction.atomic():
        projects.filter(number=1).update(title="第一个事务改的名称")  # not committed yet
        # a second writer commits while the first is open: the stamp holds no lock
        other_thread(lambda: projects.filter(number=2).update(title="第二个事务改的名称"))
    titles = set(projects.values_list("title", flat=True))
    assert {"第一个事务改的名称", "第二个事务改的名称"} <= titles


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_an_uncommitted_write_is_never_served_to_anyone_else():
    projects = the_2017_plan()
    mine, theirs = Client(), Client()  # one process, one cache
    mine.force_login(make_user("alice", roles.REFORM_OFFICE))
    theirs.force_login(make_user("dora", roles.REFORM_OFFICE))
    url, title = "/projects/?year=2017", "尚未提交的名称"

    def theirs_show_it():
        return title in theirs.get(url).content.decode()

    assert not theirs_show_it()  # cached now
    with pytest.raises(Rollback), transaction.atomic():
        projects.filter(number=1).update(title=title)
        assert title in mine.get(url).content.decode()  # its own write, at once
        assert title in mine.get(url).content.decode()  # and again (cached for it alone)
        assert not other_thread(theirs_show_it)
        raise Rollback
    assert title not in mine.get(url).content.decode()
    assert not theirs_show_it()


class CachedPartsAreEveryonesTests(PortfolioTestCase):
    """What is cached is the same for everyone who sees it; what differs by user does not
    leak from one user's cached page into another's."""

    def test_my_projects_on_the_list_are_each_liaisons_own(self):
        url = "/projects/?year=2017&mine=on"
        self.client.force_login(self.bob)  # 区发改局
        bobs = self.client.get(url).context["page"]
        self.client.force_login(self.erin)  # 区教育局
        erins_first = self.client.get(url).context["page"]  # the shared parts from Bob's
        erins = self.client.get(url)  # read again, her page from the cache
        bobs_titles = {p.title for p in bobs.object_list}
        self.assertTrue(bobs_titles)
        for title in bobs_titles - {p.title for p in erins_first.object_list}:
            self.assertNotContains(erins, title)

    def test_the_header_count_is_each_users_own(self):
        office, liaison = Client(), Client()
        office.force_login(self.alice)
        liaison.force_login(self.bob)  # both signed in first: one stamp for what follows
        alices = header_count(office.get("/?year=2017"))
        bobs = header_count(liaison.get("/?year=2017"))  # Alice's count is cached now
        cache.clear()
        self.assertEqual(header_count(liaison.get("/?year=2017")), bobs)
        self.assertNotEqual(alices, bobs)


def header_count(response):
    """The 待办 number in the page's header ("" when none)."""
    found = re.search(r'class="todo-count">(\d+)<', response.content.decode())
    return found.group(1) if found else ""


def submission_tokens(response):
    return re.findall(r'name="submission" value="([0-9a-f-]{36})"', response.content.decode())


class WholePageCacheTests(PortfolioTestCase):
    """The dashboard, the list and the project page are kept whole per session under the
    data stamp (projects.freshness.cached_page): read again, they cost the session, the
    user and the stamp; a write, a message or another session draws them afresh."""

    def setUp(self):
        super().setUp()
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(self.bob)  # the lead unit's liaison of project 2
        self.url = "/projects/2017/2/"

    def test_read_again_the_page_costs_three_queries_and_looks_the_same(self):
        for url in ("/?year=2017", "/projects/?year=2017", self.url):
            first = self.client.get(url)
            with self.subTest(url=url), self.assertNumQueries(3):  # session, user, stamp
                again = self.client.get(url)
            strip = re.compile(r'value="[0-9a-f-]{36}"|name="csrfmiddlewaretoken" value="\w+"')
            self.assertEqual(
                strip.sub("", first.content.decode()), strip.sub("", again.content.decode())
            )

    def test_two_copies_of_the_page_send_two_reports(self):
        """Two tabs of the same project page: each form has its own one-time token, so
        both reports are saved (a shared token would save the second as a repeat)."""
        first, second = self.client.get(self.url), self.client.get(self.url)
        tokens = submission_tokens(first) + submission_tokens(second)
        self.assertEqual(len(set(tokens)), 2)
        for page, summary in ((first, "第一个标签页的报告"), (second, "第二个标签页的报告")):
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
            form = progress_form(summary=summary, submission=submission_tokens(page)[0])
            form["csrfmiddlewaretoken"] = csrf.group(1)  # a cached page's token works
            self.assertEqual(
                self.client.post(reverse("update_add", args=[2017, 2]), form).status_code, 302
            )
        page = self.client.get(self.url)
        self.assertContains(page, "第一个标签页的报告")
        self.assertContains(page, "第二个标签页的报告")

    def test_a_message_shows_once(self):
        self.client.get(self.url)  # cached
        token = submission_tokens(self.client.get(self.url))[0]
        csrf = self.client.cookies["csrftoken"].value
        self.client.post(
            reverse("update_add", args=[2017, 2]),
            {**progress_form(submission=token), "csrfmiddlewaretoken": csrf},
        )
        self.assertContains(self.client.get(self.url), "进展报告已保存。")
        self.assertNotContains(self.client.get(self.url), "进展报告已保存。")

    def test_each_session_has_its_own_page(self):
        self.client.get(self.url)
        other = Client()
        other.force_login(self.erin)  # another unit's liaison: may read, not report
        self.assertNotContains(other.get(self.url), 'name="submission"')
        self.assertContains(self.client.get(self.url), 'name="submission"')

    def test_a_cached_page_carries_csrf_tokens_of_the_request(self):
        """The browser lost its CSRF cookie (or never had one): the page read from the
        cache sets a new one, and its forms' tokens go with it."""
        self.client.get(self.url)
        del self.client.cookies["csrftoken"]
        page = self.client.get(self.url)  # from the cache
        self.assertIn("csrftoken", page.cookies)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        form = progress_form(summary="丢了Cookie之后的报告", submission=submission_tokens(page)[0])
        form["csrfmiddlewaretoken"] = csrf.group(1)
        response = self.client.post(reverse("update_add", args=[2017, 2]), form)
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(self.url), "丢了Cookie之后的报告")
