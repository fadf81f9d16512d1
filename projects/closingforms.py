"""Forms of the year's end: applying for 销号 and the office's review (their actions come
from ``CLOSEOUT_STEPS``), the year-end assessment, carrying over or stopping a project."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import Grade
from .forms import TEXT_LIMIT, FormDefaults, VersionedForm, _required_text
from .models import CLOSEOUT_STEPS, Assessment

REPLICABLE_EXAMPLE = _("如：形成可复制推广的龙岗模式——……")


class CloseoutApplyForm(FormDefaults, forms.Form):
    """The lead unit's 销号 application: what the project achieved. (The move is the
    button pressed, ``action``: the view takes it from ``CLOSEOUT_STEPS``.)"""

    summary = forms.CharField(
        label=_("成果总结"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("对照改革目标写明取得的成效、形成的制度成果和佐证材料。"),
        error_messages={"required": CLOSEOUT_STEPS["apply"].note_required},
    )

    def clean_summary(self):
        return _required_text(
            self.cleaned_data.get("summary"), CLOSEOUT_STEPS["apply"].note_required
        )


class CloseoutReviewForm(FormDefaults, VersionedForm):
    """The office's verification: close the project (销号) or return the application."""

    outside_evaluation = forms.CharField(
        label=_("第三方评估"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如委托第三方评估，记下评估机构和结论（可不填）。"),
    )
    note = forms.CharField(
        label=_("核验意见"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时须写明理由。"),
    )


class AssessmentForm(FormDefaults, forms.ModelForm, VersionedForm):
    class Meta:
        model = Assessment
        fields = ["grade", "notes", "replicable", "replicable_text"]
        widgets = {
            "grade": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "replicable_text": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"replicable_text": REPLICABLE_EXAMPLE}
        error_messages = {
            "grade": {"required": _("请选择评定等次。"), "invalid_choice": _("评定等次无效。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = Grade.choices  # four radios, no empty one

    def clean(self):
        data = super().clean()
        text = (data.get("replicable_text") or "").strip()
        data["replicable_text"] = text
        if data.get("replicable") and not text:
            self.add_error("replicable_text", _("标为可复制推广须写明可推广的经验。"))
        elif text and not data.get("replicable"):
            self.add_error("replicable", _("写了可推广的经验：请勾选“可复制推广”，或清空该内容。"))
        return data


class YearEndDecisionForm(FormDefaults, VersionedForm):
    """The office's decision on an unfinished project at the year's end."""

    action = forms.ChoiceField(
        choices=[("carry", _("结转")), ("stop", _("终止"))],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("未知的操作。"), "required": _("未知的操作。")},
    )
    reason = forms.CharField(
        label=_("终止理由"), required=False, max_length=TEXT_LIMIT, help_text=_("终止时须填写。")
    )

    def clean(self):
        data = super().clean()
        data["reason"] = (data.get("reason") or "").strip()
        if data.get("action") == "stop" and not data["reason"]:
            self.add_error("reason", ValidationError(_("终止项目须说明理由。")))
        return data
