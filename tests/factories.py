"""Test data in one line each: plans, projects, progress reports, checkpoints in a given
state, leaders' instructions and a user per role.

Plain functions over the ORM (``create``/``save``), so signals and change history run as
they do in the app: a new project gets its three checkpoints, every row its history. A
plan of hundreds of projects comes from the app's own generator (``generate_plan``), which
bulk-writes rows without history, as ``manage.py generate_portfolio`` does.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models import Max
from django.utils import timezone

from projects import roles
from projects.choices import CheckpointStatus, Domain, InstructionStatus, ProgressStatus
from projects.management.commands.generate_portfolio import (
    PortfolioGenerator,
    ensure_units,
    free_years,
)
from projects.models import Instruction, ProgressUpdate, Project, ReformPlan
from projects.planforms import ProjectForm
from units.models import User

TODAY = timezone.localdate()
PASSWORD = "correct-horse-battery-staple"


def make_user(username, role=None, *, unit=None, official=None, staff=None):
    """A user in ``role`` (one of ``projects.roles``; None: no role at all), with the
    password PASSWORD. Administrators are staff (the admin site needs it) unless told."""
    if staff is None:
        staff = role == roles.ADMINISTRATOR
    user = User.objects.create_user(
        username, password=PASSWORD, unit=unit, official=official, is_staff=staff
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_plan(year=2099, title=None, *, projects=0, synthetic=False, **fields):
    """A year's plan with ``projects`` projects numbered from 1 (each with its three
    checkpoints, not started)."""
    plan = ReformPlan.objects.create(
        year=year, title=title or f"龙岗区{year}年改革计划", synthetic=synthetic, **fields
    )
    for number in range(1, projects + 1):
        make_project(plan, number)
    return plan


def make_project(
    plan,
    number=None,
    title=None,
    *,
    domain=Domain.URBAN,
    lead_official=None,
    lead_unit=None,
    units=(),
    **fields,
):
    """A project of ``plan`` (by default numbered after its last one), led by
    ``lead_official`` and ``lead_unit``, with ``units`` taking part."""
    if number is None:
        number = (plan.projects.aggregate(last=Max("number"))["last"] or 0) + 1
    project = Project.objects.create(
        plan=plan,
        number=number,
        title=title or f"项目{number}",
        domain=domain,
        lead_official=lead_official,
        lead_unit=lead_unit,
        **fields,
    )
    if units:
        project.participating_units.add(*units)
    return project


def generate_plan(projects, *, updates_per_project=2, seed=2017, year=None):
    """A synthetic plan of ``projects`` projects written by the app's PortfolioGenerator
    (the engine of ``manage.py generate_portfolio``): leads, participating units, the three
    checkpoints in a realistic mix, progress reports and instructions. Same seed, same
    data."""
    year = year or free_years(1)[0]
    ensure_units()
    generator = PortfolioGenerator(
        random.Random(seed),  # noqa: S311 - test data, not security
        projects=projects,
        updates_per_project=updates_per_project,
    )
    generator.generate(year)
    return ReformPlan.objects.get(year=year)


def report(
    project,
    days_ago=0,
    status=ProgressStatus.ON_TRACK,
    percent=10,
    summary="进展",
    author=None,
    *,
    on=None,
    **fields,
):
    """A progress report on ``project``, dated ``days_ago`` days back (or ``on`` a date)."""
    return ProgressUpdate.objects.create(
        project=project,
        reported_on=on or TODAY - timedelta(days=days_ago),
        status=status,
        percent_complete=percent,
        summary=summary,
        author=author,
        **fields,
    )


def set_checkpoint(project, kind, status, planned=None, passed_on=None, **fields):
    """Put one of ``project``'s checkpoints straight into ``status`` (no rules, no version
    change), with the planned date ``planned``. The database wants a date passed exactly
    when passed: three days ago unless ``passed_on`` says otherwise."""
    passed = status == CheckpointStatus.PASSED
    if passed_on is not None and not passed:
        raise ValueError("only a passed checkpoint has a date passed")
    checkpoint = project.checkpoints.get(kind=kind)
    checkpoint.status = status
    checkpoint.planned_date = planned
    checkpoint.passed_on = (passed_on or TODAY - timedelta(days=3)) if passed else None
    for name, value in fields.items():
        setattr(checkpoint, name, value)
    checkpoint.save()
    return checkpoint


def make_instruction(
    project, text="请加快推进", *, official=None, author=None, done_on=None, follow_up="已落实"
):
    """A leader's instruction on ``project``: open, or carried out on ``done_on``."""
    done = {}
    if done_on is not None:
        done = {
            "status": InstructionStatus.DONE,
            "follow_up": follow_up,
            "followed_up_on": done_on,
        }
    return Instruction.objects.create(
        project=project, text=text, official=official, author=author, **done
    )


def progress_form(**overrides):
    """What the progress form posts: a valid report dated today, with ``overrides``."""
    return {
        "reported_on": TODAY.isoformat(),
        "status": ProgressStatus.ON_TRACK,
        "percent_complete": "40",
        "summary": "完成方案起草并征求意见",
        "next_steps": "",
        "problems": "",
        "coordination_needed": "",
        **overrides,
    }


ADJUSTMENT_REASON = "按领导小组会议要求调整"


def project_form(project, **overrides):
    """What the project edit form posts: ``project`` as stored, at its version, with
    ``overrides``, and a reason for the change (an approved plan's projects change only
    with one: 计划调整)."""
    initial = ProjectForm(instance=project).initial
    data = {name: value for name, value in initial.items() if value is not None}
    data["participating_units"] = [unit.pk for unit in project.participating_units.all()]
    data["version"] = project.version
    data["reason"] = ADJUSTMENT_REASON
    return data | overrides
