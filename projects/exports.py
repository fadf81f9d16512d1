"""The ledger (改革台账): the filtered project list as .xlsx or CSV, one row per project.

Built for thousands of rows: labels are looked up once per export, not once per cell, and
the workbook is written in openpyxl's streaming (write-only) mode.

The .xlsx opens with a title row (plan, export time, the filters in words), then the
header row, repeated on every printed page of A4 landscape. The CSV starts with the header
row: it is the file for sorting, filtering and re-importing, where a title line would be
taken for data.
"""

import csv
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from . import scoreboard
from .choices import (
    NOT_REPORTED_LABEL,
    CheckpointKind,
    CheckpointStatus,
    Domain,
    IssuingLevel,
    ProgressStatus,
    ProjectTier,
)

WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_ROW, HEADER_ROW = 1, 2
# what Windows, macOS and Linux refuse in a file name, and runs of blanks
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


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
        (_("项目类别"), 12),
        (_("部署层级"), 10),
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
        (_("拟解决的问题"), 48),
        (_("改革内容"), 48),
        (_("改革目标"), 48),
    ]


class LedgerRows:
    """Turns projects (from ``Project.objects.for_export()``) into ledger rows; labels are
    translated once here, not once per cell."""

    def __init__(self):
        self.domains = {k: str(v) for k, v in Domain.choices}
        self.tiers = {k: str(v) for k, v in ProjectTier.choices}
        self.levels = {k: str(v) for k, v in IssuingLevel.choices} | {"": ""}
        self.checkpoint_states = {k: str(v) for k, v in CheckpointStatus.choices}
        self.progress = {k: str(v) for k, v in ProgressStatus.choices}
        self.tbd = _("待定")
        self.not_reported = str(NOT_REPORTED_LABEL)

    def __call__(self, project):
        """``project``: a dict of ``Project.objects.ledger_records()``."""
        checkpoint_cells = []
        for kind in CheckpointKind.values:
            status, planned, passed = project["checkpoints"][kind]
            checkpoint_cells += [self.checkpoint_states[status], planned, passed]
        instructions = project["open_instructions"]
        official, unit = project["lead_official__name"], project["lead_unit__name"]
        return [
            formula_safe(value)
            for value in (
                project["number"],
                project["title"],
                self.domains.get(project["domain"], project["domain"]),
                self.tiers.get(project["tier"], project["tier"]),
                self.levels.get(project["issuing_level"], project["issuing_level"]),
                official if official is not None else self.tbd,
                unit if unit is not None else self.tbd,
                "、".join(project["units"]),
                *checkpoint_cells,
                project["current_reported_on"],
                project["newest_summary"] or "",
                self.progress.get(project["current_status"], self.not_reported),
                project["current_percent"],
                len(instructions),
                "\n".join(
                    f"{issued_on:%Y-%m-%d} {name or ''}：{text}"
                    for issued_on, name, text in instructions
                ),
                project["problem"],
                project["content"],
                project["goals"],
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
    for project in projects.ledger_records():
        yield to_row(project)


def filenames(plan, extension):
    """The file's name in the interface language (the plan's title as it is) and an ASCII
    one for clients that cannot read the other: (``龙岗区2017年改革计划_改革台账_20261127.xlsx``,
    ``2017_reform_ledger_20261127.xlsx``)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    title = UNSAFE_IN_NAMES.sub("_", plan.title).strip("._") or str(plan.year)
    word = pgettext("file name", "改革台账")
    return (
        f"{title}_{word}_{stamp}.{extension}",
        f"{plan.year}_reform_ledger_{stamp}.{extension}",
    )


def to_csv(projects):
    """UTF-8 with BOM so Excel and WPS open the Chinese text correctly; the header row
    first, so the file sorts, filters and re-imports as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in rows(projects):
        writer.writerow("" if v is None else v for v in values)
    return "\ufeff" + buffer.getvalue()


def filters_text(applied):
    """The filters in words: ``领域＝经济发展；进展状态＝滞后``, or 无. ``applied`` holds
    (label, chosen option) pairs, the option None for a switch (只看有逾期关口的)."""
    words = [
        label if value is None else _("%(label)s＝%(value)s") % {"label": label, "value": value}
        for label, value in applied
    ]
    return pgettext("between filters", "；").join(words) or _("无")


def _text(value):
    """Cell text: never a formula, nothing XML cannot carry (a control character typed
    into the keywords)."""
    return formula_safe(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))


def _title_cell(sheet, plan, applied):
    """Line one, bold: the plan and 改革台账; line two: when, and with which filters."""
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    details = "　".join(
        (
            _("导出时间：%(time)s") % {"time": exported},
            _("筛选条件：%(filters)s") % {"filters": filters_text(applied)},
        )
    )
    heading = f"{plan.title}　{_('改革台账')}"
    cell = WriteOnlyCell(
        sheet,
        value=CellRichText(
            TextBlock(InlineFont(b=True, sz=14), _text(heading)), "\n" + _text(details)
        ),
    )
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _print_setup(sheet, plan):
    """A4 landscape, as wide as the page, the header row on every page, numbered."""
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # 0: as many as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(
        left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3
    )
    # "&" starts a code in headers and footers; "&&" prints one
    sheet.oddFooter.left.text = f"{plan.title} {_('改革台账')}".replace("&", "&&")
    sheet.oddFooter.right.text = _("第 &P 页，共 &N 页")


def to_xlsx(projects, plan, applied=()):
    """The workbook; ``applied`` as in ``filters_text``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("改革台账"))
    headers = _headers()
    last_column = get_column_letter(len(headers))
    for position, (_header, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # the title and header rows, number and title
    _print_setup(sheet, plan)
    sheet.merged_cells.add(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    sheet.row_dimensions[TITLE_ROW].height = 42
    sheet.append([_title_cell(sheet, plan, applied)])
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
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + count}"
    scoreboard.add_sheet(workbook, plan)  # 单位排名: the year's, whatever the filters
    workbook.properties.title = f"{plan.title} {_('改革台账')}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
