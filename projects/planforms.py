"""Forms for setting up a year's plan: the plan, its projects, withdrawals, meetings."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from units.forms import OfficialPicker, OfficialPickerMultiple, UnitPicker, UnitPickerMultiple

from .choices import DecisionKind, PlanStatus, ProjectTier
from .forms import TEXT_LIMIT, DateInput, FormDefaults, VersionedForm, _required_text
from .models import PLAN_STEPS, AgendaItem, Decision, Meeting, Project, ReformPlan

PROJECT_TEXTS = ["problem", "principles", "content", "innovation", "goals", "city_plan_note"]
REASON_HELP = _(
    "计划已审议通过：修改项目名称、内容、目标、牵头领导或单位，须写明调整理由，列入计划调整。"
)


def _reason_field(required=False):
    return forms.CharField(
        label=_("调整理由"),
        required=required,
        max_length=TEXT_LIMIT,
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanForm(FormDefaults, forms.ModelForm):
    class Meta:
        model = ReformPlan
        fields = ["year", "title", "summary", "source_note"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "source_note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "year": {"required": _("请填写年度。"), "invalid": _("年度须为四位数字。")},
            "title": {"required": _("请填写计划名称。")},
        }

    def clean_title(self):
        return _required_text(self.cleaned_data.get("title"), _("请填写计划名称。"))

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise ValidationError(_("年度须在2000至2100之间。"))
        return year


class PlanEditForm(PlanForm, VersionedForm):
    class Meta(PlanForm.Meta):
        fields = ["title", "summary", "source_note"]


class PlanStepForm(FormDefaults, VersionedForm):
    action = forms.ChoiceField(
        choices=[(s.action, s.label) for s in PLAN_STEPS.values() if not s.by_meeting],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("未知的操作。")},
    )


class ProjectFields(FormDefaults, forms.ModelForm):
    """A project's own fields; the plan comes from the page (``instance.plan``)."""

    class Meta:
        model = Project
        fields = [
            "number",
            "title",
            "tier",
            "issuing_level",
            "issuing_document",
            "domain",
            "lead_official",
            "lead_unit",
            "participating_units",
            *PROJECT_TEXTS,
            "source_text",
            "source_note",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [*PROJECT_TEXTS, "source_text", "source_note"]
        } | {
            # search as you type (units.forms); a plain select without JavaScript
            "lead_official": OfficialPicker(),
            "lead_unit": UnitPicker(),
            "participating_units": UnitPickerMultiple(),
        }
        error_messages = {
            "title": {"required": _("请填写项目名称。")},
            "number": {"required": _("请填写项目序号。"), "invalid": _("项目序号须为整数。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_level"].required = False

    def clean_title(self):
        return _required_text(self.cleaned_data.get("title"), _("请填写项目名称。"))

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is not None and number < 1:
            raise ValidationError(_("项目序号须从1开始。"))
        taken = Project.objects.filter(plan=self.instance.plan_id and self.instance.plan)
        if number is not None and taken.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("同一改革计划中项目序号不能重复。"))
        return number

    def clean(self):
        data = super().clean()
        tier, level = data.get("tier"), data.get("issuing_level")
        if tier == ProjectTier.HIGHER and not level:
            self.add_error("issuing_level", _("上级部署的改革任务须注明部署层级（中央、省或市）。"))
        elif tier and tier != ProjectTier.HIGHER:
            data["issuing_level"] = ""
        return data


class ProjectForm(ProjectFields, VersionedForm):
    """Editing a project; on an approved plan a change to the watched fields needs a
    reason (the planning service checks which fields changed)."""

    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.needs_correction:
            # ended (销号, 结转, 终止, 撤销) or its plan closed: the office's correction
            reason = self.fields["reason"]
            reason.required = True
            reason.label = _("更正理由")
            reason.help_text = _(
                "该项目已结束或其年度计划已总结：只有区委改革办可以更正，须写明理由，记入变更记录。"
            )
            reason.error_messages["required"] = _("更正已结束的项目须写明理由。")
        elif not (self.instance.pk and self.instance.plan.is_locked):
            del self.fields["reason"]


class ProjectCreateForm(ProjectFields):
    """A new project of a plan; on an approved plan it needs a reason (计划调整)."""

    reason = _reason_field(required=True)

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("instance", Project(plan=plan))
        super().__init__(*args, **kwargs)
        if not plan.is_locked:
            del self.fields["reason"]
        else:
            self.fields["reason"].help_text = _(
                "计划已审议通过：新增项目须写明调整理由，列入计划调整。"
            )
        if not self.is_bound and not self.initial.get("number"):  # the instance's is None
            last = plan.projects.order_by("-number").values_list("number", flat=True).first()
            self.initial["number"] = (last or 0) + 1


class WithdrawForm(FormDefaults, VersionedForm):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("撤销项目须说明理由。")},
    )

    def clean_reason(self):
        return _required_text(self.cleaned_data.get("reason"), _("撤销项目须说明理由。"))


class MeetingForm(FormDefaults, forms.ModelForm, VersionedForm):
    class Meta:
        model = Meeting
        fields = [
            "sequence",
            "held_on",
            "chair",
            "attendees",
            "other_attendees",
            "requirements",
            "source_note",
        ]
        widgets = {
            "held_on": DateInput(),
            "chair": OfficialPicker(),
            "attendees": OfficialPickerMultiple(),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "source_note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "sequence": {"required": _("请填写会议届次。"), "invalid": _("会议届次须为整数。")},
        }

    def clean_sequence(self):
        sequence = self.cleaned_data.get("sequence")
        if sequence is not None and sequence < 1:
            raise ValidationError(_("会议届次须从1开始。"))
        others = Meeting.objects.exclude(pk=self.instance.pk)
        if sequence is not None and others.filter(sequence=sequence).exists():
            raise ValidationError(_("已有同一届次的会议记录。"))
        return sequence


class MeetingCreateForm(MeetingForm):
    version = None


class AgendaItemForm(FormDefaults, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["topic", "presenters", "presenters_note"]
        widgets = {
            "topic": forms.Textarea(attrs={"rows": 2}),
            "presenters": UnitPickerMultiple(),
        }
        error_messages = {"topic": {"required": _("请填写议题。")}}

    def clean_topic(self):
        return _required_text(self.cleaned_data.get("topic"), _("请填写议题。"))


class DecisionForm(FormDefaults, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["kind", "text", "plan", "project", "unit", "due_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
            "unit": UnitPicker(),
        }
        error_messages = {
            "text": {"required": _("请填写决定内容。")},
            "kind": {"required": _("请选择决定类型。"), "invalid_choice": _("决定类型无效。")},
        }
        help_texts = {
            "plan": _("审议通过计划时选择（须已形成送审稿）。"),
            "project": _("审议通过项目方案（方案关须已报审）或部署任务时选择。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ReformPlan.objects.filter(synthetic=False)
        self.fields["project"].queryset = (
            Project.objects.select_related("plan")
            .filter(plan__synthetic=False)
            .exclude(plan__status=PlanStatus.CLOSED)
        )

    def clean_text(self):
        return _required_text(self.cleaned_data.get("text"), _("请填写决定内容。"))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DecisionKind.APPROVE_PLAN and not data.get("plan"):
            self.add_error("plan", _("审议通过计划的决定须指明计划。"))
        if kind == DecisionKind.APPROVE_CHECKPOINT and not data.get("project"):
            self.add_error("project", _("审议通过项目方案的决定须指明项目。"))
        return data
