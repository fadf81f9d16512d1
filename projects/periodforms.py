"""Forms of the reporting cycle: opening and closing a report period."""

import calendar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ProjectTier
from .forms import DateInput, FormDefaults, VersionedForm
from .models import ReportPeriod

INVALID_DATE = _("请按“年-月-日”填写有效日期。")


class PeriodForm(FormDefaults, forms.ModelForm):
    tiers = forms.MultipleChoiceField(
        label=_("覆盖的项目类别"),
        choices=ProjectTier.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ProjectTier.DISTRICT],
        error_messages={"required": _("请至少选择一类项目。")},
    )

    class Meta:
        model = ReportPeriod
        fields = ["name", "kind", "starts_on", "ends_on", "due_on", "tiers"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "due_on": DateInput()}
        error_messages = {
            "name": {"required": _("请填写报告期名称。")},
            "starts_on": {
                "required": _("请填写起始日期。"),
                "invalid": _("请按“年-月-日”填写有效日期。"),
            },
            "ends_on": {
                "required": _("请填写截止日期。"),
                "invalid": _("请按“年-月-日”填写有效日期。"),
            },
            "due_on": {
                "required": _("请填写报送期限。"),
                "invalid": _("请按“年-月-日”填写有效日期。"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            last = calendar.monthrange(today.year, today.month)[1]
            # this month by default (the new instance's empty fields are in ``initial`` too)
            defaults = {
                "name": f"{today.year}年{today.month}月",
                "starts_on": today.replace(day=1),
                "ends_on": today.replace(day=last),
                "due_on": today.replace(day=last),
            }
            for field, value in defaults.items():
                if self.initial.get(field) in (None, ""):
                    self.initial[field] = value

    def clean(self):
        data = super().clean()
        starts, ends, due = data.get("starts_on"), data.get("ends_on"), data.get("due_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("截止日期不能早于起始日期。"))
        if starts and due and due < starts:
            self.add_error("due_on", _("报送期限不能早于起始日期。"))
        return data

    def validate_unique(self):
        """The (plan, name) constraint: the plan comes from the page, not the form."""
        plan = getattr(self.instance, "plan", None)
        name = self.cleaned_data.get("name")
        if plan is not None and name and plan.periods.filter(name=name).exists():
            self.add_error("name", ValidationError(_("该年度计划已有同名的报告期。")))


class ClosePeriodForm(FormDefaults, VersionedForm):
    pass
