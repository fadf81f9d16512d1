"""The ledger (改革台账): the filtered project list as .xlsx or CSV, one row per project.

Built for thousands of rows: labels are looked up once per export, not once per cell, and
the workbook is written with XlsxWriter, in about half the time openpyxl's write-only mode
took (openpyxl still reads workbooks: the plan import).

The .xlsx opens with a title row (plan, export time, the filters in words), then the
header row, repeated on every printed page of A4 landscape. The CSV starts with the header
row: it is the file for sorting, filtering and re-importing, where a title line would be
taken for data.
"""

import csv
import datetime
import io
import re

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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

TITLE_ROW, HEADER_ROW = 0, 1  # XlsxWriter counts rows and columns from 0
# Excel's limit for a page footer, in UTF-16 units; XlsxWriter drops a longer one
FOOTER_LIMIT = 255
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


def _title(workbook, sheet, plan, applied, last_column):
    """Line one, bold: the plan and 改革台账; line two: when, and with which filters; across
    the table, as high as two lines."""
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    details = "　".join(
        (
            _("导出时间：%(time)s") % {"time": exported},
            _("筛选条件：%(filters)s") % {"filters": filters_text(applied)},
        )
    )
    heading = f"{plan.title}　{_('改革台账')}"
    look = workbook.add_format({"text_wrap": True, "valign": "vcenter"})
    sheet.set_row(TITLE_ROW, 42)
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_column, "", look)
    bold = workbook.add_format({"bold": True, "font_size": 14})
    sheet.write_rich_string(TITLE_ROW, 0, bold, _text(heading), "\n" + _text(details), look)


def _footer(plan):
    """Left: the plan and 改革台账, shortened to Excel's limit if need be; right: the page
    number. "&" starts a code in headers and footers; "&&" prints one."""
    right = "&R" + _("第 &P 页，共 &N 页")
    title = plan.title
    while True:
        footer = "&L" + f"{title} {_('改革台账')}".replace("&", "&&") + right
        if len(footer.encode("utf-16-le")) // 2 <= FOOTER_LIMIT or not title:
            return footer
        title = title[:-1]


def _print_setup(sheet, plan):
    """A4 landscape, as wide as the page, the header row on every page, numbered."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # 0: as many pages high as needed
    sheet.repeat_rows(HEADER_ROW)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header("", {"margin": 0.3})
    sheet.set_footer(_footer(plan), {"margin": 0.3})


def _write_row(sheet, row, values, date_format):
    """Text always as text (``write_string``: never a formula or a link), without what XML
    cannot carry; numbers as numbers, dates as dates; nothing for None or ""."""
    write_string, write_number = sheet.write_string, sheet.write_number
    illegal = ILLEGAL_CHARACTERS_RE.sub
    for column, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if value:
                write_string(row, column, illegal("\ufffd", value))
        elif kind is int or kind is float:
            write_number(row, column, value)
        elif isinstance(value, datetime.date):  # and datetime
            sheet.write_datetime(row, column, value, date_format)
        elif value is not None:
            sheet.write(row, column, value)


def to_xlsx(projects, plan, applied=()):
    """The workbook; ``applied`` as in ``filters_text``."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        # in memory: no temporary files; and should anything reach write(), text stays text
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet(_("改革台账"))
    headers = _headers()
    last_column = len(headers) - 1
    for column, (_header, width) in enumerate(headers):
        # in pixels, 7 to a character of Calibri 11: the file says exactly ``width``, as
        # before (set_column would add 5 pixels of padding)
        sheet.set_column_pixels(column, column, 7 * width)
    sheet.freeze_panes(HEADER_ROW + 1, 2)  # the title and header rows, number and title
    _print_setup(sheet, plan)
    _title(workbook, sheet, plan, applied, last_column)
    header_format = workbook.add_format(
        {"bold": True, "bg_color": "#EEF1F4", "pattern": 1, "text_wrap": True, "valign": "top"}
    )
    iterator = rows(projects)
    for column, value in enumerate(next(iterator)):
        sheet.write_string(HEADER_ROW, column, value, header_format)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    row = HEADER_ROW
    for values in iterator:
        row += 1
        _write_row(sheet, row, values, date_format)
    sheet.autofilter(HEADER_ROW, 0, row, last_column)
    scoreboard.add_sheet(workbook, plan)  # 单位排名: the year's, whatever the filters
    workbook.set_properties({"title": f"{plan.title} {_('改革台账')}"})
    workbook.close()
    return buffer.getvalue()
