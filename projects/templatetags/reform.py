"""Small, hot template pieces as tags: the matrix draws six of them per project row, and
a tag is several times cheaper than an ``{% include %}``. Output is escaped by format_html."""

from functools import cache

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.models import GateStatus, ProgressStatus

register = template.Library()


@cache
def _labels(language):
    """Translated labels, looked up once per language instead of once per cell."""
    return {
        "gate": {k: str(v) for k, v in GateStatus.choices},
        "progress": {k: str(v) for k, v in ProgressStatus.choices},
        "overdue": _("逾期"),
        "tbd": _("待定"),
        "not_reported": _("未报告"),
    }


def labels():
    return _labels(get_language())


GATE_ICONS = {
    GateStatus.NOT_STARTED: "○",
    GateStatus.IN_PROGRESS: "▶",
    GateStatus.SUBMITTED: "…",
    GateStatus.PASSED: "✓",
    GateStatus.REWORK: "!",
}


@register.simple_tag
def gate_badge(checkpoint):
    """Status as colour, icon and text; 逾期 added when overdue."""
    text = labels()
    badge = format_html(
        '<span class="badge gate-{}"><span class="badge-icon" aria-hidden="true">{}</span>'
        "{}</span>",
        checkpoint.status,
        GATE_ICONS.get(checkpoint.status, "○"),
        text["gate"].get(checkpoint.status, checkpoint.status),
    )
    if checkpoint.is_overdue:
        badge += format_html(
            ' <span class="badge overdue"><span class="badge-icon" aria-hidden="true">!</span>'
            "{}</span>",
            text["overdue"],
        )
    return badge


@register.simple_tag
def lead_official(project, show_position=False):
    official = project.lead_official
    if official is None:
        return format_html('<span class="tbd">{}</span>', labels()["tbd"])
    link = format_html(
        '<a class="cell-link" href="{}">{}</a>',
        reverse("official_detail", args=[official.pk]),
        official.name,
    )
    if show_position:
        link += format_html('<span class="muted small">（{}）</span>', official.position)
    return link


@register.simple_tag
def lead_unit(project):
    unit = project.lead_unit
    if unit is None:
        return format_html('<span class="tbd">{}</span>', labels()["tbd"])
    return format_html(
        '<a class="cell-link" href="{}">{}</a>', reverse("unit_detail", args=[unit.pk]), unit
    )


@register.simple_tag
def latest_progress(project):
    """The newest report's status and percent (needs ``with_latest_progress``)."""
    status = getattr(project, "latest_status", None)
    if not status:
        return format_html('<span class="muted">{}</span>', labels()["not_reported"])
    return format_html(
        '<span class="badge progress-{}">{}</span> <span class="small">{}%</span>',
        status,
        labels()["progress"].get(status, status),
        project.latest_percent,
    )


@register.filter
def minutes(duration):
    """A timedelta as whole minutes (for the sign-in lockout message)."""
    return int(duration.total_seconds() // 60) if duration else 0
