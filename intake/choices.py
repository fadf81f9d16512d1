"""The enumerations of the intake, each value with its label and its look (icon + CSS class),
as in ``projects.choices``: templates and the board read them from here."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.choices import Look


class Presented:
    """Mixin for TextChoices whose members each have a ``Look`` in this module's ``LOOKS``."""

    @property
    def look(self):
        return LOOKS[type(self).__name__][self.value]

    @property
    def icon(self):
        return self.look.icon

    @property
    def css_class(self):
        return self.look.css_class


class ProposalStatus(Presented, models.TextChoices):
    """Where a unit's proposal stands; the moves between them are ``proposal.MOVES``."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    IN_REVIEW = "in_review", _("专家评审中")
    SELECTED = "selected", _("入选")
    REJECTED = "rejected", _("未入选")
    MERGED = "merged", _("合并")
    UNIT_OWN = "unit_own", _("转为单位自主项目")


class Recommendation(Presented, models.TextChoices):
    """An expert's conclusion on a proposal."""

    SELECT = "select", _("建议入选")
    REVISE = "revise", _("修改后入选")
    DECLINE = "decline", _("不建议")


# The four principles the 2017 plan's projects were chosen by; an expert scores each 1–5.
PRINCIPLES = (
    ("score_focus", _("聚焦区委区政府中心工作")),
    ("score_need", _("问题导向、需求导向")),
    ("score_pilot", _("先行先试")),
    ("score_replicable", _("可复制推广")),
)
SCORE_MIN, SCORE_MAX = 1, 5
TOTAL_MAX = SCORE_MAX * len(PRINCIPLES)


class Disposition(Presented, models.TextChoices):
    """How the office has sorted a public suggestion."""

    VALID = "valid", _("有效")
    DUPLICATE = "duplicate", _("重复")
    SPAM = "spam", _("无效信息")


class PublicStatus(Presented, models.TextChoices):
    """What the person who sent a suggestion sees at its receipt number: derived from the
    suggestion (``Suggestion.public_status``), never stored."""

    RECEIVED = "received", _("已收到，待处理")
    REPLIED = "replied", _("已答复")
    FORWARDED = "forwarded", _("已转入改革项目征集")
    ADOPTED = "adopted", _("已纳入年度改革项目")
    DUPLICATE = "duplicate", _("与其他建议重复，合并处理")
    CLOSED = "closed", _("已处理")


LOOKS = {
    "ProposalStatus": {
        ProposalStatus.DRAFT: Look("○", "proposal-draft"),
        ProposalStatus.SUBMITTED: Look("…", "proposal-submitted"),
        ProposalStatus.IN_REVIEW: Look("▶", "proposal-in_review"),
        ProposalStatus.SELECTED: Look("✓", "proposal-selected"),
        ProposalStatus.REJECTED: Look("×", "proposal-rejected"),
        ProposalStatus.MERGED: Look("⇢", "proposal-merged"),
        ProposalStatus.UNIT_OWN: Look("◆", "proposal-unit_own"),
    },
    "Recommendation": {
        Recommendation.SELECT: Look("✓", "recommend-select"),
        Recommendation.REVISE: Look("~", "recommend-revise"),
        Recommendation.DECLINE: Look("×", "recommend-decline"),
    },
    "Disposition": {
        Disposition.VALID: Look("●", "disposition-valid"),
        Disposition.DUPLICATE: Look("⇢", "disposition-duplicate"),
        Disposition.SPAM: Look("×", "disposition-spam"),
    },
    "PublicStatus": {
        PublicStatus.RECEIVED: Look("…", "public-received"),
        PublicStatus.REPLIED: Look("✓", "public-replied"),
        PublicStatus.FORWARDED: Look("▶", "public-forwarded"),
        PublicStatus.ADOPTED: Look("✓", "public-adopted"),
        PublicStatus.DUPLICATE: Look("⇢", "public-duplicate"),
        PublicStatus.CLOSED: Look("■", "public-closed"),
    },
}


class Record:
    """What a proposal's or suggestion's history row says happened, stored in Chinese (the
    office's record) and shown in the reader's language; the moves add their own
    (``Move.record_label``)."""

    CREATED = "新建草稿"
    EDITED = "修改草稿"
    EXPERTS = "分配评审专家"
    MODERATED = "处理群众建议"
    LABELS = {
        CREATED: pgettext_lazy("history", "新建草稿"),
        EDITED: pgettext_lazy("history", "修改草稿"),
        EXPERTS: pgettext_lazy("history", "分配评审专家"),
        MODERATED: pgettext_lazy("history", "处理群众建议"),
    }
