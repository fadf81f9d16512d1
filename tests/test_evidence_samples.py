"""Tiny real files of every allowed type (built here: no python-docx, no Pillow), and the
checks that tell them apart by content: the sniffer, zip bombs, safe names, the
Content-Disposition of a download."""

import base64
import io
import struct
import zipfile
import zlib
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from evidence.forms import UploadForm
from evidence.names import content_disposition, safe_name
from evidence.sniffing import Family, sniff

MB = 2**20
LIMIT = 200 * MB

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# a 1×1 baseline JPEG
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////"
    "////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQAB"
    "PxA="
)
# an OLE2 compound file's header sector (DOC, XLS, WPS and ET all start so)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff" + bytes(482)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100) + b"This program"


def png():
    """A 1×1 white PNG, chunk CRCs and all."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


TYPES_XML = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx():
    return zipped(
        {
            "[Content_Types].xml": TYPES_XML,
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document><w:body><w:p>进展</w:p></w:body></w:document>",
        }
    )


def xlsx():
    return zipped(
        {
            "[Content_Types].xml": TYPES_XML,
            "_rels/.rels": "<Relationships/>",
            "xl/workbook.xml": "<workbook><sheets/></workbook>",
        }
    )


def ofd():
    return zipped({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"})


@cache
def zip_bomb(unpacked=LIMIT + MB):
    """A DOCX whose one entry unpacks to ``unpacked`` bytes of zeros (about 1/1000 of
    that packed); its central directory says so honestly."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES_XML)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = bytes(MB)
            for _ in range(unpacked // MB):
                entry.write(block)
    return buffer.getvalue()


# name → content of every allowed type
SAMPLES = {
    "进展材料.pdf": PDF,
    "会议纪要.ofd": ofd(),
    "方案.doc": OLE2 + b"doc",
    "方案.docx": docx(),
    "方案.wps": OLE2 + b"wps",
    "台账.xls": OLE2 + b"xls",
    "台账.xlsx": xlsx(),
    "台账.et": OLE2 + b"et",
    "现场照片.jpg": JPEG,
    "现场照片.JPEG": JPEG + b"\x00",
    "截图.png": png(),
}


def sniffed(data, limit=LIMIT):
    return sniff(io.BytesIO(data), max_unzipped=limit)


def test_each_sample_is_told_by_its_content():
    expected = {
        "pdf": Family.PDF,
        "ofd": Family.OFD,
        "doc": Family.OLE2,
        "docx": Family.DOCX,
        "wps": Family.OLE2,
        "xls": Family.OLE2,
        "xlsx": Family.XLSX,
        "et": Family.OLE2,
        "jpg": Family.JPEG,
        "jpeg": Family.JPEG,
        "png": Family.PNG,
    }
    for name, data in SAMPLES.items():
        assert sniffed(data) == expected[name.rsplit(".", 1)[1].lower()], name


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        b"",
        b"hello, world",
        b"<html><script>alert(1)</script></html>",
        zipped({"readme.txt": "just a zip"}),
        zipped({"word/document.xml": "<w/>"}),  # no [Content_Types].xml: not a DOCX
        zipped({"[Content_Types].xml": TYPES_XML, "ppt/presentation.xml": "<p/>"}),
        b"GIF89a\x01\x00\x01\x00",
    ],
)
def test_anything_else_is_unknown(data):
    assert sniffed(data) is None


def test_a_broken_zip_is_refused_with_a_reason():
    with pytest.raises(ValidationError, match="无法读取"):
        sniffed(b"PK\x03\x04" + bytes(200))


def test_a_zip_bomb_is_refused_from_its_central_directory():
    bomb = zip_bomb()
    assert len(bomb) < MB  # small packed, 201 MB unpacked
    with pytest.raises(ValidationError, match="200 MB") as refused:
        sniffed(bomb)
    assert refused.value.code == "zip_bomb"
    # the same file under a higher limit is only a DOCX
    assert sniffed(bomb, limit=LIMIT * 2) == Family.DOCX


def test_a_zip_of_too_many_entries_is_refused():
    many = zipped({f"xl/sheet{i}.xml": "" for i in range(10_001)} | {"[Content_Types].xml": ""})
    with pytest.raises(ValidationError, match="压缩炸弹"):
        sniffed(many)


def test_the_file_is_left_at_its_start():
    for data in (PDF, docx(), EXE):
        file = io.BytesIO(data)
        sniff(file, max_unzipped=LIMIT)
        assert file.tell() == 0


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/home/liaison/二季度进展.pdf", "二季度进展.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
        ("报告\u202efdp.exe", "报告fdp.exe"),  # a right-to-left override shows "exe.pdf"
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("..", ""),
        ("", ""),
        ("龙" * 300 + ".docx", "龙" * 115 + ".docx"),
    ],
)
def test_safe_name(raw, kept):
    assert safe_name(raw) == kept


def test_content_disposition_carries_the_chinese_name_and_an_ascii_one():
    header = content_disposition("二季度进展（盖章版）.pdf", "attachment-7")
    assert header == (
        "attachment; filename=\"attachment-7.pdf\"; filename*=UTF-8''"
        "%E4%BA%8C%E5%AD%A3%E5%BA%A6%E8%BF%9B%E5%B1%95"
        "%EF%BC%88%E7%9B%96%E7%AB%A0%E7%89%88%EF%BC%89.pdf"
    )
    header = content_disposition('Report "2017" 进展.xlsx', "attachment-8")
    assert header.startswith('attachment; filename="Report_2017.xlsx"; ')


def form_for(name, data):
    return UploadForm(files={"file": SimpleUploadedFile(name, data)})


def test_the_form_accepts_every_sample():
    for name, data in SAMPLES.items():
        form = form_for(name, data)
        assert form.is_valid(), (name, form.errors)
        assert form.checked.name == name
        assert form.checked.size == len(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", EXE, "「setup.pdf」的内容不是PDF、OFD、Word、Excel、JPG或PNG文件"),
        ("截图.pdf", png(), "「截图.pdf」的内容是PNG文件，与扩展名“.pdf”不符"),
        ("方案.docx", xlsx(), "的内容是XLSX文件，与扩展名“.docx”不符"),
        ("方案.doc", docx(), "的内容是DOCX文件，与扩展名“.doc”不符"),
        ("setup.exe", PDF, "只能上传PDF、OFD、Word"),
        ("没有扩展名", PDF, "只能上传PDF、OFD、Word"),
        ("page.html", b"<html></html>", "只能上传PDF、OFD、Word"),
        ("空.pdf", b"", "文件是空的"),
    ],
)
def test_the_form_refuses_with_a_chinese_reason(name, data, message):
    form = form_for(name, data)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])


@override_settings(EVIDENCE_MAX_BYTES=MB)
def test_the_form_refuses_a_file_over_the_limit_naming_it():
    form = form_for("大.pdf", PDF + bytes(MB + MB // 2))
    assert not form.is_valid()
    assert form.errors["file"] == ["每个文件不能超过1 MB，「大.pdf」有1.5 MB，未上传。"]
