"""The monthly reporting cycle: periods opened and closed by the reform office, reports
written by the units (draft, submit), accepted or returned by the office.

Each function refuses with PermissionDenied or ValidationError and then saves nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .choices import PeriodStatus, Record, ReportState
from .models import REPORT_STEPS, ProgressUpdate, ReportPeriod
from .versioning import save_with_version


def open_period(plan, user, period):
    """Open a report period (unsaved, with its dates and tiers) on ``plan``."""
    plan.require(user, "manage")
    if plan.is_closed:
        raise ValidationError(_("该年度计划已总结，不能再开启报告期。"))
    period.plan = plan
    period.opened_by = user
    period.status = PeriodStatus.OPEN
    period._change_reason = Record.PERIOD_OPENED
    period.save()
    return period


def close_period(period, user, expected_version):
    """Close a period: its reports are locked from now on."""
    period.require(user, "manage")
    if not period.is_open:
        raise ValidationError(_("该报告期已关闭。"))
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    save_with_version(period, expected_version, reason=Record.PERIOD_CLOSED)
    return period


def open_period_for(project, today=None):
    """The open period that covers ``project`` today (the newest if several), or None.
    A plan has a handful of periods: they are read and filtered here."""
    today = today or timezone.localdate()
    periods = ReportPeriod.objects.filter(
        plan_id=project.plan_id, status=PeriodStatus.OPEN, starts_on__lte=today
    ).order_by("-starts_on", "-pk")
    return next((p for p in periods if project.tier in (p.tiers or [])), None)


def reporting_unit(project, user):
    """The unit a report is written for: the writer's own (when it leads or takes part),
    else the lead unit (the office writing on a unit's behalf)."""
    if user.unit_id and user.unit_id in project._unit_ids():
        return user.unit
    return project.lead_unit


def write_report(project, user, report, *, submit=True, token=None):
    """A new report on ``project`` (an unsaved ProgressUpdate with its texts), joined to
    the open period covering the project; saved as a draft or submitted."""
    project.require(user, "report")
    report.period = open_period_for(project)
    report.unit = reporting_unit(project, user)
    if report.period is not None and report.unit is not None:
        taken = ProgressUpdate.objects.filter(
            period=report.period, project=project, unit=report.unit
        ).first()
        if taken is not None:
            raise ValidationError(
                _("本单位在%(period)s已填报这个项目的进展，请修改原报告。")
                % {"period": report.period.name}
            )
    report.state = ReportState.DRAFT
    if submit:
        _mark_submitted(report)
    try:
        return services.add_progress_report(project, user, report, token)
    except IntegrityError as exc:  # the same unit and period at the same moment
        raise ValidationError(_("本单位在该报告期已有这个项目的进展报告。")) from exc


def _mark_submitted(report):
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    due = report.period.due_on if report.period_id else None
    report.submitted_late = due is not None and timezone.localdate() > due


def move_report(report, user, action, note, expected_version):
    """Submit a draft or returned report (its unit), accept or return it (the office)."""
    step = REPORT_STEPS.get(action)
    if step is None:
        raise ValidationError(_("未知的操作。"))
    allowed = report.can_review(user) if step.by_office else report.can_edit(user)
    if not allowed:
        raise PermissionDenied(report.refusal("review" if step.by_office else "edit"))
    if report.state not in step.sources:
        raise ValidationError(
            _("报告当前状态为「%(state)s」，不能%(step)s。")
            % {"state": report.get_state_display(), "step": step.label}
        )
    if step.note_required and not note.strip():
        raise ValidationError(step.note_required)
    with transaction.atomic():
        if step.by_office:
            report.reviewed_by = user
            report.reviewed_at = timezone.now()
            report.review_note = note.strip()
        else:
            _mark_submitted(report)
        report.state = step.target
        label = step.record_label
        reason = f"{label}：{note.strip()}" if note.strip() else label
        save_with_version(report, expected_version, reason=reason[:100])
    return step
