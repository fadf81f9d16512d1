"""The intake's pieces on other apps' pages, so ``projects`` never imports ``intake``:
``{% plan_funnel plan %}`` on the plan page, ``{% project_origin project %}`` on a project
page, ``{% intake_nav %}`` in the header; and the intake's badges. Output is escaped."""

from dataclasses import dataclass

from django import template
from django.db.models import OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from projects.choices import punct

from ..choices import Disposition, ProposalStatus, PublicStatus, Recommendation, Record
from ..models import MOVES, Proposal
from ..querysets import count_of, funnel_figures
from ..roles import is_outside_expert

register = template.Library()

KINDS = {
    "proposal": ProposalStatus,
    "recommendation": Recommendation,
    "disposition": Disposition,
    "public": PublicStatus,
}


@register.simple_tag
def intake_badge(value, kind="proposal"):
    """A status as colour, icon and text (all from ``intake.choices``)."""
    choice = KINDS[kind](value)
    return format_html(
        '<span class="badge {}"><span class="badge-icon" aria-hidden="true">{}</span>{}</span>',
        choice.css_class,
        choice.icon,
        choice.label,
    )


@register.filter
def intake_reason(reason):
    """A history row's stored reason (in Chinese) in the reader's language: the record
    label translated, what the user wrote after it kept as written."""
    reason = reason or ""
    labels = Record.LABELS | {m.record_label: m.label for m in MOVES.values()}
    label, colon, rest = reason.partition("：")
    if label not in labels:
        return reason or "—"
    return f"{labels[label]}{punct('colon')}{rest}" if colon else str(labels[label])


@dataclass
class Stage:
    label: str
    count: int
    css_class: str
    width: float = 0.0


def _stages(*stages):
    """Bars of one funnel, each as wide as its share of the first."""
    top = max(stages[0].count, 1)
    for stage in stages:
        stage.width = round(100 * stage.count / top, 1)
    return list(stages)


@register.inclusion_tag("intake/_funnel.html")
def plan_funnel(plan):
    """From proposals to the plan: items counted (one query) and, when the plan records
    totals known only as figures (2017), those, marked as totals from the source."""
    f = funnel_figures(plan)
    items = f["calls"] > 0 or f["suggestions"] > 0
    recorded = plan.recorded_proposals is not None or plan.recorded_suggestions is not None
    context = {"plan": plan, "items": items, "recorded": recorded, "has_call": f["calls"] > 0}
    if items:
        context["proposals"] = _stages(
            Stage(_("收到项目建议"), f["received"], "proposal-submitted"),
            Stage(_("完成专家评审"), f["reviewed"], "proposal-in_review"),
            Stage(_("入选"), f["selected"], "proposal-selected"),
        )
        context["suggestions"] = _stages(
            Stage(_("收到群众需求、建议"), f["suggestions"], "proposal-submitted"),
            Stage(_("关联到入选项目"), f["linked"], "proposal-selected"),
        )
    if recorded:
        context["recorded_proposals"] = _stages(
            Stage(_("征集改革项目"), plan.recorded_proposals or 0, "funnel-recorded"),
            Stage(_("确定重点改革项目"), f["district_projects"], "funnel-recorded"),
        )
        context["recorded_suggestions"] = _stages(
            Stage(_("群众改革需求、建议"), plan.recorded_suggestions or 0, "funnel-recorded"),
        )
    return context


@register.inclusion_tag("intake/_origin.html", takes_context=True)
def project_origin(context, project):
    """Where a project came from: its proposal and the public suggestions behind it (one
    query); nothing for a project that did not come through the intake."""
    through = Proposal.suggestions.through.objects.filter(proposal=OuterRef("pk"))
    proposal = (
        Proposal.objects.filter(project_id=project.pk)
        .select_related("unit", "call__plan")
        .annotate(suggestion_count=count_of(through))
        .first()
    )
    user = context["request"].user
    return {"proposal": proposal, "readable": bool(proposal) and proposal.can_read(user)}


@register.simple_tag(takes_context=True)
def intake_nav(context):
    """The header's intake link: 我的评审 for an outside expert, 项目征集 for the roles that
    see calls, nothing otherwise."""
    user = context["request"].user
    if is_outside_expert(user):
        return format_html('<a href="{}">{}</a>', reverse("intake:review_list"), _("我的评审"))
    if user.has_perm("intake.view_call"):
        return format_html('<a href="{}">{}</a>', reverse("intake:call_list"), _("项目征集"))
    return ""
