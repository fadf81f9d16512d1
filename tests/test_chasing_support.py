"""Helpers of the chasing tests (no tests here): report periods and period reports in one
line, a real HTTP receiver standing in for a 企业微信 group robot, the send_reminders
command, and mail pointed at the test's SMTP server."""

import http.server
import io
import json
import socket
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from longgang_reform.mailers import mailer_from_url
from projects.choices import COUNTED_REPORTS, ProgressStatus, ReportState
from projects.models import ProgressUpdate, Project, ReformPlan, ReportPeriod

from .factories import TODAY

FROM = "龙岗改革台账 <noreply@reform.example.gov.cn>"
SITE = "https://reform.example.gov.cn"


def project(number, year=2017):
    return Project.objects.select_related("lead_unit").get(plan__year=year, number=number)


def open_period(name="2017年6月", *, due, starts=None, plan=None, tiers=None):
    """An open report period of the 2017 plan due on ``due`` (started 20 days before the
    earlier of ``due`` and today, unless told)."""
    starts = starts or min(due, TODAY) - timedelta(days=20)
    return ReportPeriod.objects.create(
        plan=plan or ReformPlan.objects.get(year=2017),
        name=name,
        starts_on=starts,
        ends_on=max(due, starts),
        due_on=due,
        tiers=tiers or ["district"],
    )


def period_report(project, period, state=ReportState.SUBMITTED, unit=None, **fields):
    """The unit's report (the lead unit's unless told) on ``project`` for ``period``."""
    counted = state in COUNTED_REPORTS
    return ProgressUpdate.objects.create(
        project=project,
        period=period,
        unit=unit or project.lead_unit,
        state=state,
        submitted_at=timezone.now() if counted else None,
        reported_on=TODAY,
        status=ProgressStatus.ON_TRACK,
        percent_complete=20,
        summary="按计划推进",
        **fields,
    )


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def send_reminders(*args):
    """``manage.py send_reminders *args`` in this process; its output."""
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def configure_email(settings, url):
    settings.EMAIL_URL = url
    settings.MAILERS = {"default": mailer_from_url(url)}
    settings.DEFAULT_FROM_EMAIL = FROM


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RobotReceiver:
    """A real HTTP server on 127.0.0.1 answering like a 企业微信 group robot: it keeps every
    POSTed JSON body; ``status`` and ``reply`` say how it answers."""

    def __init__(self):
        self.received = []
        self.status = 200
        self.reply = {"errcode": 0, "errmsg": "ok"}
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                receiver.received.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(body.decode("utf-8")),
                    }
                )
                answer = json.dumps(receiver.reply).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/cgi-bin/webhook/send?key=robot-key-0123456789"

    @property
    def texts(self):
        return [r["json"]["text"]["content"] for r in self.received]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    receiver = RobotReceiver()
    yield receiver
    receiver.stop()
