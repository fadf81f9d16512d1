"""The two forms: add a file (checked from its content) and remove one (with a reason)."""

import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from .names import extension_of, safe_name
from .sniffing import ALIASES, KINDS, sniff

MB = 2**20
REASON_MAX = 500
ALLOWED = _("只能上传PDF、OFD、Word（DOC、DOCX、WPS）、Excel（XLS、XLSX、ET）、JPG或PNG文件。")


def max_bytes():
    return settings.EVIDENCE_MAX_BYTES


def too_big_message():
    return _("每个文件不能超过%(limit)d MB，未上传。") % {"limit": max_bytes() // MB}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the row keeps of it."""

    upload: object
    name: str
    file_type: str
    size: int
    sha256: str


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        error_messages={
            "required": _("请选择要上传的文件。"),
            "empty": _("文件是空的，未上传。"),
            "invalid": _("没有收到文件，请重新选择。"),
            "missing": _("没有收到文件，请重新选择。"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = safe_name(upload.name)
        extension = extension_of(name)
        extension = ALIASES.get(extension, extension)
        if extension not in KINDS:
            raise ValidationError(ALLOWED, code="type")
        if upload.size > max_bytes():
            raise ValidationError(
                _("每个文件不能超过%(limit)d MB，「%(name)s」有%(size).1f MB，未上传。"),
                code="size",
                params={"limit": max_bytes() // MB, "name": name, "size": upload.size / MB},
            )
        family = sniff(upload, max_unzipped=settings.EVIDENCE_MAX_UNZIPPED_BYTES)
        if family is None:
            raise ValidationError(
                _("「%(name)s」的内容不是PDF、OFD、Word、Excel、JPG或PNG文件，未上传。"),
                code="content",
                params={"name": name},
            )
        if family != KINDS[extension].family:
            raise ValidationError(
                _("「%(name)s」的内容是%(found)s文件，与扩展名“.%(extension)s”不符，未上传。"),
                code="mismatch",
                params={"name": name, "found": family.value, "extension": extension},
            )
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        self.checked = CheckedFile(upload, name, extension, upload.size, digest.hexdigest())
        return upload


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("移除理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请写明移除理由。"),
            "max_length": _("移除理由不能超过%(limit_value)d个字。"),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SizeLimit(FileUploadHandler):
    """First of a request's upload handlers: once a file passes the limit, nothing more
    of it is kept, in memory or in a temporary file (the rest of it is read and dropped),
    and the request is marked so the view can say why the file is missing."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.evidence_too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
