"""Importing a plan's projects from Excel, part one: reading and checking the file.

The office uploads an .xlsx: the app's own ledger (改革台账), exported, edited in Excel or
WPS and loaded back, or the blank template filled in. Every byte is distrusted, and the
checks run in this order, each refusing the whole file with a reason in Chinese:

1. the container (``check_container``): at most 10 MB, a zip holding ``xl/workbook.xml``,
   and its directory's uncompressed sizes at most 100 MB in all and 100 times their
   compressed size (a zip bomb), before openpyxl opens anything;
2. the sheet (``read_import_file``): read once, in read-only mode, values only; formulas
   are never evaluated (their cached values are taken, a formula without one is an error
   naming the cell); the header row is found among the first rows by its known names in
   Chinese or English (so the ledger's title row is skipped), must hold 序号 and 项目名称
   and no merged cells; at most 5,000 rows of data;
3. each cell (``planimport_columns``): numbers, labels (领域, 项目类别, 部署层级 in either
   language), dates, text lengths; the problems are collected row by row and column by
   column, not raised.

``planimport_compare`` then sets the rows against the plan (the preview) and
``planimport_apply`` writes them.
"""

import io
import logging
import warnings
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from .choices import is_chinese, punct
from .planimport_columns import BY_KEY, COLUMNS, READERS, CellProblem, header_keys, normal

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # the uploaded file
MAX_UNZIPPED = 100 * 1024 * 1024  # all its parts, uncompressed
MAX_RATIO = 100  # uncompressed : compressed, for any part over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 1000
MAX_ROWS = 5000  # rows of data
MAX_SHEET_ROWS = 20_000  # rows the sheet may hold in all, empty ones included
HEADER_SEARCH = 10  # the header row is one of the sheet's first rows


@dataclass
class RowError:
    """A problem found in the file: by row and column when it has them."""

    line: int
    column: str
    message: str

    def __str__(self):
        if self.line and self.column:
            values = {"line": self.line, "column": self.column, "message": self.message}
            return _("第%(line)s行「%(column)s」：%(message)s") % values
        if self.line:
            return _("第%(line)s行：%(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class SheetRow:
    line: int  # the row's number in the sheet, as Excel shows it
    values: dict  # column key -> value read, for the file's columns
    ok: bool = True  # every cell could be read


@dataclass
class ImportFile:
    """What the file holds: its rows by column key, and every problem found."""

    sheet: str = ""
    header_line: int = 0
    headers: dict = field(default_factory=dict)  # column key -> the header as written
    ignored: list = field(default_factory=list)  # headers that are not imported
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def header(self, key):
        return self.headers.get(key) or BY_KEY[key].label


def _refuse(message):
    raise ValidationError(message)


def not_xlsx():
    return _(
        "文件不是 .xlsx 格式。请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再上传；"
        "设了打开密码的文件须先取消密码。"
    )


def check_container(data):
    """Refuse what is not an .xlsx, or would unpack to far more than it weighs, before
    openpyxl reads a byte of it."""
    if len(data) > MAX_BYTES:
        _refuse(_("文件超过10 MB，不能导入。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        _refuse(not_xlsx())
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        _refuse(not_xlsx())
    if len(parts) > MAX_PARTS or any(part.flag_bits & 0x1 for part in parts):
        _refuse(not_xlsx())
    unpacked = sum(part.file_size for part in parts)
    bomb = any(
        part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1)
        for part in parts
    )
    if unpacked > MAX_UNZIPPED or bomb:
        _refuse(_("文件解压后过大（可能是“压缩炸弹”），不能导入。"))


class _CellParser(WorkSheetParser):
    """openpyxl's worksheet reader (3.1) with values only (``data_only``: a formula cell
    gives the value Excel saved with it, never evaluated), marking the cells that hold a
    formula, so one without a saved value is told apart from an empty cell."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        cell["formula"] = element.find(FORMULA_TAG) is not None
        return cell


def _sheet_rows(workbook, sheet):
    """(source, parser) of a read-only sheet; the parser's merged cells are known once
    its rows have been read to the end."""
    source = sheet._get_source()
    parser = _CellParser(
        source,
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    return source, parser


def _find_header(line, cells, found):
    """The columns of a header row (column number → key), or None if this is not one."""
    by_column, texts = {}, {}
    for cell in cells:
        if isinstance(cell["value"], str) and cell["value"].strip():
            texts[cell["column"]] = cell["value"].strip()
    for column, text in texts.items():
        key = header_keys().get(normal(text))
        if key in by_column.values():
            first = next(c for c, k in by_column.items() if k == key)
            _refuse(
                _("表头（第%(line)s行）中「%(header)s」出现了两次（%(a)s列和%(b)s列）。")
                % {
                    "line": line,
                    "header": text,
                    "a": get_column_letter(first),
                    "b": get_column_letter(column),
                }
            )
        if key:
            by_column[column] = key
    if len(by_column) < 2:
        return None
    missing = [c.label for c in COLUMNS if c.required and c.key not in by_column.values()]
    if missing:
        _refuse(
            _("表头（第%(line)s行）缺少必需的列：%(columns)s。")
            % {
                "line": line,
                "columns": punct("list").join(
                    f"「{m}」" if is_chinese() else f'"{m}"' for m in missing
                ),
            }
        )
    found.header_line = line
    found.headers = {key: texts[column] for column, key in by_column.items()}
    found.ignored = [text for column, text in texts.items() if column not in by_column]
    return by_column


def _read_row(line, cells, columns, found):
    """One row of data: its values by key, or None when it is empty; problems noted."""
    raw, problems = {}, []
    for cell in cells:
        key = columns.get(cell["column"])
        if key is None:
            continue
        where = f"{get_column_letter(cell['column'])}{line}"
        if cell["formula"] and cell["value"] is None:
            problems.append(
                RowError(
                    line,
                    found.header(key),
                    _(
                        "单元格 %(cell)s 是公式，但文件中没有它的计算结果。请在 Excel 或 WPS 中"
                        "打开并保存后再上传，或改为直接填写内容。"
                    )
                    % {"cell": where},
                )
            )
        elif cell["data_type"] == "e":
            problems.append(
                RowError(
                    line,
                    found.header(key),
                    _("单元格 %(cell)s 是错误值 %(value)s。")
                    % {"cell": where, "value": cell["value"]},
                )
            )
        else:
            raw[key] = cell["value"]
    if not problems and all(v is None or str(v).strip() == "" for v in raw.values()):
        return None
    values = {}
    for key in columns.values():
        column = BY_KEY[key]
        try:
            value = READERS[column.kind](column, raw.get(key))
        except CellProblem as problem:
            problems.append(RowError(line, found.header(key), str(problem)))
            continue
        if key == "title" and not value:
            problems.append(RowError(line, found.header(key), _("请填写项目名称。")))
        elif key == "domain" and value is None:
            problems.append(RowError(line, found.header(key), _("请填写领域。")))
        elif not (key == "tier" and value is None):  # an empty 项目类别: as it is, or 区重点
            values[key] = value
    found.errors.extend(problems)
    return SheetRow(line, values, ok=not problems)


def _check_merges(parser, columns, found):
    for merged in getattr(parser.merged_cells, "mergeCell", ()) or ():
        first_column, first_row, last_column, last_row = range_boundaries(merged.ref)
        if last_row < found.header_line:
            continue  # the ledger's title row
        if first_row <= found.header_line:
            _refuse(
                _("表头（第%(line)s行）有合并单元格 %(range)s，请取消合并后再上传。")
                % {"line": found.header_line, "range": merged.ref}
            )
        if any(first_column <= c <= last_column for c in columns):
            found.errors.append(
                RowError(
                    first_row,
                    "",
                    _("有合并单元格 %(range)s，请取消合并后再上传。") % {"range": merged.ref},
                )
            )


def _read_sheet(workbook, sheet):
    """The sheet's rows if it has a header row among its first rows, else None."""
    found, columns, seen, count, count_rows = ImportFile(sheet=sheet.title), None, {}, 0, 0
    source, parser = _sheet_rows(workbook, sheet)
    with source:
        for line, cells in parser.parse():
            count += 1
            if count > MAX_SHEET_ROWS or line > MAX_SHEET_ROWS:
                _refuse(
                    _("工作表超过%(limit)s行（含空行），请删去多余的行后再上传。")
                    % {"limit": MAX_SHEET_ROWS}
                )
            if columns is None:
                if line > HEADER_SEARCH:
                    return None
                columns = _find_header(line, cells, found)
                continue
            row = _read_row(line, cells, columns, found)
            if row is None:
                continue
            count_rows += 1
            if count_rows > MAX_ROWS:
                _refuse(_("文件超过%(limit)s行数据，不能导入。") % {"limit": MAX_ROWS})
            number = row.values.get("number")
            if number in seen:
                message = _("序号 %(number)s 与第%(line)s行重复。")
                values = {"number": number, "line": seen[number]}
                found.errors.append(RowError(line, found.header("number"), message % values))
                continue
            if number is not None:
                seen[number] = line
            if row.ok:
                found.rows.append(row)
    if columns is None:
        return None
    _check_merges(parser, columns, found)
    return found


def read_import_file(data):
    """The rows of an uploaded .xlsx (bytes), with every problem in its cells; a file
    that cannot be imported at all raises ValidationError with the reason."""
    check_container(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of features it drops
        try:
            workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
        except Exception:  # a broken file fails in many ways inside openpyxl
            logger.info("import: openpyxl could not open the file", exc_info=True)
            _refuse(not_xlsx())
        try:
            for sheet in workbook.worksheets:
                found = _read_sheet(workbook, sheet)
                if found is not None:
                    return found
        except ValidationError:
            raise
        except Exception:
            logger.info("import: a sheet could not be read", exc_info=True)
            _refuse(_("文件内容损坏，无法读取。请在 Excel 或 WPS 中打开并另存为 .xlsx 后再上传。"))
        finally:
            workbook.close()
    _refuse(
        _("找不到表头：文件前%(rows)s行中没有同时写有「%(number)s」和「%(title)s」的一行。")
        % {"rows": HEADER_SEARCH, "number": BY_KEY["number"].label, "title": BY_KEY["title"].label}
    )
