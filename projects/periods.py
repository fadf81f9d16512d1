"""A report period's state: which covered project owes a report, which came in on time,
late or not at all, and what the office still has to accept. One query for the reports,
one for the projects, whatever their number."""

from dataclasses import dataclass, field

from django.utils import timezone

from .choices import ReportState
from .models import ProgressUpdate


@dataclass
class Owed:
    """A covered project and its lead unit's report for the period (None: not yet)."""

    project: object
    report: object = None
    others: list = field(default_factory=list)  # participating units' reports

    @property
    def missing(self):
        return self.report is None or self.report.state == ReportState.DRAFT


@dataclass
class PeriodState:
    rows: list
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    to_accept: int = 0
    returned: int = 0
    past_due: bool = False


def period_state(period, today=None):
    """Every covered project with its reports, and the period's figures."""
    today = today or timezone.localdate()
    projects = list(
        period.covered_projects().select_related("lead_unit", "lead_official").order_by("number")
    )
    reports = ProgressUpdate.objects.filter(period=period).select_related("unit", "author")
    by_project = {}
    for report in reports:
        by_project.setdefault(report.project_id, []).append(report)
    state = PeriodState(rows=[], past_due=today > period.due_on)
    for project in projects:
        mine = by_project.get(project.pk, [])
        lead = next((r for r in mine if r.unit_id == project.lead_unit_id), None)
        row = Owed(project, lead, [r for r in mine if r is not lead])
        state.rows.append(row)
        state.due += 1
        if row.missing:
            state.missing += 1
            continue
        if lead.submitted_late:
            state.late += 1
        else:
            state.on_time += 1
        state.to_accept += lead.state == ReportState.SUBMITTED
        state.returned += lead.state == ReportState.RETURNED
    return state
