"""Locust scenario for bench/load/run.sh: signed-in 改革办 users reading pages and reporting.

Each simulated user signs in once, then does page views and progress reports, weighted 9:1.
A report counts as acknowledged only when the server answers 302 to the project page; its
unique summary token is written to ``LOAD_TOKENS_FILE`` when the test stops, so the caller
can check every acknowledged report is in the database. Every request (start time, status,
success) goes to ``LOAD_REQUEST_LOG`` so the caller can tell errors during a database outage
from errors after it.

Environment (set by run.sh): LOAD_USER_PREFIX, LOAD_USER_COUNT, LOAD_PASSWORD, LOAD_PHASE,
LOAD_TOKENS_FILE, LOAD_REQUEST_LOG, LOAD_YEAR, LOAD_PROJECTS, LOAD_WAIT_MAX.
"""

import csv
import itertools
import os
import random
import uuid
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
STATUSES = ("on_track", "warning", "delayed")
_rng = random.Random()  # noqa: S311 - picks pages and form values, not secrets

_usernames = itertools.cycle(f"{USER_PREFIX}{i:02d}" for i in range(1, USER_COUNT + 1))
attempted: list[str] = []
acknowledged: list[str] = []
requests_seen: list[tuple[float, float, str, str, int, int]] = []


@events.request.add_listener
def _record_request(request_type, name, response_time, response, exception, start_time, **_kw):
    status = getattr(response, "status_code", 0) or 0
    requests_seen.append(
        (start_time, response_time, request_type, name, int(status), 0 if exception else 1)
    )


@events.test_stop.add_listener
def _write_results(environment, **_kw):
    if TOKENS_FILE:
        with open(TOKENS_FILE, "w", encoding="utf-8") as out:
            out.writelines(f"{token}\n" for token in acknowledged)
        with open(TOKENS_FILE + ".attempted", "w", encoding="utf-8") as out:
            out.writelines(f"{token}\n" for token in attempted)
    if REQUEST_LOG:
        with open(REQUEST_LOG, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["start", "ms", "method", "name", "status", "ok"])
            writer.writerows(
                (f"{s:.3f}", f"{ms:.1f}", m, n, st, ok) for s, ms, m, n, st, ok in requests_seen
            )


class ReformOfficeUser(HttpUser):
    """A 改革办 member: reads the dashboard, the list and project pages, reports progress."""

    wait_time = between(0, WAIT_MAX)

    def on_start(self):
        self.username = next(_usernames)
        self.signed_in = False
        self.sign_in()

    def sign_in(self):
        self.client.cookies.clear()
        with self.client.get(
            "/accounts/login/", name="GET /accounts/login/", catch_response=True
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"login page answered {resp.status_code}")
                return
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            name="POST /accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
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
        number = _rng.randint(1, PROJECTS)
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
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            f"{project_path}updates/",
            name=f"POST /projects/{YEAR}/[n]/updates/",
            data=data,
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            location = urlsplit(resp.headers.get("Location", "")).path
            if resp.status_code == 302 and location == project_path:
                acknowledged.append(token)
                return
            resp.failure(f"answered {resp.status_code} -> {location!r}, expected 302")
            if resp.status_code == 302 and location.startswith("/accounts/login/"):
                self.signed_in = False
