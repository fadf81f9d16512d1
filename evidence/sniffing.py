"""What a file is, told from its content: the first bytes, and for the zip-based types
(DOCX, XLSX, OFD) the names in the zip's central directory, read without unpacking
anything. The name's extension must agree with what the content is.

Our own ~80 lines rather than ``filetype`` or ``puremagic``: neither knows OFD (China's
standard for official documents, a zip with ``OFD.xml`` at its root) nor WPS/ET; both
tell an OLE2 file or a zip only as such, so we would open the zip ourselves anyway, and
that is where the zip-bomb check must sit.
"""

import zipfile
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: DOC, XLS, WPS, ET
ZIP = b"PK\x03\x04"
MAX_ZIP_ENTRIES = 10_000


class Family(StrEnum):
    """What the content is; several extensions may share one (DOC, XLS, WPS, ET)."""

    PDF = "PDF"
    OFD = "OFD"
    OLE2 = "DOC/XLS/WPS/ET"
    DOCX = "DOCX"
    XLSX = "XLSX"
    JPEG = "JPG"
    PNG = "PNG"


@dataclass(frozen=True)
class Kind:
    """An allowed extension: the content it must have and the type it is served with."""

    family: Family
    mime: str


KINDS = {
    "pdf": Kind(Family.PDF, "application/pdf"),
    "ofd": Kind(Family.OFD, "application/ofd"),
    "doc": Kind(Family.OLE2, "application/msword"),
    "wps": Kind(Family.OLE2, "application/vnd.ms-works"),
    "xls": Kind(Family.OLE2, "application/vnd.ms-excel"),
    "et": Kind(Family.OLE2, "application/vnd.ms-excel"),
    "docx": Kind(
        Family.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": Kind(Family.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": Kind(Family.JPEG, "image/jpeg"),
    "png": Kind(Family.PNG, "image/png"),
}
ALIASES = {"jpeg": "jpg"}

MAGIC = (
    (b"%PDF-", Family.PDF),
    (b"\x89PNG\r\n\x1a\n", Family.PNG),
    (b"\xff\xd8\xff", Family.JPEG),
    (OLE2, Family.OLE2),
)

BROKEN = _("无法读取这个压缩格式的文件，可能已损坏。")


def sniff(file, *, max_unzipped):
    """The family of ``file`` (a seekable binary file), or None for anything else. A zip
    is refused (ValidationError) when its entries would unpack to more than
    ``max_unzipped`` bytes, as its central directory declares, before anything reads
    them. The file is left at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for magic, family in MAGIC:
        if head.startswith(magic):
            return family
    if head.startswith(ZIP):
        try:
            return _zip_family(file, max_unzipped)
        finally:
            file.seek(0)
    return None


def _zip_family(file, max_unzipped):
    try:
        # reads the central directory only; no entry is decompressed
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(BROKEN, code="broken") from exc
    unzipped = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unzipped > max_unzipped:
        raise ValidationError(
            _("文件解压后超过%(limit)d MB，疑似“压缩炸弹”，未上传。"),
            code="zip_bomb",
            params={"limit": max_unzipped // 2**20},
        )
    names = {entry.filename for entry in entries}
    if "OFD.xml" in names:
        return Family.OFD
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return Family.DOCX
        if any(name.startswith("xl/") for name in names):
            return Family.XLSX
    return None
