"""The 四个亲自 panel for pages whose views know nothing of it (the dashboard, a leader's
page): ``_leader_matrix.html`` asks for it here, so each of those pages includes it with
one line and its view is left alone."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from projects import leaders
from projects.choices import InstructionStatus
from projects.freshness import cached
from projects.models import Instruction, LeaderAction

register = template.Library()


@register.simple_tag(takes_context=True)
def leader_panel(context, plan=None, official=None):
    """What the panel shows: the plan's matrix (the office and the leaders only), or one
    leader's matrix by year with their instructions' counts; None: nothing to show."""
    user = context["request"].user
    if plan:
        if not leaders.sees_plan_matrix(user):
            return None
        return {
            "plan": plan,
            "matrix": cached(
                context["request"], "plan-matrix", [plan.pk], lambda: leaders.plan_matrix(plan)
            ),
            "can_record": leaders.new_action(user, plan).allows(user, "record"),
            "own": user.official_id,
        }
    if official and LeaderAction(official=official).allows(user, "read"):
        open_ = Q(status=InstructionStatus.OPEN)
        counts = Instruction.objects.filter(official=official).aggregate(
            **{s: Count("pk", filter=Q(status=s)) for s in InstructionStatus.values},
            overdue=Count("pk", filter=open_ & Q(due_on__lt=timezone.localdate())),
        )
        return {
            "official": official,
            "matrix": leaders.official_matrix(official),
            "instructions": counts,
        }
    return None
