"""The bulletin as a .docx, laid out as an official document (``projects.officedoc``:
GB/T 9704-2012, A4, 2号 title, 3号 仿宋 body, page numbers)."""

from docx.shared import Pt

from ..officedoc import add_body, add_heading, add_signature, add_title, new_document, to_bytes


def to_docx(bulletin):
    """The bulletin as a .docx (bytes)."""
    document, styles = new_document()
    add_title(document, styles, bulletin.title)
    add_body(document, styles, bulletin.addressee, first_line_indent=Pt(0))
    add_body(document, styles, bulletin.opening)
    for part in bulletin.sections:
        add_heading(document, styles, part.heading)
        for text in part.paragraphs:
            add_body(document, styles, text)
    add_signature(document, styles, bulletin.issuer, bulletin.issued_on)
    return to_bytes(document, bulletin.title, bulletin.issuer)
