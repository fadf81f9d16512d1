"""Forms of a leader's instruction (批示): writing it, correcting it, recording its
follow-up, and the moves made with a note (``instructions.INSTRUCTION_STEPS``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.forms import UnitPickerMultiple

from .forms import (
    EARLIEST,
    TEXT_LIMIT,
    DateInput,
    FormDefaults,
    SubmittedOnceForm,
    VersionedForm,
    _check_date,
    _required_text,
)
from .instructions import NOTE_STEPS
from .models import Instruction

DATE_INVALID = _("请按“年-月-日”填写有效日期。")


class _InstructionFields(FormDefaults, forms.ModelForm):
    """What the leader decides: the text, the units that must act and the due date."""

    class Meta:
        model = Instruction
        fields = ["issued_on", "text", "units", "due_on"]
        widgets = {
            "issued_on": DateInput(),
            "due_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 3}),
            "units": UnitPickerMultiple(),
        }
        help_texts = {
            "units": _("默认为项目的牵头单位；可选多个单位。"),
            "due_on": _("到期仍待落实的批示显示为逾期，由区委改革办督办。"),
        }
        error_messages = {
            "text": {"required": _("请填写批示内容。")},
            "issued_on": {"required": _("请填写批示日期。"), "invalid": DATE_INVALID},
            "due_on": {"invalid": DATE_INVALID},
            "units": {
                "invalid_choice": _("所选单位不存在，请重新选择。"),
                "invalid_pk_value": _("所选单位不存在，请重新选择。"),
            },
        }

    def clean_issued_on(self):
        return _check_date(self.cleaned_data.get("issued_on"))

    def clean_text(self):
        return _required_text(self.cleaned_data.get("text"), _("请填写批示内容。"))

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        if value is not None and value < EARLIEST:
            raise ValidationError(_("日期不能早于2000年。"))
        return value

    def clean(self):
        data = super().clean()
        issued = data.get("issued_on", self.instance.issued_on)
        due = data.get("due_on")
        if due is not None and issued is not None and due < issued:
            self.add_error("due_on", _("落实时限不能早于批示日期。"))
        return data


class InstructionForm(_InstructionFields, SubmittedOnceForm):
    """A new instruction on the project page; the units start as the project's lead unit."""

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and project is not None and project.lead_unit_id:
            self.initial.setdefault("units", [project.lead_unit_id])


class InstructionCorrectForm(_InstructionFields, VersionedForm):
    """The author's correction while nobody has acted on it (not its date)."""

    class Meta(_InstructionFields.Meta):
        fields = ["text", "units", "due_on"]

    def clean_units(self):
        units = self.cleaned_data.get("units")
        lead = self.instance.project.lead_unit
        if not units and lead is not None:
            return [lead]
        return units


class FollowUpForm(FormDefaults, forms.ModelForm, VersionedForm):
    class Meta:
        model = Instruction
        fields = ["follow_up", "followed_up_on"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 3}), "followed_up_on": DateInput()}
        error_messages = {"followed_up_on": {"invalid": DATE_INVALID}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].required = True
        self.fields["follow_up"].error_messages["required"] = _("请填写落实情况。")
        self.fields["followed_up_on"].required = True
        self.fields["followed_up_on"].error_messages["required"] = _("请填写落实日期。")
        if not self.is_bound and not self.initial.get("followed_up_on"):
            # an instruction not yet followed up has no date: today is the likely one
            self.initial["followed_up_on"] = timezone.localdate()

    def clean_followed_up_on(self):
        return _check_date(self.cleaned_data.get("followed_up_on"))

    def clean_follow_up(self):
        return _required_text(self.cleaned_data.get("follow_up"), _("请填写落实情况。"))


class InstructionStepForm(FormDefaults, VersionedForm):
    """A move made with a note (``instructions.NOTE_STEPS``): close, send back, withdraw."""

    action = forms.ChoiceField(
        choices=[(step.action, step.label) for step in NOTE_STEPS],
        widget=forms.HiddenInput,  # sent by the button the user pressed
        error_messages={"invalid_choice": _("未知的操作。"), "required": _("未知的操作。")},
    )
    note = forms.CharField(
        label=_("意见或理由"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT}),
    )
