"""Importing a plan's projects from Excel: the columns the import reads, their names in
every interface language (the header row may be in Chinese or English, as the ledger was
exported), and how each cell is read: numbers, labels of 领域, 项目类别 and 部署层级 in
either language, names, dates and texts within their fields' lengths. A cell that cannot
be read raises CellProblem with the reason."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .choices import CheckpointKind, Domain, IssuingLevel, ProjectTier, punct
from .forms import EARLIEST, TEXT_LIMIT
from .models import Project

LATEST = date(2100, 12, 31)
NONE_WORDS = ("待定", "—", "-", "无")
SEPARATORS = re.compile(r"[、,，;；\n]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
FORMULA_START = "=+-@\t\r"  # the ledger puts ' before text starting with one of these


@dataclass(frozen=True)
class Column:
    """A column the import reads: a Project field, or ``date:<kind>`` for a checkpoint's
    planned date; ``kind`` says how its cells are read."""

    key: str
    kind: str  # number, text, choice, official, unit, units, date
    required: bool = False

    @property
    def label(self):
        """The column's name in the interface language (as the ledger writes it)."""
        if self.key.startswith("date:"):
            gate = CheckpointKind(self.key.removeprefix("date:")).label
            return _("%(gate)s计划完成日期") % {"gate": gate}
        return str(Project._meta.get_field(self.key).verbose_name)

    @property
    def limit(self):
        return Project._meta.get_field(self.key).max_length or TEXT_LIMIT


COLUMNS = [
    Column("number", "number", required=True),
    Column("title", "text", required=True),
    Column("domain", "choice"),
    Column("tier", "choice"),
    Column("issuing_level", "choice"),
    Column("issuing_document", "text"),
    Column("lead_official", "official"),
    Column("lead_unit", "unit"),
    Column("participating_units", "units"),
    *(Column(f"date:{kind}", "date") for kind in CheckpointKind.values),
    Column("problem", "text"),
    Column("principles", "text"),
    Column("content", "text"),
    Column("innovation", "text"),
    Column("goals", "text"),
    Column("city_plan_note", "text"),
]
BY_KEY = {c.key: c for c in COLUMNS}
CHOICES = {"domain": Domain, "tier": ProjectTier, "issuing_level": IssuingLevel}


def normal(text):
    """A header or label as compared: no blanks, case-folded, half-width brackets."""
    text = re.sub(r"\s+", "", str(text)).casefold()
    return text.translate(str.maketrans("（）：", "():"))


def _in_every_language(make):
    """``make()`` evaluated in each interface language."""
    words = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.append(make())
    return words


@cache
def header_keys():
    """Normalised header, in any interface language → column key."""
    return {
        normal(label): column.key
        for column in COLUMNS
        for label in _in_every_language(lambda c=column: c.label)
    }


@cache
def choice_values(key):
    """Normalised label (any language) or stored value → stored value."""
    choices = CHOICES[key]
    found = {normal(value): value for value in choices.values}
    for value, label in choices.choices:
        for word in _in_every_language(lambda label=label: str(label)):
            found[normal(word)] = value
    return found


@cache
def none_words():
    """What a cell says for "no one": 待定 (TBD in English), a dash, 无."""
    return {normal(w) for w in (*NONE_WORDS, *_in_every_language(lambda: _("待定")))}


class CellProblem(Exception):
    pass


def _shown(value, size=30):
    text = str(value)
    return text if len(text) <= size else text[: size - 1] + "…"


def _text(column, value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]  # the ledger's guard against formulas, taken off again
    if len(text) > column.limit:
        raise CellProblem(
            _("超过%(limit)s字（现有%(count)s字）。") % {"limit": column.limit, "count": len(text)}
        )
    return text


def _number(column, value):
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdecimal():
        number = int(value.strip())
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellProblem(_("请填写序号。"))
    if number is None:
        raise CellProblem(_("“%(value)s”不是整数。") % {"value": _shown(value)})
    if not 1 <= number <= 32767:
        raise CellProblem(_("序号须在1至32767之间。"))
    return number


def _choice(column, value):
    text = _text(column, value)
    if not text:
        return None
    found = choice_values(column.key).get(normal(text))
    if found is None:
        allowed = punct("list").join(str(label) for label in CHOICES[column.key].labels)
        raise CellProblem(
            _("“%(value)s”不是有效的%(column)s（可填：%(allowed)s）。")
            % {"value": _shown(text), "column": column.label, "allowed": allowed}
        )
    return found


def _name(column, value):
    text = _text(column, value)
    return None if not text or normal(text) in none_words() else text


def _names(column, value):
    names = []
    for part in SEPARATORS.split(_text(column, value)):
        part = part.strip()
        if part and normal(part) not in none_words() and part not in names:
            names.append(part)
    return names


def _date(column, value):
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif value is None or (isinstance(value, str) and not value.strip()):
        return None
    else:
        match = DATE_TEXT.match(str(value).strip())
        try:
            day = date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None:
            raise CellProblem(
                _("“%(value)s”不是日期（请写成 2018-06-30）。") % {"value": _shown(value)}
            )
    if not EARLIEST <= day <= LATEST:
        raise CellProblem(_("日期须在2000年至2100年之间。"))
    return day


READERS = {
    "number": _number,
    "text": _text,
    "choice": _choice,
    "official": _name,
    "unit": _name,
    "units": _names,
    "date": _date,
}
