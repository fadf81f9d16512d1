"""Forms for the weekly work: progress reports, checkpoint decisions, edits (instructions:
``instructionforms``)."""

import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import REPORT_STEPS, TRANSITIONS, Checkpoint, ProgressUpdate

TEXT_LIMIT = 10_000
EARLIEST = date(2000, 1, 1)


def _check_date(value):
    """Reports and decisions are about the past or today, never the future."""
    if value is None:
        return value
    if value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    if value < EARLIEST:
        raise ValidationError(_("日期不能早于2000年。"))
    return value


def _required_text(value, message):
    """Text that is not just blanks, stripped."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FormDefaults:
    """Labels without an ASCII colon, a Chinese prompt on empty selects, and a cap on every
    text field so a pasted book gets a message, not a 500 or a huge row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = _("待定")
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] == "":
                    field.choices = [("", _("— 请选择 —")), *choices[1:]]
        for field in self.fields.values():
            text = isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField)
            if text and not field.max_length:
                field.max_length = TEXT_LIMIT
                field.validators.append(MaxLengthValidator(TEXT_LIMIT))
                field.widget.attrs.setdefault("maxlength", str(TEXT_LIMIT))


class SubmittedOnceForm(forms.Form):
    """Carries a one-time token, made when the empty form is drawn: the same form sent
    twice (a double click, a resent page) creates one row."""

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())


class VersionedForm(forms.Form):
    """Carries the version the user started from, for the optimistic edit check."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProgressUpdateForm(FormDefaults, forms.ModelForm, SubmittedOnceForm):
    class Meta:
        model = ProgressUpdate
        fields = [
            "reported_on",
            "status",
            "percent_complete",
            "summary",
            "next_steps",
            "problems",
            "coordination_needed",
        ]
        widgets = {
            "reported_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "coordination_needed": forms.Textarea(attrs={"rows": 2}),
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }
        error_messages = {
            "reported_on": {
                "required": _("请填写报告日期。"),
                "invalid": _("请按“年-月-日”填写有效日期。"),
            },
            "summary": {"required": _("请填写工作进展。")},
            "status": {
                "required": _("请选择进展状态。"),
                "invalid_choice": _("进展状态只能是正常、预警或滞后。"),
            },
            "percent_complete": {
                "required": _("请填写完成进度。"),
                "invalid": _("完成进度须为0到100之间的整数。"),
                "min_value": _("完成进度须在0到100之间。"),
                "max_value": _("完成进度须在0到100之间。"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("reported_on", timezone.localdate())

    def clean_reported_on(self):
        return _check_date(self.cleaned_data.get("reported_on"))

    def clean_summary(self):
        return _required_text(self.cleaned_data.get("summary"), _("请填写工作进展。"))


class ProgressUpdateEditForm(ProgressUpdateForm, VersionedForm):
    """Editing a report; one in a closed period is corrected by the office with a reason."""

    submission = None  # an edit changes a row; it creates none
    reason = forms.CharField(
        label=_("更正理由"),
        required=False,
        max_length=500,
        help_text=_("该报告期已关闭：更正报告须写明理由，记入变更记录。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_locked:
            del self.fields["reason"]
        elif not self.instance.project.is_workable:  # the project ended or its plan closed
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _(
                "该项目已结束或其年度计划已总结：更正报告须写明理由，记入变更记录。"
            )
            self.fields["reason"].error_messages["required"] = _("更正已结束项目的报告须写明理由。")
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "更正已关闭报告期的报告须写明理由。"
            )


class ReportStepForm(FormDefaults, VersionedForm):
    """One move of a report (``REPORT_STEPS``): submit, accept or return (with a note)."""

    action = forms.ChoiceField(
        choices=[(s.action, s.label) for s in REPORT_STEPS.values()],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("未知的操作。")},
    )
    note = forms.CharField(label=_("审核意见"), required=False, max_length=TEXT_LIMIT)


class CheckpointActionForm(FormDefaults, VersionedForm):
    """One decision on a checkpoint: a move of ``TRANSITIONS``, which also holds its rules."""

    action = forms.ChoiceField(
        choices=[(t.action, t.label) for t in TRANSITIONS.values()],
        widget=forms.HiddenInput,  # sent by the button the user pressed
        error_messages={"invalid_choice": _("未知的操作。")},
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}),
    )


class CheckpointScheduleForm(FormDefaults, forms.ModelForm, VersionedForm):
    class Meta:
        model = Checkpoint
        fields = ["planned_date"]
        widgets = {"planned_date": DateInput()}
        error_messages = {"planned_date": {"invalid": _("请按“年-月-日”填写有效日期。")}}

    def clean_planned_date(self):
        value = self.cleaned_data.get("planned_date")
        if value is not None and value < EARLIEST:
            raise ValidationError(_("日期不能早于2000年。"))
        return value
