"""The public suggestion form (no sign-in): short plain-text fields, a trap for robots."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models.suggestion import CONTACT_LIMIT, NAME_LIMIT, TEXT_LIMIT, TOPIC_LIMIT

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
# A field people never see (hidden by CSS, skipped by the keyboard) that form-filling
# robots fill in: then nothing is stored and the answer looks the same.
HONEYPOT = "website"


def _text(value, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


class SuggestionForm(forms.Form):
    topic = forms.CharField(
        label=_("主题"),
        max_length=TOPIC_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": TOPIC_LIMIT, "autocomplete": "off"}),
        error_messages={
            "required": _("请填写主题。"),
            "max_length": _("主题不能超过100字。"),
        },
    )
    text = forms.CharField(
        label=_("您的需求或建议"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_LIMIT}),
        help_text=_("不超过2000字。请勿填写身份证号等个人敏感信息。"),
        error_messages={
            "required": _("请填写您的需求或建议。"),
            "max_length": _("需求或建议不能超过2000字。"),
        },
    )
    name = forms.CharField(
        label=_("姓名（可不填）"),
        required=False,
        max_length=NAME_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": NAME_LIMIT, "autocomplete": "name"}),
        error_messages={"max_length": _("姓名不能超过50字。")},
    )
    contact = forms.CharField(
        label=_("电话或邮箱（可不填，用于答复）"),
        required=False,
        max_length=CONTACT_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": CONTACT_LIMIT, "inputmode": "email"}),
        error_messages={"max_length": _("联系方式不能超过100字。")},
    )
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_topic(self):
        return _text(self.cleaned_data.get("topic"), _("请填写主题。"))

    def clean_text(self):
        return _text(self.cleaned_data.get("text"), _("请填写您的需求或建议。"))

    def clean_name(self):
        return (self.cleaned_data.get("name") or "").strip()

    def clean_contact(self):
        value = (self.cleaned_data.get("contact") or "").strip()
        if not value:
            return value
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("请填写有效的邮箱地址。")) from None
        elif not PHONE.match(value):
            raise ValidationError(_("请填写有效的电话号码或邮箱地址。"))
        return value

    @property
    def is_trap(self):
        """The robots' field was filled in."""
        return bool(self.data.get(HONEYPOT))


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("回执号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"maxlength": 20, "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("请填写回执号。"), "max_length": _("回执号为12位。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
