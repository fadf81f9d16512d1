"""The ledger (改革台账): the filtered project list as .xlsx or CSV, one row per project."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import GateKind


def _columns():
    """(header, width, value-of-project) for each column, dates kept as dates."""
    gate_columns = []
    for kind in GateKind:
        gate_columns += [
            (
                _("%(gate)s状态") % {"gate": kind.label},
                10,
                lambda p, k=kind: _gate(p, k).get_status_display(),
            ),
            (
                _("%(gate)s计划完成日期") % {"gate": kind.label},
                14,
                lambda p, k=kind: _gate(p, k).planned_date,
            ),
            (
                _("%(gate)s通过日期") % {"gate": kind.label},
                14,
                lambda p, k=kind: _gate(p, k).passed_on,
            ),
        ]
    return [
        (_("序号"), 6, lambda p: p.number),
        (_("项目名称"), 36, lambda p: p.title),
        (_("领域"), 12, lambda p: p.get_domain_display()),
        (_("牵头区领导"), 12, lambda p: p.lead_official.name if p.lead_official else _("待定")),
        (_("牵头单位"), 16, lambda p: p.lead_unit.name if p.lead_unit else _("待定")),
        (_("参与单位"), 24, lambda p: "、".join(u.name for u in p.participating_units.all())),
        *gate_columns,
        (_("最新进展日期"), 14, lambda p: p.latest_reported_on),
        (_("最新进展"), 48, lambda p: p.latest_summary or ""),
        (_("进展状态"), 10, lambda p: p.latest_status_label or _("未报告")),
        (_("完成进度（%）"), 10, lambda p: p.latest_percent),
        (_("待落实批示数"), 10, lambda p: len(p.open_instructions)),
        (
            _("待落实批示"),
            48,
            lambda p: "\n".join(
                f"{i.issued_on:%Y-%m-%d} {i.official.name if i.official else ''}：{i.text}"
                for i in p.open_instructions
            ),
        ),
    ]


def _gate(project, kind):
    return next(c for c in project.checkpoints.all() if c.kind == kind)


def _safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(projects):
    columns = _columns()
    yield [header for header, _w, _f in columns]
    for project in projects:
        yield [_safe(value(project)) for _h, _w, value in columns]


def filename(plan, extension):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"{plan.year}_reform_ledger_{stamp}.{extension}"


def to_csv(projects):
    """UTF-8 with BOM so Excel and WPS open the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(projects):
        writer.writerow("" if v is None else v for v in row)
    return "\ufeff" + buffer.getvalue()


def to_xlsx(projects, plan):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("改革台账")
    columns = _columns()
    for index, row in enumerate(rows(projects), start=1):
        sheet.append(row)
        if index == 1:
            continue
        for cell in sheet[index]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    header_fill = PatternFill("solid", fgColor="EEF1F4")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for position, (_h, width, _f) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{plan.title} {_('改革台账')}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
