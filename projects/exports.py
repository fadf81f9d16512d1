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

from .choices import NOT_REPORTED_LABEL, CheckpointKind, CheckpointStatus, Domain, ProgressStatus

WRAP = Alignment(wrap_text=True, vertical="top")


def _headers():
    """(header, column width) in ledger order."""
    checkpoints = []
    for kind in CheckpointKind:
        checkpoints += [
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
        *checkpoints,
        (_("最新进展日期"), 14),
        (_("最新进展"), 48),
        (_("进展状态"), 10),
        (_("完成进度（%）"), 10),
        (_("待落实批示数"), 10),
        (_("待落实批示"), 48),
    ]


class LedgerRows:
    """Turns projects (from ``Project.objects.for_export()``) into ledger rows; labels are
    translated once here, not once per cell."""

    def __init__(self):
        self.domains = {k: str(v) for k, v in Domain.choices}
        self.checkpoint_states = {k: str(v) for k, v in CheckpointStatus.choices}
        self.progress = {k: str(v) for k, v in ProgressStatus.choices}
        self.tbd = _("待定")
        self.not_reported = str(NOT_REPORTED_LABEL)

    def __call__(self, project):
        by_kind = {c.kind: c for c in project.checkpoints.all()}
        checkpoint_cells = []
        for kind in CheckpointKind.values:
            checkpoint = by_kind[kind]
            checkpoint_cells += [
                self.checkpoint_states[checkpoint.status],
                checkpoint.planned_date,
                checkpoint.passed_on,
            ]
        instructions = project.open_instructions
        return [
            formula_safe(value)
            for value in (
                project.number,
                project.title,
                self.domains.get(project.domain, project.domain),
                project.lead_official.name if project.lead_official else self.tbd,
                project.lead_unit.name if project.lead_unit else self.tbd,
                "、".join(u.name for u in project.participating_units.all()),
                *checkpoint_cells,
                project.newest_reported_on,
                project.newest_summary or "",
                self.progress.get(project.newest_status, self.not_reported),
                project.newest_percent,
                len(instructions),
                "\n".join(
                    f"{i.issued_on:%Y-%m-%d} {i.official.name if i.official else ''}：{i.text}"
                    for i in instructions
                ),
            )
        ]


def formula_safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(projects):
    yield [header for header, _width in _headers()]
    to_row = LedgerRows()
    for project in projects:
        yield to_row(project)


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
