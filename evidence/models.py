"""Evidence files (附件): the one model of this app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .names import NAME_MAX
from .sniffing import KINDS


class FileType(models.TextChoices):
    """The allowed types, one per extension (JPEG files are kept as JPG)."""

    PDF = "pdf", "PDF"
    OFD = "ofd", "OFD"
    DOC = "doc", "DOC"
    DOCX = "docx", "DOCX"
    WPS = "wps", "WPS"
    XLS = "xls", "XLS"
    XLSX = "xlsx", "XLSX"
    ET = "et", "ET"
    JPG = "jpg", "JPG"
    PNG = "png", "PNG"


class AttachmentQuerySet(models.QuerySet):
    def for_listing(self):
        """What a list of files shows, in one query: who uploaded and removed each, and
        the model of the object it is attached to."""
        return self.select_related("content_type", "uploaded_by", "removed_by")


class Attachment(models.Model):
    """An evidence file (附件) attached to a row of another app: a progress report, a
    checkpoint submission, an instruction's follow-up, a meeting (``registry``).

    The bytes are kept in Django's default storage under a random name (``stored_name``);
    the row keeps the name the uploader gave it (for display and downloads), its size,
    type (told from the content) and SHA-256, who uploaded it and when. Removing a file
    keeps the row with who removed it, when and why, and deletes the stored bytes."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("所属对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("所属对象编号"))
    target = GenericForeignKey("content_type", "object_id")
    # the key of the page that lists it (projects.project:12): one query lists a page's files
    scope = models.CharField(_("所属范围"), max_length=100, editable=False)
    original_name = models.CharField(_("文件名"), max_length=NAME_MAX)
    stored_name = models.CharField(_("存储名"), max_length=200, editable=False)
    file_type = models.CharField(_("文件类型"), max_length=8, choices=FileType)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移除人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.TextField(_("移除理由"), blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]
        indexes = [
            models.Index(fields=["scope", "uploaded_at"], name="attachment_scope"),
            models.Index(fields=["content_type", "object_id"], name="attachment_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["stored_name"],
                name="attachment_stored_once",
                violation_error_message=_("存储名重复。"),
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="attachment_once_per_object",
                violation_error_message=_("同一份文件已经附在这里，未重复上传。"),
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="attachment_not_empty",
                violation_error_message=_("文件是空的。"),
            ),
            models.CheckConstraint(
                condition=Q(file_type__in=FileType.values),
                name="attachment_type_valid",
                violation_error_message=_("文件类型无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(original_name=""),
                name="attachment_has_name",
                violation_error_message=_("文件须有名称。"),
            ),
            models.CheckConstraint(
                condition=(Q(removed_at__isnull=True) & Q(removal_reason=""))
                | (Q(removed_at__isnull=False) & ~Q(removal_reason="")),
                name="attachment_removed_with_reason",
                violation_error_message=_("移除附件须写明理由。"),
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_removed(self):
        return self.removed_at is not None

    @property
    def mime(self):
        """The content type it is served with (its type was told from its content)."""
        return KINDS[self.file_type].mime

    @property
    def anchor(self):
        return anchor_for(self.content_type.model, self.object_id)


def anchor_for(model_name, pk):
    """The id of the block listing an object's files on its page."""
    return f"files-{model_name}-{pk}"
