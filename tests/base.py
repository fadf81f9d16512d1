"""Shared test set-up: the 2017 plan and one person in each role.

- Alice works in the reform office (改革办).
- Bob is the liaison of 区发改局, which leads project 2.
- Erin is the liaison of 区教育局, which leads project 10.
- Charlie is a district leader, linked to 高自民.
- Dave is an administrator.
- Olivia has an account but no role (an outsider).
"""

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from django.test import TestCase

from projects import roles
from projects.choices import CheckpointKind, CheckpointStatus, ProgressStatus
from projects.models import Checkpoint, Instruction, ProgressUpdate, Project, ReformPlan
from units.models import Official, Unit

from .factories import PASSWORD, TODAY, make_instruction, make_user, report, set_checkpoint

__all__ = [
    "ARTICLE",
    "PASSWORD",
    "ROOT",
    "PlanTestCase",
    "PortfolioTestCase",
    "db_state",
    "make_user",
    "run_manage",
]

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "fixtures" / "sources" / "longgang_2017_article.txt").read_text(encoding="utf-8")


def run_manage(*args, **env):
    """``manage.py *args`` in a fresh interpreter, as an operator would start it: without
    the test run's switches (DEBUG, HTTPS, SECRET_KEY…) or a developer's .env file, with
    ``env`` added."""
    dropped = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(ENV_FILE=os.devnull, DJANGO_SETTINGS_MODULE="longgang_reform.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def db_state():
    """Every row a form or a plan load could touch, with all its values, and the sizes of
    the history tables: equal before and after means nothing was stored."""
    through = Project.participating_units.through
    tables = (ReformPlan, Project, through, Checkpoint, ProgressUpdate, Instruction, Unit, Official)
    state = {m._meta.label: list(m.objects.order_by("pk").values_list()) for m in tables}
    for model in (Project, Checkpoint, ProgressUpdate, Instruction):
        state[f"{model._meta.label} history"] = model.history.count()
    return state


class PlanTestCase(TestCase):
    """The real 2017 plan and the people above; Alice is signed in by default."""

    fixtures = ["plan_2017"]

    @classmethod
    def setUpTestData(cls):
        cls.fagai = Unit.objects.get(short_name="区发改局")
        cls.jiaoyu = Unit.objects.get(short_name="区教育局")
        cls.alice = make_user("alice", roles.REFORM_OFFICE)
        cls.bob = make_user("bob", roles.UNIT_LIAISON, unit=cls.fagai)
        cls.erin = make_user("erin", roles.UNIT_LIAISON, unit=cls.jiaoyu)
        cls.charlie = make_user(
            "charlie", roles.LEADERSHIP, official=Official.objects.get(name="高自民")
        )
        cls.dave = make_user("dave", roles.ADMINISTRATOR)
        cls.olivia = make_user("olivia")

    def setUp(self):
        self.client.force_login(self.alice)

    def bobs_report(self):
        """A progress report Bob wrote on project 2 (his unit leads it)."""
        project = Project.objects.get(plan__year=2017, number=2)
        return report(project, on=date(2017, 6, 1), summary="原来的进展", author=self.bob)

    def charlies_instruction(self):
        """An open instruction Charlie (高自民) wrote on project 2."""
        project = Project.objects.get(plan__year=2017, number=2)
        return make_instruction(
            project, "请落实", official=self.charlie.official, author=self.charlie
        )


class PortfolioTestCase(PlanTestCase):
    """The 2017 plan with a known state:
    - project 1: 正常 (reported 2 days ago), 方案关 passed, 实施关 passed
    - project 2: 预警 (5 days ago), 方案关 passed, 实施关 overdue (planned yesterday)
    - project 3: 滞后 (40 days ago → stale), 方案关 需整改 overdue; 区教育局 takes part
    - project 10: 正常 (1 day ago), 方案关 待审核
    - the other 7 never reported (stale)
    - two open instructions (projects 1, 2) and one done (project 3)
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.projects = {n: Project.objects.get(number=n) for n in (1, 2, 3, 10)}
        report(p[1], 9, ProgressStatus.WARNING, 10, "旧的报告")
        report(p[1], 2, ProgressStatus.ON_TRACK, 30, "完成试点方案")
        report(p[2], 5, ProgressStatus.WARNING, 20, "标准起草中")
        report(p[3], 40, ProgressStatus.DELAYED, 5, "网格划分滞后")
        report(p[10], 1, ProgressStatus.ON_TRACK, 15, '=HYPERLINK("x")')
        plan, implementation = CheckpointKind.PLAN, CheckpointKind.IMPLEMENTATION
        set_checkpoint(p[1], plan, CheckpointStatus.PASSED)
        set_checkpoint(p[1], implementation, CheckpointStatus.PASSED)
        set_checkpoint(p[2], plan, CheckpointStatus.PASSED)
        yesterday = TODAY - timedelta(days=1)
        set_checkpoint(p[2], implementation, CheckpointStatus.IN_PROGRESS, yesterday)
        set_checkpoint(p[3], plan, CheckpointStatus.REWORK, TODAY - timedelta(days=10))
        set_checkpoint(p[10], plan, CheckpointStatus.SUBMITTED, TODAY + timedelta(days=10))
        make_instruction(p[1], "加快试点", official=p[1].lead_official)
        make_instruction(p[2], "月底前完成标准")
        make_instruction(p[3], "已阅", done_on=TODAY)
        p[3].participating_units.add(cls.jiaoyu)
