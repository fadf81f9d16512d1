"""待办: what waits on each person, by role, and the header's count.

- A liaison (their unit): reports due in open periods on projects the unit leads (missing,
  a draft or returned), other returned reports, checkpoints to submit, instructions to
  follow up.
- The reform office: reports to accept, checkpoints to review, late units to chase (open
  periods past their due date with reports missing).
- A leader (their official record): the 督办 items of the projects they lead, and the
  instructions they wrote that are not yet carried out.

Each section is one query (the periods are read once); the count is one query whatever
the roles, the same filters counted in SQL.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, F, Func, IntegerField, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.choices import PeriodStatus, ReportState
from projects.models import Checkpoint, Instruction, ProgressUpdate

from .items import (
    checkpoint_items,
    checkpoints_query,
    escalated_parts,
    instruction_items,
    instructions_query,
    live,
    open_periods,
    owed_reports,
    owed_reports_query,
    periods_of_request,
)
from .models import Reminder

LIMIT = 50  # rows shown per section; the section says how many more there are


@dataclass
class Section:
    """One list of the to-do page."""

    name: str
    title: Promise
    rows: list
    total: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def more(self):
        return max(self.total - len(self.rows), 0)


def roles_of(user):
    """Which to-do sections the user has (in page order)."""
    names = []
    if user.unit_id and user.has_perm("projects.report_unit_progress"):
        names += ["reports", "returned", "checkpoints", "instructions"]
    if user.has_perm("projects.change_progressupdate"):
        names.append("to_accept")
    if user.has_perm("projects.review_checkpoint"):
        names.append("to_review")
    if Reminder.may_chase(user):
        names.append("late_units")
    if user.official_id:
        names += ["escalated", "my_instructions"]
    return names


def _returned(user):
    """Returned reports of the unit that are not a period report it owes as lead unit."""
    in_open_period = Q(period__status=PeriodStatus.OPEN) & ~Q(project__lead_unit=user.unit_id)
    return ProgressUpdate.objects.filter(
        live("project__"),
        Q(period__isnull=True) | in_open_period,
        state=ReportState.RETURNED,
        unit=user.unit_id,
    )


def _to_accept():
    return ProgressUpdate.objects.filter(live("project__"), state=ReportState.SUBMITTED)


def _to_review():
    return Checkpoint.objects.filter(live("project__"), status="submitted")


def _my_instructions(user):
    return Instruction.objects.open().filter(
        live("project__"), Q(author=user) | Q(official=user.official_id)
    )


def _count(queryset):
    """COUNT(*) of ``queryset`` as a subquery (no GROUP BY: one row)."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted[:1]), Value(0), output_field=IntegerField())


def _any(queryset):
    return Case(When(Exists(queryset), then=Value(1)), default=Value(0))


def _past_due(periods, today):
    return [p for p in periods if p.due_on < today]


def _expressions(user, names, today, periods):
    """The count of each section, as SQL expressions."""
    unit, official = user.unit_id, user.official_id
    exprs = {}
    if "reports" in names:
        exprs.update(
            {f"reports__{p.pk}": _count(owed_reports_query(p, lead_unit=unit)) for p in periods}
        )
        exprs["returned"] = _count(_returned(user))
        exprs["checkpoints"] = _count(checkpoints_query(today, lead_unit=unit))
        exprs["instructions"] = _count(instructions_query(lead_unit=unit))
    if "to_accept" in names:
        exprs["to_accept"] = _count(_to_accept())
    if "to_review" in names:
        exprs["to_review"] = _count(_to_review())
    if "late_units" in names:
        late = _past_due(periods, today)
        exprs.update({f"late_units__{p.pk}": _any(owed_reports_query(p)) for p in late})
    if "escalated" in names:
        late, checkpoints, instructions = escalated_parts(today, periods, lead_official=official)
        exprs.update(
            {
                f"escalated__{p.pk}": _count(owed_reports_query(p, lead_official=official))
                for p in late
            }
        )
        exprs["escalated__checkpoints"] = _count(checkpoints)
        exprs["escalated__instructions"] = _count(instructions)
        exprs["my_instructions"] = _count(_my_instructions(user))
    return exprs


def _totals(user, names, today, periods):
    """{section: number of items}, every count in one query."""
    totals = {name: 0 for name in names}
    exprs = _expressions(user, names, today, periods)
    if exprs:
        row = get_user_model().objects.filter(pk=user.pk).values(**exprs).get()
        for key, value in row.items():
            totals[key.split("__")[0]] += value
    return totals


def counts(user, today=None, periods=None):
    """{section: number of items} for the user's sections: two queries (the open periods,
    unless given, then every count in one), none for a user without sections."""
    names = roles_of(user)
    if not names:
        return {}
    today = today or timezone.localdate()
    periods = open_periods(today) if periods is None else periods
    return _totals(user, names, today, periods)


def count(request):
    """The header's number: every item on the user's to-do page."""
    if not roles_of(request.user):
        return 0
    return sum(counts(request.user, periods=periods_of_request(request)).values())


def sections(request, today=None):
    """The to-do page's sections with their rows (at most LIMIT each) and totals, and the
    sum of the totals (the header's count)."""
    user = request.user
    names = roles_of(user)
    if not names:
        return [], 0
    today = today or timezone.localdate()
    periods = periods_of_request(request, today)
    totals = _totals(user, names, today, periods)
    built = [_section(name, user, today, periods) for name in names]
    for section in built:
        section.total = totals[section.name]
    return built, sum(totals.values())


TITLES = {
    "reports": _("应报的进展报告"),
    "returned": _("退回修改的报告"),
    "checkpoints": _("待报审的关口"),
    "instructions": _("待落实的领导批示"),
    "to_accept": _("待采纳的进展报告"),
    "to_review": _("待审核的关口"),
    "late_units": _("逾期未报的单位"),
    "escalated": _("督办事项"),
    "my_instructions": _("我的批示（待落实）"),
}


def _section(name, user, today, periods):
    unit, official = user.unit_id, user.official_id
    if name == "reports":
        rows = owed_reports(periods, lead_unit=unit)
    elif name == "returned":
        rows = list(_returned(user).select_related("project__plan", "period")[:LIMIT])
    elif name == "checkpoints":
        ordered = checkpoints_query(today, lead_unit=unit).order_by(
            F("planned_date").asc(nulls_last=True), "project__number"
        )
        rows = checkpoint_items(ordered[:LIMIT])
    elif name == "instructions":
        rows = instruction_items(instructions_query(lead_unit=unit).order_by("issued_on")[:LIMIT])
    elif name == "to_accept":
        rows = list(
            _to_accept()
            .select_related("project__plan", "unit", "period", "author")
            .order_by("submitted_at", "reported_on", "pk")[:LIMIT]
        )
    elif name == "to_review":
        rows = list(
            _to_review()
            .select_related("project__plan", "project__lead_unit")
            .order_by("pk")[:LIMIT]
        )
    elif name == "late_units":
        rows = _late_units(_past_due(periods, today))
    elif name == "escalated":
        from .items import escalated

        rows = escalated(today, periods=periods, lead_official=official)
    else:
        rows = list(
            _my_instructions(user)
            .select_related("project__plan", "project__lead_unit", "official")
            .order_by("issued_on")[:LIMIT]
        )
    return Section(name, TITLES[name], rows[:LIMIT])


@dataclass
class LatePeriod:
    """An open period past its due date and the units whose reports are missing."""

    period: object
    items: list

    @property
    def units(self):
        seen = {}
        for item in self.items:
            seen.setdefault(item.unit.pk, item.unit)
        return list(seen.values())


def _late_units(periods):
    by_period = {}
    for item in owed_reports(periods):
        by_period.setdefault(item.period.pk, []).append(item)
    return [LatePeriod(p, by_period[p.pk]) for p in periods if p.pk in by_period]


def received(user, items):
    """{item key: (how many reminders the user got in-app, the last day)}: one query."""
    keys = [item.key for item in items]
    if not keys:
        return {}
    from django.db.models import Count, Max

    rows = (
        Reminder.objects.filter(recipient=user, channel="in_app", item__in=keys)
        .values("item")
        .annotate(n=Count("pk"), last=Max("day"))
        .order_by()
    )
    return {row["item"]: (row["n"], row["last"]) for row in rows}
