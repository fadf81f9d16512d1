"""Locust scenario for bench/load/run.sh: signed-in 改革办 users reading pages and reporting,
and unit liaisons writing the open period's reports with a PDF attached.

- 改革办 users (all but ``LOAD_LIAISON_USERS``) sign in once, then do page views and progress
  reports, weighted 9:1, on the projects without a lead unit (``LOAD_OFFICE_PROJECTS``): a
  project's lead unit owes one report per period, which the office would otherwise write
  again and again. A report counts as acknowledged only when the server answers 302 to the
  project page.
- 牵头单位联络员 users (``LOAD_LIAISON_USERS``, each signed in as one of the liaison accounts
  ``LOAD_LIAISON_PREFIX``01…, whose unit takes part in every project) write their unit's
  report for the open period as the pages do: save a draft (302), read the project page for
  the draft's forms, upload a small PDF through the multipart upload form (302: the file is
  acknowledged), submit the draft (the page then says 进展报告已提交: the report is
  acknowledged). A unit reports once per project and period: after its last project the
  user signs in as the next account.

Two app servers (``LOAD_HOSTS``, comma-separated base URLs): half the users of each kind
write through the first, half through the second. Right after a write that moves a project's
current status is acknowledged (an office report, a liaison's submission), the user reads
that project's row (最新进展) on the OTHER server's dashboard or list, both cached in each
server process under the database's data stamp (``projects.freshness``). The row must show
the status and percent of a report on the project that was still being written when this
one began (this one, or one written at the same time or later: the newest counted report
wins, by id); anything older is a stale read. Each read-back goes to ``.readbacks``.

Acknowledged tokens are written when the test stops: ``LOAD_TOKENS_FILE`` (office reports),
``.period`` (period reports), ``.files`` (token, file name, SHA-256, size of each file), and
``.attempted`` / ``.period.attempted``, so the caller can check every acknowledged row and
file. Every request (start time, status, success) goes to ``LOAD_REQUEST_LOG`` so the caller
can tell errors during a database outage from errors after it.

Environment (set by run.sh): LOAD_USER_PREFIX, LOAD_USER_COUNT, LOAD_PASSWORD, LOAD_PHASE,
LOAD_TOKENS_FILE, LOAD_REQUEST_LOG, LOAD_YEAR, LOAD_PROJECTS, LOAD_OFFICE_PROJECTS,
LOAD_LIAISON_USERS, LOAD_LIAISON_PREFIX, LOAD_LIAISON_COUNT, LOAD_WAIT_MAX, LOAD_HOSTS.
"""

import csv
import hashlib
import itertools
import os
import random
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

SHANGHAI = ZoneInfo("Asia/Shanghai")
USER_PREFIX = os.environ.get("LOAD_USER_PREFIX", "load")
USER_COUNT = int(os.environ.get("LOAD_USER_COUNT", "20"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
PHASE = os.environ.get("LOAD_PHASE", "load")
YEAR = int(os.environ.get("LOAD_YEAR", "2017"))
PROJECTS = int(os.environ.get("LOAD_PROJECTS", "11"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "0"))
TOKENS_FILE = os.environ.get("LOAD_TOKENS_FILE", "")
REQUEST_LOG = os.environ.get("LOAD_REQUEST_LOG", "")
OFFICE_PROJECTS = [
    int(n) for n in os.environ.get("LOAD_OFFICE_PROJECTS", "").split(",") if n.strip()
] or list(range(1, PROJECTS + 1))
LIAISON_USERS = int(os.environ.get("LOAD_LIAISON_USERS", "0"))
LIAISON_PREFIX = os.environ.get("LOAD_LIAISON_PREFIX", "loadunit")
LIAISON_COUNT = int(os.environ.get("LOAD_LIAISON_COUNT", "0"))
STATUSES = ("on_track", "warning", "delayed")
SUBMITTED = "进展报告已提交，等待区委改革办采纳。"
SERVERS = [h.strip().rstrip("/") for h in os.environ.get("LOAD_HOSTS", "").split(",") if h.strip()]
_rng = random.Random()  # noqa: S311 - picks pages and form values, not secrets

_usernames = itertools.cycle(f"{USER_PREFIX}{i:02d}" for i in range(1, USER_COUNT + 1))
_liaisons = iter([f"{LIAISON_PREFIX}{i:02d}" for i in range(1, LIAISON_COUNT + 1)])
attempted: list[str] = []
acknowledged: list[str] = []
period_attempted: list[str] = []
period_acknowledged: list[str] = []
files_acknowledged: list[tuple[str, str, str, int]] = []  # token, name, sha256, size
requests_seen: list[tuple[float, float, str, str, int, int, str]] = []
# time, kind, project, written through, read on, page, result, shown, allowed values
readbacks: list[tuple[float, str, int, str, str, str, str, str, int]] = []
_office_index = itertools.count()  # the n-th user of each kind writes through server n % 2
_liaison_index = itertools.count()


@dataclass
class CountedWrite:
    """A request that may make a report count for its project's current status (an office
    report, a liaison's submission): the report's status and percent, when the request was
    sent, and when its answer came (None: none came, so it may still commit)."""

    status: str
    percent: int
    start: float
    end: float | None = None


counted_writes: defaultdict[int, list[CountedWrite]] = defaultdict(list)  # by project number


@events.request.add_listener
def _record_request(
    request_type, name, response_time, response, exception, start_time, url=None, **_kw
):
    status = getattr(response, "status_code", 0) or 0
    server = urlsplit(url).netloc if url else ""
    requests_seen.append(
        (start_time, response_time, request_type, name, int(status), 0 if exception else 1, server)
    )


@events.test_stop.add_listener
def _write_results(environment, **_kw):
    if TOKENS_FILE:
        for suffix, tokens in (
            ("", acknowledged),
            (".attempted", attempted),
            (".period", period_acknowledged),
            (".period.attempted", period_attempted),
        ):
            with open(TOKENS_FILE + suffix, "w", encoding="utf-8") as out:
                out.writelines(f"{token}\n" for token in tokens)
        for suffix, rows in ((".files", files_acknowledged), (".readbacks", readbacks)):
            with open(TOKENS_FILE + suffix, "w", encoding="utf-8") as out:
                out.writelines("\t".join(map(str, row)) + "\n" for row in rows)
    if REQUEST_LOG:
        with open(REQUEST_LOG, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["start", "ms", "method", "name", "status", "ok", "server"])
            writer.writerows(
                (f"{s:.3f}", f"{ms:.1f}", m, n, st, ok, server)
                for s, ms, m, n, st, ok, server in requests_seen
            )


READ_BACK_PAGES = (("/", "GET / (read-back)"), ("/projects/", "GET /projects/ (read-back)"))
PROGRESS_LABELS = {"正常": "on_track", "预警": "warning", "滞后": "delayed"}
NOT_REPORTED = "未报告"
PROGRESS_CELL = re.compile(r'data-label="最新进展">(.*?)</td>', re.S)
PROGRESS_SHOWN = re.compile(r'</span>([^<]+)</span>\s*<span class="small">(\d+)%</span>')


def shown_progress(html, number):
    """(status, percent) in project ``number``'s row of the page's cached matrix (the
    dashboard's 三关进度 section: its 我的项目 above is not cached); ("none", None) for
    未报告; None if the row is not there."""
    start = html.find('aria-labelledby="matrix-h"')
    if start >= 0:
        html = html[start : html.find("</section>", start)]
    link = html.find(f'href="/projects/{YEAR}/{number}/"')
    if link < 0:
        return None
    cell = PROGRESS_CELL.search(html, link, html.find("</tr>", link))
    if cell is None:
        return None
    shown = PROGRESS_SHOWN.search(cell[1])
    if shown is None:
        return ("none", None) if NOT_REPORTED in cell[1] else None
    label = shown[1].strip()
    return (PROGRESS_LABELS[label], int(shown[2])) if label in PROGRESS_LABELS else None


class SignedInUser(HttpUser):
    """Signs in (GET the login page for the ``csrftoken`` cookie, POST the form)."""

    abstract = True
    wait_time = between(0, WAIT_MAX)

    def pick_server(self, index):
        """Write through server ``index`` mod 2 (the session's base URL), read back on the
        other one. The session cookie is good on both: sessions are in the database."""
        servers = SERVERS or [self.host]
        self.server = servers[index % len(servers)]
        self.other = servers[(index + 1) % len(servers)]
        self.client.base_url = self.server

    def read_back(self, kind, number, since):
        """Read project ``number``'s row on the other server's dashboard or list at once; it
        must show a report that was still being written at ``since`` (or later)."""
        path, name = _rng.choice(READ_BACK_PAGES)
        allowed, shown = set(), None
        with self.client.get(
            self.other + path, name=name, allow_redirects=False, catch_response=True
        ) as resp:
            if resp.status_code != 200:
                result = "error"
                resp.failure(f"answered {resp.status_code}, expected 200")
            else:
                shown = shown_progress(resp.text, number)
                allowed = {
                    (w.status, w.percent)
                    for w in counted_writes[number]
                    if w.end is None or w.end >= since
                }
                if shown is None:
                    result = "unreadable"
                    resp.failure(f"project {number}'s 最新进展 not found on the page")
                elif shown in allowed:
                    result = "fresh"
                else:
                    result = "stale"
                    resp.failure(
                        f"stale read: project {number} shows {shown}, written {sorted(allowed)}"
                    )
        readbacks.append(
            (
                round(time.time(), 3),
                kind,
                number,
                urlsplit(self.server).netloc,
                urlsplit(self.other).netloc,
                name,
                result,
                "" if shown is None else " ".join(map(str, shown)),
                len(allowed),
            )
        )

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def sign_in(self):
        self.client.cookies.clear()
        with self.client.get(
            "/accounts/login/", name="GET /accounts/login/", catch_response=True
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"login page answered {resp.status_code}")
                return
        with self.client.post(
            "/accounts/login/",
            name="POST /accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf(),
            },
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 302:
                resp.failure(f"sign-in answered {resp.status_code}, expected 302")
                return
        self.signed_in = True

    def _page(self, url, name):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"answered {resp.status_code}, expected 200")
                if resp.status_code == 302 and "/accounts/login/" in resp.headers.get(
                    "Location", ""
                ):
                    self.signed_in = False


class ReformOfficeUser(SignedInUser):
    """A 改革办 member: reads the dashboard, the list and project pages, reports progress."""

    def on_start(self):
        self.pick_server(next(_office_index))
        self.username = next(_usernames)
        self.signed_in = False
        self.sign_in()

    @task(9)
    def view_page(self):
        if not self.signed_in:
            self.sign_in()
            return
        choice = _rng.randrange(3)
        if choice == 0:
            self._page("/", "GET / (dashboard)")
        elif choice == 1:
            self._page("/projects/", "GET /projects/")
        else:
            number = _rng.randint(1, PROJECTS)
            self._page(f"/projects/{YEAR}/{number}/", f"GET /projects/{YEAR}/[n]/")

    @task(1)
    def report_progress(self):
        if not self.signed_in:
            self.sign_in()
            return
        number = _rng.choice(OFFICE_PROJECTS)
        project_path = f"/projects/{YEAR}/{number}/"
        token = f"load-{PHASE}-{uuid.uuid4().hex}"
        attempted.append(token)
        data = {
            "reported_on": datetime.now(SHANGHAI).date().isoformat(),
            "status": _rng.choice(STATUSES),
            "percent_complete": str(_rng.randint(0, 100)),
            "summary": token,
            "next_steps": "继续推进（负载测试）",
            "problems": _rng.choice(["", "暂无"]),
            "coordination_needed": _rng.choice(["", "", "需协调区发改局"]),
            "csrfmiddlewaretoken": self.csrf(),
        }
        write = CountedWrite(data["status"], int(data["percent_complete"]), time.time())
        counted_writes[number].append(write)
        with self.client.post(
            f"{project_path}updates/",
            name=f"POST /projects/{YEAR}/[n]/updates/",
            data=data,
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code:
                write.end = time.time()
            location = urlsplit(resp.headers.get("Location", "")).path
            acked = resp.status_code == 302 and location == project_path
            if not acked:
                resp.failure(f"answered {resp.status_code} -> {location!r}, expected 302")
                if resp.status_code == 302 and location.startswith("/accounts/login/"):
                    self.signed_in = False
        if acked:
            acknowledged.append(token)
            self.read_back("office", number, write.start)


def tiny_pdf(token):
    """A small valid PDF (what the upload form's sniffer accepts) carrying ``token``, so no
    two files are the same."""
    return (
        b"%PDF-1.4\n% " + token.encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


UPLOAD_FORM = re.compile(r'action="(/files/on/projects\.progressupdate/\d+/)"')
STEP_FORM = re.compile(r'action="(/updates/(\d+)/steps/)".*?name="version" value="(\d+)"', re.S)


class UnitLiaisonUser(SignedInUser):
    """A liaison of a unit taking part in every project: writes the open period's report on
    each project, with a PDF attached, then signs in as the next liaison account."""

    fixed_count = LIAISON_USERS

    def on_start(self):
        self.pick_server(next(_liaison_index))
        self.signed_in = False
        self.next_account()

    def next_account(self):
        self.username = next(_liaisons, None)
        self.projects = _rng.sample(range(1, PROJECTS + 1), PROJECTS)
        if self.username is not None:
            self.sign_in()

    @task
    def write_period_report(self):
        if self.username is None:  # every account has reported on every project
            self._page("/", "GET / (dashboard)")
            return
        if not self.signed_in:
            self.sign_in()
            return
        if not self.projects:
            self.next_account()
            return
        number = self.projects.pop()
        project_path = f"/projects/{YEAR}/{number}/"
        token = f"loadp-{PHASE}-{uuid.uuid4().hex}"
        period_attempted.append(token)
        began = time.time()  # before the draft gets its id (which ranks it among the reports)
        status, percent = _rng.choice(STATUSES), _rng.randint(0, 100)
        if not self._draft(project_path, token, status, percent):
            return
        forms = self._forms(project_path, token)
        if forms is None:
            return
        upload, step, pk, version = forms
        if not self._upload(upload, project_path, token):
            return
        write = CountedWrite(status, percent, time.time())
        counted_writes[number].append(write)
        if self._submit(step, pk, version, token, write):
            self.read_back("period", number, began)

    def _draft(self, project_path, token, status, percent):
        data = {
            "reported_on": datetime.now(SHANGHAI).date().isoformat(),
            "status": status,
            "percent_complete": str(percent),
            "summary": token,
            "next_steps": "按期推进（负载测试）",
            "action": "draft",
            "csrfmiddlewaretoken": self.csrf(),
        }
        with self.client.post(
            f"{project_path}updates/",
            name=f"POST /projects/{YEAR}/[n]/updates/ (draft)",
            data=data,
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            location = urlsplit(resp.headers.get("Location", "")).path
            if resp.status_code == 302 and location == project_path:
                return True
            resp.failure(f"draft answered {resp.status_code} -> {location!r}, expected 302")
            if location.startswith("/accounts/login/"):
                self.signed_in = False
        return False

    def _forms(self, project_path, token):
        """The draft's upload form and step form, read from the project page."""
        with self.client.get(
            project_path,
            name=f"GET /projects/{YEAR}/[n]/ (liaison)",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"answered {resp.status_code}, expected 200")
                return None
            article = next(
                (a for a in resp.text.split('<article class="update">') if token in a), ""
            )
            upload, step = UPLOAD_FORM.search(article), STEP_FORM.search(article)
            if upload is None or step is None:
                resp.failure("the draft or its forms are not on the project page")
                return None
        return upload[1], step[1], step[2], step[3]

    def _upload(self, url, project_path, token):
        data = tiny_pdf(token)
        name = f"进展材料-{token[-8:]}.pdf"
        with self.client.post(
            url,
            name="POST /files/on/projects.progressupdate/[pk]/",
            data={"csrfmiddlewaretoken": self.csrf()},
            files={"file": (name, data, "application/pdf")},
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            location = urlsplit(resp.headers.get("Location", "")).path
            if resp.status_code == 302 and location == project_path:
                sha = hashlib.sha256(data).hexdigest()
                files_acknowledged.append((token, name, sha, len(data)))
                return True
            resp.failure(f"upload answered {resp.status_code} -> {location!r}, expected 302")
        return False

    def _submit(self, url, pk, version, token, write):
        """Submit, landing on the report's edit page, which shows the outcome; True when
        the page says it was submitted."""
        data = {
            "action": "submit",
            "note": "",
            "version": version,
            "next": f"/updates/{pk}/edit/",
            "csrfmiddlewaretoken": self.csrf(),
        }
        with self.client.post(
            url, name="POST /updates/[pk]/steps/ (submit)", data=data, catch_response=True
        ) as resp:
            if resp.status_code:
                write.end = time.time()
            if resp.status_code == 200 and SUBMITTED in resp.text:
                period_acknowledged.append(token)
                return True
            resp.failure(f"submit answered {resp.status_code} without {SUBMITTED!r}")
        return False
