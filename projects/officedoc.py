"""Official-document layout for the .docx files the office sends out (the monthly bulletin,
the annual report), after GB/T 9704-2012: A4,
margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in 方正小标宋简体 2号
(22 pt), headings in 黑体 3号, the body in 仿宋_GB2312 3号 (16 pt), lines at a fixed 28.95 pt
(22 lines to the page), first lines indented by two characters; page numbers "— 1 —" in
宋体 4号 below the text, right on odd pages and left on even ones. Each font is set as the
East-Asian font of the runs and styles (``w:rFonts w:eastAsia``) and listed in the font
table with a fallback (``w:altName``: 宋体, 仿宋, SimHei) for machines without it.

``new_document()`` gives the page, the styles and the page numbers; ``add_paragraph``,
``add_table`` and ``add_signature`` write into it; ``to_bytes`` saves it.
"""

import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

# what XML (and so a .docx) cannot carry: a control character typed into a report
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# role: (font, fallback where it is missing)
FONTS = {
    "title": ("方正小标宋简体", "宋体"),
    "heading": ("黑体", "SimHei"),
    "body": ("仿宋_GB2312", "仿宋"),
    "page": ("宋体", "SimSun"),
}
TITLE_PT, BODY_PT, PAGE_PT = 22, 16, 14  # 2号, 3号, 4号
LINE_PT = 28.95  # 22 lines in the 225 mm type area
INDENT = Pt(2 * BODY_PT)  # two characters
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_font(element, role, size):
    """The font of a run or a style (``element`` has get_or_add_rPr): every script's
    slot, the East-Asian one included, with the template's theme fonts taken out."""
    name = FONTS[role][0]
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    rpr.get_or_add_sz().val = Pt(size)
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rpr.append(size_cs)
    size_cs.set(qn("w:val"), str(int(size * 2)))


def _styles(document):
    """Body (Normal), title and heading styles; the document defaults in Chinese."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONTS["body"][0])
    document.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")

    body = document.styles["Normal"]
    set_font(body.element, "body", BODY_PT)
    _lines(body.paragraph_format, LINE_PT)
    body.paragraph_format.first_line_indent = INDENT
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.widow_control = True

    title = document.styles.add_style("Document Title", WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = body
    set_font(title.element, "title", TITLE_PT)
    _lines(title.paragraph_format, 35)
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(LINE_PT)  # a blank line before the addressee

    heading = document.styles.add_style("Document Heading", WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = body
    set_font(heading.element, "heading", BODY_PT)
    heading.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")  # in the navigation pane
    outline.set(qn("w:val"), "0")
    heading.element.get_or_add_pPr().append(outline)
    return body, title, heading


def _lines(paragraph_format, points):
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.space_before = paragraph_format.space_after = Pt(0)


def _font_table(document):
    """Each font with its fallback (``w:altName``) in the font table, GB2312 charset."""
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")
    )
    table = etree.fromstring(part.blob)
    for name, fallback in FONTS.values():
        entry = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(entry, qn("w:altName"), {qn("w:val"): fallback})
        etree.SubElement(entry, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(entry, qn("w:family"), {qn("w:val"): "auto"})
        etree.SubElement(entry, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_paragraph(document, text, style, role, size, **format_):
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(CONTROL_CHARACTERS.sub("\ufffd", text))
    set_font(run._element, role, size)  # on the run too: editors that ignore styles
    for name, value in format_.items():
        setattr(paragraph.paragraph_format, name, value)
    return paragraph


def _field_run(paragraph, text=None, *, char=None, instruction=None):
    run = paragraph.add_run(text)
    set_font(run._element, "page", PAGE_PT)
    if char:
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), char)
        run._element.append(mark)
    if instruction:
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = instruction
        run._element.append(code)


def _page_number(footer, alignment):
    """— 1 — in 宋体 4号, one character in from the edge of the type area."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _lines(paragraph.paragraph_format, 18)
    side = "right_indent" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(paragraph.paragraph_format, side, Pt(PAGE_PT))
    _field_run(paragraph, "— ")
    _field_run(paragraph, char="begin")
    _field_run(paragraph, instruction=" PAGE ")
    _field_run(paragraph, char="separate")
    _field_run(paragraph, "1")
    _field_run(paragraph, char="end")
    _field_run(paragraph, " —")


TABLE_PT = 10.5  # 五号: a table's cells, so a wide one fits the type area


@dataclass
class Styles:
    body: object
    title: object
    heading: object


def new_document():
    """An empty A4 official document: (document, its Styles)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # the page number's line (18 pt) starts about 7 mm below the type area
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    body, title, heading = _styles(document)
    _font_table(document)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return document, Styles(body, title, heading)


def add_title(document, styles, text):
    return add_paragraph(document, text, styles.title, "title", TITLE_PT)


def add_heading(document, styles, text):
    return add_paragraph(document, text, styles.heading, "heading", BODY_PT)


def add_body(document, styles, text, **format_):
    return add_paragraph(document, text, styles.body, "body", BODY_PT, **format_)


def add_table(document, headers, rows):
    """A grid table in 仿宋 五号, the header row bold and repeated on each page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, value)
    return table


def _cell(cell, value, bold=False):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _lines(paragraph.paragraph_format, TABLE_PT * 1.5)
    run = paragraph.add_run(CONTROL_CHARACTERS.sub("\ufffd", "" if value is None else str(value)))
    run.bold = bold
    set_font(run._element, "body", TABLE_PT)


def add_signature(document, styles, issuer, issued_on):
    """Two blank lines, then the issuer over the date, right-aligned four characters in."""
    signature = {"alignment": WD_ALIGN_PARAGRAPH.RIGHT, "right_indent": Pt(4 * BODY_PT)}
    add_body(document, styles, "")
    add_body(document, styles, "")
    add_body(document, styles, issuer, **signature)
    add_body(document, styles, issued_on, **signature)


def to_bytes(document, title, author):
    """The document as .docx bytes, its title, author and language (zh-CN) set."""
    properties = document.core_properties
    properties.title, properties.author = title, author
    properties.language = "zh-CN"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
