"""The ledger (改革台账): the filtered project list as .xlsx or CSV, one row per project.

Built for thousands of rows: labels are looked up once per export, not once per cell, and
the workbook is written in openpyxl's streaming (write-only) mode.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Domain, GateKind, GateStatus, ProgressStatus

WRAP = Alignment(wrap_text=True, vertical="top")


def _headers():
    """(header, column width) in ledger order."""
    gates = []
    for kind in GateKind:
        gates += [
            (_("%(gate)s状态") % {"gate": kind.label}, 10),
            (_("%(gate)s计划完成日期") % {"gate": kind.label}, 14),
            (_("%(gate)s通过日期") % {"gate": kind.label}, 14),
        ]
    return [
        (_("序号"), 6),
        (_("项目名称"), 36),
        (_("领域"), 12),
        (_("牵头区领导"), 12),
        (_("牵头单位"), 16),
        (_("参与单位"), 24),
        *gates,
        (_("最新进展日期"), 14),
        (_("最新进展"), 48),
        (_("进展状态"), 10),
        (_("完成进度（%）"), 10),
        (_("待落实批示数"), 10),
        (_("待落实批示"), 48),
    ]


class _Rows:
    """Turns projects (from ``Project.objects.for_export()``) into ledger rows."""

    def __init__(self):
        self.domains = {k: str(v) for k, v in Domain.choices}
        self.gate_states = {k: str(v) for k, v in GateStatus.choices}
        self.progress = {k: str(v) for k, v in ProgressStatus.choices}
        self.tbd = _("待定")
        self.not_reported = _("未报告")

    def __call__(self, project):
        gates = {c.kind: c for c in project.checkpoints.all()}
        gate_cells = []
        for kind in GateKind.values:
            gate = gates[kind]
            gate_cells += [self.gate_states[gate.status], gate.planned_date, gate.passed_on]
        instructions = project.open_instructions
        return [
            _safe(value)
            for value in (
                project.number,
                project.title,
                self.domains.get(project.domain, project.domain),
                project.lead_official.name if project.lead_official else self.tbd,
                project.lead_unit.name if project.lead_unit else self.tbd,
                "、".join(u.name for u in project.participating_units.all()),
                *gate_cells,
                project.latest_reported_on,
                project.latest_summary or "",
                self.progress.get(project.latest_status, self.not_reported),
                project.latest_percent,
                len(instructions),
                "\n".join(
                    f"{i.issued_on:%Y-%m-%d} {i.official.name if i.official else ''}：{i.text}"
                    for i in instructions
                ),
            )
        ]


def _safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(projects):
    yield [header for header, _width in _headers()]
    row = _Rows()
    for project in projects:
        yield row(project)


def filename(plan, extension):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"{plan.year}_reform_ledger_{stamp}.{extension}"


def to_csv(projects):
    """UTF-8 with BOM so Excel and WPS open the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in rows(projects):
        writer.writerow("" if v is None else v for v in values)
    return "\ufeff" + buffer.getvalue()


def to_xlsx(projects, plan):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("改革台账"))
    headers = _headers()
    for position, (_header, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "C2"
    fill, bold = PatternFill("solid", fgColor="EEF1F4"), Font(bold=True)
    iterator = rows(projects)
    header_cells = []
    for value in next(iterator):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font, cell.fill, cell.alignment = bold, fill, WRAP
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for values in iterator:
        sheet.append(values)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    workbook.properties.title = f"{plan.title} {_('改革台账')}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
