"""The annual report as a .docx, laid out as an official document (``projects.officedoc``:
GB/T 9704-2012, A4, 2号 title, 3号 仿宋 body, page numbers); its tables in 仿宋 五号."""

from docx.shared import Pt

from ..officedoc import (
    add_body,
    add_heading,
    add_signature,
    add_table,
    add_title,
    new_document,
    to_bytes,
)
from . import Table


def to_docx(report):
    """The annual report as a .docx (bytes)."""
    document, styles = new_document()
    add_title(document, styles, report.title)
    add_body(document, styles, report.addressee, first_line_indent=Pt(0))
    add_body(document, styles, report.opening)
    for section in report.sections:
        add_heading(document, styles, section.heading)
        for block in section.blocks:
            if isinstance(block, Table):
                add_table(document, block.headers, block.rows)
            else:
                add_body(document, styles, block)
    add_signature(document, styles, report.issuer, report.issued_on)
    return to_bytes(document, report.title, report.issuer)
