"""A need or suggestion from the public (群众改革需求、建议), sent at /suggest/ without an
account."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import Domain
from projects.models.guarded import Guarded

from ..choices import Disposition, PublicStatus
from ..querysets import SuggestionQuerySet
from .call import Call
from .proposal import Proposal

TOPIC_LIMIT = 100
TEXT_LIMIT = 2000
NAME_LIMIT = 50
CONTACT_LIMIT = 100
# Receipt numbers: random, from an alphabet without look-alikes (no 0/O, 1/I/L, U/V).
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RECEIPT_LENGTH = 12


def receipt_display(receipt):
    """In groups of four, easier to read out and copy: ABCD-EFGH-JKMN."""
    return "-".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


class Suggestion(Guarded, models.Model):
    """What a member of the public sent: a topic and the need or suggestion, with an
    optional name and a phone or email for a reply. Kept as plain text (never HTML) and
    shown escaped. The sender gets a random receipt number and, at it, sees only the public
    status and the office's public reply.

    The office sorts it (domain, duplicate or spam), replies publicly and links it to the
    proposals it fed, so "群众需求 → 入选项目" can be shown."""

    receipt = models.CharField(_("回执号"), max_length=RECEIPT_LENGTH, editable=False)
    topic = models.CharField(_("主题"), max_length=TOPIC_LIMIT)
    text = models.TextField(_("需求或建议"))
    name = models.CharField(_("姓名"), max_length=NAME_LIMIT, blank=True)
    contact = models.CharField(_("联系电话或邮箱"), max_length=CONTACT_LIMIT, blank=True)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, editable=False)
    call = models.ForeignKey(
        Call,
        verbose_name=_("项目征集"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text=_("收到时正在开放的征集；可改。"),
    )
    domain = models.CharField(_("领域"), max_length=20, choices=Domain, blank=True)
    disposition = models.CharField(
        _("处理分类"), max_length=20, choices=Disposition, default=Disposition.VALID
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    public_reply = models.TextField(_("公开答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("关联项目建议"), blank=True, related_name="suggestions"
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = SuggestionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("群众改革需求、建议")
        verbose_name_plural = _("群众改革需求、建议")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt"],
                name="suggestion_receipt_unique",
                violation_error_message=_("回执号重复。"),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("receipt"), RECEIPT_LENGTH) & ~Q(receipt=""),
                name="suggestion_receipt_set",
                violation_error_message=_("回执号无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(topic="") & LessThanOrEqual(Length("topic"), TOPIC_LIMIT),
                name="suggestion_topic_length",
                violation_error_message=_("主题须填写，且不超过100字。"),
            ),
            models.CheckConstraint(
                condition=~Q(text="") & LessThanOrEqual(Length("text"), TEXT_LIMIT),
                name="suggestion_text_length",
                violation_error_message=_("需求或建议须填写，且不超过2000字。"),
            ),
            models.CheckConstraint(
                condition=Q(disposition__in=Disposition.values),
                name="suggestion_disposition_valid",
                violation_error_message=_("处理分类无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(disposition=Disposition.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="suggestion_duplicate_names_original",
                violation_error_message=_("标为重复的建议须指明与哪一条重复。"),
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")),
                name="suggestion_not_duplicate_of_itself",
                violation_error_message=_("建议不能与自身重复。"),
            ),
            models.CheckConstraint(
                condition=Q(domain="") | Q(domain__in=Domain.values),
                name="suggestion_domain_valid",
                violation_error_message=_("领域无效。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("只有区委改革办可以查看群众建议。")),
        "moderate": ("can_moderate", _("只有区委改革办可以处理群众建议。")),
    }

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("intake:suggestion_detail", args=[self.pk])

    @property
    def receipt_display(self):
        return receipt_display(self.receipt)

    def can_read(self, user):
        return user.has_perm("intake.view_suggestion")

    def can_moderate(self, user):
        return user.has_perm("intake.change_suggestion")

    @property
    def public_status(self):
        """What the sender sees. Needs ``adopted`` and ``forwarded`` (annotated by
        ``SuggestionQuerySet.with_public_status``)."""
        if self.disposition == Disposition.SPAM:
            return PublicStatus.CLOSED
        if self.disposition == Disposition.DUPLICATE:
            return PublicStatus.DUPLICATE
        if self.adopted:
            return PublicStatus.ADOPTED
        if self.forwarded:
            return PublicStatus.FORWARDED
        if self.public_reply:
            return PublicStatus.REPLIED
        return PublicStatus.RECEIVED
