"""The leaders' record (四个亲自): who may record an action, recording it, and the matrix
of leaders × the four kinds (how many, the latest date, and which kinds are still empty
late in the year).

The matrices cost two queries whatever the number of projects, officials and actions:
one counts the actions by leader (or plan) and kind, one finds the rows.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from units.models import Official

from .access import get_plan_for_user, get_project_for_user
from .choices import LeaderActionKind, ProjectStanding
from .models import LeaderAction, ReformPlan

DEFAULT_FLAG_FROM_MONTH = 10


def flag_from_month():
    """From this month of the plan's year, a kind still empty is flagged (settings'
    ``LEADER_FLAG_FROM_MONTH``, October unless set; kept within 1–12)."""
    month = getattr(settings, "LEADER_FLAG_FROM_MONTH", DEFAULT_FLAG_FROM_MONTH)
    try:
        return min(max(int(month), 1), 12)
    except (TypeError, ValueError):
        return DEFAULT_FLAG_FROM_MONTH


def flags_empty(year, today=None):
    """Whether an empty kind is flagged in ``year``'s plan today: from the flag month of
    that year on, so every kind still empty in a past year's plan is flagged."""
    today = today or timezone.localdate()
    return today >= date(year, flag_from_month(), 1)


@dataclass
class Cell:
    """One leader's actions of one kind: how many, the latest date (None when none has a
    date, like the 2017 fixture's meeting), and whether its emptiness is flagged."""

    kind: LeaderActionKind
    count: int = 0
    latest: date | None = None
    flagged: bool = False


@dataclass
class Row:
    """A matrix row: an official (on the plan's matrix) or a plan (on a leader's page)."""

    subject: object
    cells: list = field(default_factory=list)

    @property
    def total(self):
        return sum(cell.count for cell in self.cells)

    @property
    def flagged(self):
        return sum(cell.flagged for cell in self.cells)


@dataclass
class Matrix:
    rows: list
    kinds: tuple = tuple(LeaderActionKind)
    flag_month: int = DEFAULT_FLAG_FROM_MONTH

    def row_for(self, subject):
        return next((row for row in self.rows if row.subject == subject), None)


def _cells(counts, key, year, today):
    flagged = flags_empty(year, today)
    cells = []
    for kind in LeaderActionKind:
        count, latest = counts.get((key, kind.value), (0, None))
        cells.append(Cell(kind, count, latest, flagged=flagged and not count))
    return cells


def _counts(actions, key):
    """(key, kind) → (count, latest date), in one query."""
    rows = actions.values(key, "kind").annotate(n=Count("pk"), latest=Max("done_on")).order_by()
    return {(r[key], r["kind"]): (r["n"], r["latest"]) for r in rows}


def plan_matrix(plan, today=None):
    """The plan's leaders × the four kinds. The leaders are those leading one of its
    projects on the list and those with an action recorded in it, in the order of the
    first project each leads (then by name)."""
    counts = _counts(LeaderAction.objects.filter(plan=plan), "official")
    acted = {official_id for official_id, _kind in counts}
    leading = Q(led_projects__plan=plan) & ~Q(led_projects__standing=ProjectStanding.WITHDRAWN)
    officials = (
        Official.objects.annotate(first=Min("led_projects__number", filter=leading))
        .filter(Q(first__isnull=False) | Q(pk__in=acted))
        .order_by(F("first").asc(nulls_last=True), "name", "pk")
    )
    rows = [Row(o, _cells(counts, o.pk, plan.year, today)) for o in officials]
    return Matrix(rows, flag_month=flag_from_month())


def official_matrix(official, today=None):
    """One leader's four kinds in each plan they lead a project of or acted in, newest
    year first."""
    counts = _counts(LeaderAction.objects.filter(official=official), "plan")
    acted = {plan_id for plan_id, _kind in counts}
    plans = (
        ReformPlan.objects.filter(Q(projects__lead_official=official) | Q(pk__in=acted))
        .distinct()
        .order_by("-year")
    )
    rows = [Row(plan, _cells(counts, plan.pk, plan.year, today)) for plan in plans]
    return Matrix(rows, flag_month=flag_from_month())


def sees_plan_matrix(user):
    """The dashboard shows the matrix to those who record actions: the reform office
    and the leaders (not the units' liaisons)."""
    return user.has_perm("projects.add_leaderaction")


# Access (the style of ``access.py``) ---------------------------------------------------


def new_action(user, plan, project=None):
    """An unsaved action on ``plan`` (and ``project``), of the user's own leader if the
    account is linked to one (the reform office may choose another)."""
    return LeaderAction(plan=plan, project=project, official_id=user.official_id)


def get_new_action_for_user(request, year, number=None):
    """An unsaved action on the ``year`` plan (and its project ``number``) for the user to
    record: the reform office for any leader, a leader linked to an official for
    themself; 404 for no such plan or project, 403 for anyone else."""
    if number is None:
        plan, project = get_plan_for_user(request, year), None
    else:
        project = get_project_for_user(request, year, number)
        plan = project.plan
    action = new_action(request.user, plan, project)
    action.require(request.user, "record")
    return action


def get_actions_plan_for_user(request, year):
    """The ``year`` plan whose leaders' record the user reads."""
    plan = get_plan_for_user(request, year)
    LeaderAction(plan=plan).require(request.user, "read")
    return plan


# Recording -----------------------------------------------------------------------------


def record_action(action, user, units=()):
    """Save a new action (unsaved, from the form) with the units present: the leader
    must be the user's own unless the user is the reform office."""
    action.require(user, "record")
    action.recorded_by = user
    with transaction.atomic():
        action.save()
        action.units.set(units)
    return action


def listed(queryset):
    """Actions with what their lists show (leader, meeting, project, who recorded)."""
    return queryset.select_related("official", "meeting", "project__plan", "recorded_by")


def with_units(actions, links):
    """``actions`` (a list) each with ``present_units`` from ``links`` (rows of the
    action–unit table, e.g. ``unit_links(leaderaction__plan=…)``): one query, always."""
    actions = list(actions)
    by_action = {}
    for link in links.select_related("unit").order_by("unit__kind", "unit__name"):
        by_action.setdefault(link.leaderaction_id, []).append(link.unit)
    for action in actions:
        action.present_units = by_action.get(action.pk, [])
    return actions


def unit_links(**filters):
    """Rows of the action–unit table, filtered."""
    return LeaderAction.units.through.objects.filter(**filters)
