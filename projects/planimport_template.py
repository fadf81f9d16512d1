"""The blank import template: a sheet with the import's columns (in the interface
language, headers in row 1) and a 说明 sheet saying what each column means, the values
领域, 项目类别 and 部署层级 allow, and how dates are written."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .choices import punct
from .planimport import MAX_ROWS
from .planimport_columns import CHOICES, COLUMNS, NONE_WORDS

WIDTHS = {"number": 6, "title": 36, "participating_units": 24}
BOLD, FILL = Font(bold=True), PatternFill("solid", fgColor="EEF1F4")
WRAP = Alignment(wrap_text=True, vertical="top")


def _meanings():
    """What each column holds, by key."""
    dates = _("年-月-日，如 2018-06-30；也可用 Excel 的日期格式。空白表示未定。")
    return {
        "number": _(
            "必填。项目序号（正整数），每行不同。计划中已有的序号：更新该项目；新的序号：新增项目。"
        ),
        "title": _("必填。项目名称，不超过200字。"),
        "domain": _("新增项目必填。可填的值见下。"),
        "tier": _("可填的值见下；空白：新增项目为“区重点”，已有项目不变。"),
        "issuing_level": _("只有“上级部署”的项目填写，且必须填写。可填的值见下。"),
        "issuing_document": _("上级部署的文件名称，可空。"),
        "lead_official": _(
            "区领导姓名；“待定”或空白表示暂无。系统中没有的姓名，在预览页选择新建或对应已有的区领导。"
        ),
        "lead_unit": _(
            "单位全称或简称；“待定”或空白表示暂无。系统中没有的单位，在预览页选择新建或对应已有单位。"
        ),
        "participating_units": _("多个单位用顿号“、”分隔（也可用逗号、分号或换行）。"),
        "date:plan": dates,
        "date:implementation": dates,
        "date:outcome": dates,
    }


def _guide(sheet):
    sheet.append([_("列名"), _("说明")])
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, FILL
    meanings = _meanings()
    for column in COLUMNS:
        sheet.append([column.label, meanings.get(column.key, _("文字，可空。"))])
    sheet.append([])
    for key, choices in CHOICES.items():
        label = next(c.label for c in COLUMNS if c.key == key)
        sheet.append([label, _("可填：") + punct("list").join(str(v) for v in choices.labels)])
    sheet.append([])
    notes = [
        _("第1行是表头，从第2行起每行一个项目；表头可用中文或英文，列的顺序不限。"),
        _("文件中没有的列：已有项目的该项保持不变。"),
        _("从本系统导出的改革台账可直接导入：标题行和状态、通过日期、进展、批示等只读列会被忽略。"),
        _("导入前先预览，确认后才写入；有任何错误时不写入任何内容。"),
        _(
            "计划审议通过后，新增项目或修改项目名称、内容、目标、牵头领导或单位，须在预览页填写调整理由，列入计划调整。"
        ),
        _("文件须为 .xlsx，不超过10 MB、%(rows)s行；不要使用公式和合并单元格。")
        % {"rows": MAX_ROWS},
        _("表示“暂无”的写法：") + punct("list").join(NONE_WORDS),
    ]
    for note in notes:
        sheet.append([_("注意"), note])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP


def template_xlsx():
    """The template as bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("导入项目")
    sheet.append([column.label for column in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(1, position)
        cell.font, cell.fill, cell.alignment = BOLD, FILL, WRAP
        sheet.column_dimensions[letter].width = WIDTHS.get(column.key, 16)
        cells = f"{letter}2:{letter}{MAX_ROWS + 1}"
        if column.key in CHOICES:
            labels = ",".join(str(v) for v in CHOICES[column.key].labels)
            rule = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            sheet.add_data_validation(rule)
            rule.add(cells)
        if column.kind == "date":
            for row in range(2, 202):
                sheet.cell(row, position).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "C2"
    _guide(workbook.create_sheet(_("说明")))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
