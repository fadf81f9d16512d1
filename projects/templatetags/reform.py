"""Small, hot template pieces as tags: the matrix draws six of them per project row, and
a tag is several times cheaper than an ``{% include %}``. Output is escaped by format_html.
Labels, icons and CSS classes all come from ``projects.choices``."""

from functools import cache
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.choices import (
    OVERDUE_LABEL,
    OVERDUE_LOOK,
    CheckpointStatus,
    InstructionStatus,
    PeriodStatus,
    PlanStatus,
    ProgressStatus,
    ProjectStanding,
    ReportState,
    punct,
)
from projects.display import field_display, value_display
from projects.history import reason_display

register = template.Library()


@cache
def _labels(language):
    """Translated labels, looked up once per language instead of once per cell."""
    return {
        "checkpoint": {k: str(v) for k, v in CheckpointStatus.choices},
        "progress": {k: str(v) for k, v in ProgressStatus.choices},
        "instruction": {k: str(v) for k, v in InstructionStatus.choices},
        "plan": {k: str(v) for k, v in PlanStatus.choices},
        "standing": {k: str(v) for k, v in ProjectStanding.choices},
        "period": {k: str(v) for k, v in PeriodStatus.choices},
        "report": {k: str(v) for k, v in ReportState.choices},
        "overdue": str(OVERDUE_LABEL),
        "tbd": _("待定"),
        "not_reported": _("未报告"),
    }


def labels():
    return _labels(get_language())


def _badge(choice, label):
    return format_html(
        '<span class="badge {}"><span class="badge-icon" aria-hidden="true">{}</span>{}</span>',
        choice.css_class,
        choice.icon,
        label,
    )


@register.simple_tag
def checkpoint_badge(checkpoint):
    """A checkpoint's status as colour, icon and text; 逾期 added when overdue."""
    status = CheckpointStatus(checkpoint.status)
    badge = _badge(status, labels()["checkpoint"][status])
    if checkpoint.is_overdue:
        badge = format_html("{} {}", badge, _badge(OVERDUE_LOOK, labels()["overdue"]))
    return badge


@register.simple_tag
def status_badge(status, kind="checkpoint"):
    """Any stored status (a checkpoint's, a progress report's or an instruction's)."""
    choice = {
        "checkpoint": CheckpointStatus,
        "progress": ProgressStatus,
        "instruction": InstructionStatus,
        "plan": PlanStatus,
        "standing": ProjectStanding,
        "period": PeriodStatus,
        "report": ReportState,
    }[kind](status)
    return _badge(choice, labels()[kind][choice])


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
        link += format_html(
            '<span class="muted small">{}{}{}</span>',
            punct("open"),
            official.position,
            punct("close"),
        )
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
def current_progress(project):
    """The newest report's status and percent (from ``with_current_status`` when there)."""
    current = project.current
    if not current.status:
        return format_html('<span class="muted">{}</span>', labels()["not_reported"])
    status = ProgressStatus(current.status)
    badge = _badge(status, labels()["progress"][status])
    return badge + format_html(' <span class="small">{}%</span>', current.percent)


@register.simple_tag
def plan_url(name, plan, query=None, **params):
    """A link to the page ``name`` for ``plan``'s year, with more query parameters given as
    keywords or as a dict ``query``:
    ``{% plan_url 'project_list' plan status='delayed' %}`` → /projects/?year=2017&status=…"""
    query = urlencode({"year": plan.year, **(query or {}), **params})
    return f"{reverse(name)}?{query}"


@register.simple_tag
def stored_values(instance, fields):
    """(label, value) of ``instance``'s fields: those of a form (``version`` aside) or a
    space-separated list of names, for the conflict box."""
    names = fields.split() if isinstance(fields, str) else list(fields.fields)
    return [
        (instance._meta.get_field(name).verbose_name, field_display(instance, name))
        for name in names
        if name != "version"
    ]


@register.simple_tag
def conflict_values(instance, conflict):
    """(stored, yours) of a FieldConflict, as a reader would say them."""
    return (
        value_display(instance, conflict.name, conflict.stored),
        value_display(instance, conflict.name, conflict.yours),
    )


@register.filter
def record_reason(reason):
    """A history row's stored reason, in the reader's language."""
    return reason_display(reason)


@register.simple_tag(name="punct")
def punctuation(name):
    """A punctuation mark in the interface language: {% punct "colon" %} is ：or ": "."""
    return punct(name)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    return mapping.get(key) if mapping else None


@register.filter
def minutes(duration):
    """A timedelta as whole minutes (for the sign-in lockout message)."""
    return int(duration.total_seconds() // 60) if duration else 0
