"""The wording shared by the office's documents (the monthly bulletin, the annual report):
numbered headings and items, and dates, in the interface's language (一、… and （一）… in
Chinese; 1. … and (1) … otherwise)."""

from django.utils.formats import date_format
from django.utils.translation import pgettext

from .choices import chinese_number, is_chinese, punct


def heading(n, text):
    number = chinese_number(n) if is_chinese() else str(n)
    return f"{number}{punct('number')}{text}"


def sub(n, text):
    """（一）… in Chinese, (1) … otherwise."""
    number = chinese_number(n) if is_chinese() else str(n)
    space = "" if is_chinese() else " "
    return f"{punct('open').strip()}{number}{punct('close')}{space}{text}"


def numbered(number, text):
    """1．text (the full-width point of Chinese documents; "1. " in English)."""
    return str(number) + pgettext("list number", "．") + text


def day_text(day):
    return date_format(day, "DATE_FORMAT")
