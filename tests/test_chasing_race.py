"""Two send_reminders at once (cron overlapping a run by hand, two servers with the same
crontab): each reminder still goes out once. The unique constraint on (item, person or
robot, channel, day) decides which run sends it; the other skips it.

On SQLite (the default) two real processes share a database file, as on a small office
server; on PostgreSQL two threads with their own connections race in the test database.
"""

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection

from chasing.models import Reminder
from chasing.reminders import Run
from projects import roles
from projects.models import Project
from projects.roles import build_groups
from units.models import Unit

from .base import ROOT, make_user
from .factories import TODAY
from .test_chasing_support import configure_email, open_period

ON_POSTGRES = connection.vendor == "postgresql"


def world():
    """The 2017 plan with a lead unit on every project, two liaisons with email in every
    unit, and a period due yesterday: every lead report missing. Returns how many."""
    build_groups(Group, Permission)
    call_command("loaddata", "plan_2017", verbosity=0)
    units = list(Unit.objects.order_by("pk"))
    for number in range(1, 12):
        Project.objects.filter(plan__year=2017, number=number).update(
            lead_unit=units[number % len(units)]
        )
    for unit in units:
        for n in (1, 2):
            user = make_user(f"liaison{unit.pk}_{n}", roles.UNIT_LIAISON, unit=unit)
            user.email = f"l{unit.pk}_{n}@longgang.gov.cn"
            user.save()
    open_period(due=TODAY - timedelta(days=1))
    return 11


def assert_each_once(inbox, owed, rows):
    """Two liaisons per owing unit, by email and in-app: each reminder once, delivered."""
    assert len(inbox.messages) == owed * 2
    assert len({(m["To"], m["Subject"]) for m in inbox.messages}) == owed * 2
    keys = [(r[0], r[1], r[2], r[3]) for r in rows]
    assert len(keys) == owed * 4
    assert len(set(keys)) == len(keys)
    assert {r[4] for r in rows} == {"sent"}


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite file case; PostgreSQL has its own below")
@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_on_a_sqlite_file_send_each_reminder_once(tmp_path, smtp_server):
    owed = world()
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)  # the migrated test database, with the world
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="false",
        HTTPS="false",
        ENV_FILE=os.devnull,
        SECRET_KEY="test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        EMAIL_URL=smtp_server.url,
        LOG_LEVEL="WARNING",
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT item, recipient_id, channel, day, status FROM chasing_reminder"
        ).fetchall()
    assert_each_once(smtp_server, owed, rows)
    assert "database is locked" not in "".join(out + err for out, err in outputs)


@pytest.mark.skipif(not ON_POSTGRES, reason="threads racing in the PostgreSQL test database")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_on_postgresql_send_each_reminder_once(smtp_server, settings):
    owed = world()
    configure_email(settings, smtp_server.url)
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            prepared = Run()
            start.wait(timeout=30)
            prepared.go()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    rows = Reminder.objects.values_list("item", "recipient", "channel", "day", "status")
    assert_each_once(smtp_server, owed, list(rows))
