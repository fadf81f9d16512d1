"""Forms of the signed-in intake pages: the call, proposals and their moves, experts and
reviews, field research, selection into the plan, and handling public suggestions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.forms import DateInput, FormDefaults, VersionedForm, _check_date, _required_text
from projects.models import ReformPlan
from units.models import User

from .choices import PRINCIPLES, SCORE_MAX, SCORE_MIN, Recommendation
from .models import MOVES, Call, FieldVisit, Proposal, Review, Suggestion
from .roles import EXPERT

NOTE_LIMIT = 2000
DATE_INVALID = _("请按“年-月-日”填写有效日期。")


class CallForm(FormDefaults, forms.ModelForm):
    """Open a call: for which plan, when, to which units."""

    class Meta:
        model = Call
        fields = ["plan", "opens_on", "closes_on", "units", "notice"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "units": forms.CheckboxSelectMultiple,
            "notice": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "plan": {"required": _("请选择改革计划。"), "invalid_choice": _("请选择改革计划。")},
            "opens_on": {"required": _("请填写征集开始日期。"), "invalid": DATE_INVALID},
            "closes_on": {"required": _("请填写征集截止日期。"), "invalid": DATE_INVALID},
            "units": {"required": _("请至少选择一个征集对象单位。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "plan" in self.fields:
            self.fields["plan"].queryset = ReformPlan.objects.filter(
                intake_call__isnull=True
            ).exclude(status="closed")
            self.fields["plan"].empty_label = _("— 请选择 —")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("征集截止日期不能早于开始日期。"))
        return data


class CallEditForm(CallForm, VersionedForm):
    class Meta(CallForm.Meta):
        fields = ["opens_on", "closes_on", "units", "notice"]


class ProposalForm(FormDefaults, forms.ModelForm):
    """A proposal's texts and people. The office also names the proposing unit; a liaison
    proposes for their own."""

    class Meta:
        model = Proposal
        fields = [
            "unit",
            "title",
            "domain",
            "background",
            "content",
            "highlights",
            "outcomes",
            "suggested_leader",
            "participating_units",
        ]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "content": forms.Textarea(attrs={"rows": 5}),
            "highlights": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "participating_units": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": _("请填写项目名称。")},
            "unit": {"required": _("请选择提出单位。")},
            "domain": {"invalid_choice": _("领域无效。")},
        }
        help_texts = {"background": _("背景和拟解决的问题")}

    def __init__(self, *args, call, for_office=False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_office and "unit" in self.fields:
            self.fields["unit"].queryset = call.units.all()
            self.fields["unit"].empty_label = _("— 请选择 —")
        else:
            del self.fields["unit"]

    def clean_title(self):
        return _required_text(self.cleaned_data.get("title"), _("请填写项目名称。"))


class ProposalEditForm(ProposalForm, VersionedForm):
    pass


class MoveForm(FormDefaults, VersionedForm):
    """One move of ``MOVES`` made by a button (not those that make a project)."""

    action = forms.ChoiceField(
        choices=[(m.action, m.label) for m in MOVES.values() if not m.automatic],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("未知的操作。")},
    )
    note = forms.CharField(
        label=_("意见或理由"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回修改、未入选须填写；会告知提出单位。"),
    )
    target = forms.ModelChoiceField(
        label=_("合并到"),
        queryset=Proposal.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择要合并到的项目建议。")},
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Proposal.objects.filter(call_id=proposal.call_id)
            .exclude(pk=proposal.pk)
            .exclude(status__in=["draft", "merged", "rejected"])
        )
        self.fields["target"].empty_label = _("— 合并时选择 —")


class ExpertsForm(FormDefaults, VersionedForm):
    experts = forms.ModelMultipleChoiceField(
        label=_("评审专家"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("请选择评审专家。"),
            "invalid_pk_value": _("请选择评审专家。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = User.objects.filter(groups__name=EXPERT).order_by(
            "username"
        )


SCORES = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class ReviewForm(FormDefaults, forms.ModelForm):
    """An expert's review: 1–5 on each principle, a comment, a recommendation."""

    comment = forms.CharField(
        label=_("评审意见"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_LIMIT}),
    )

    class Meta:
        model = Review
        fields = [name for name, _label in PRINCIPLES] + ["recommendation", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in PRINCIPLES:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score"}),
                error_messages={
                    "required": _("请为“%(principle)s”评分。") % {"principle": label},
                    "invalid_choice": _("评分须为1至5分。"),
                },
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("评审建议"),
            choices=Recommendation.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("请选择评审建议。"),
                "invalid_choice": _("评审建议无效。"),
            },
        )


class FieldVisitForm(FormDefaults, forms.ModelForm):
    class Meta:
        model = FieldVisit
        fields = ["visited_on", "place", "people", "findings"]
        widgets = {"visited_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "visited_on": {"required": _("请填写调研日期。"), "invalid": DATE_INVALID},
            "place": {"required": _("请填写调研地点。")},
            "people": {"required": _("请填写参加人员。")},
            "findings": {"required": _("请填写调研发现。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("visited_on", timezone.localdate())

    def clean_visited_on(self):
        return _check_date(self.cleaned_data.get("visited_on"))

    def clean_place(self):
        return _required_text(self.cleaned_data.get("place"), _("请填写调研地点。"))

    def clean_people(self):
        return _required_text(self.cleaned_data.get("people"), _("请填写参加人员。"))

    def clean_findings(self):
        return _required_text(self.cleaned_data.get("findings"), _("请填写调研发现。"))


class SelectForm(FormDefaults, VersionedForm):
    """入选 or 转为单位自主项目: the new project's number and title in the plan, and the
    reason an approved plan asks for (计划调整)."""

    number = forms.IntegerField(
        label=_("项目序号"),
        min_value=1,
        max_value=999,
        error_messages={
            "required": _("请填写项目序号。"),
            "invalid": _("项目序号须为正整数。"),
            "min_value": _("项目序号须从1开始。"),
            "max_value": _("项目序号不能超过999。"),
        },
    )
    title = forms.CharField(
        label=_("项目名称"), max_length=200, error_messages={"required": _("请填写项目名称。")}
    )
    note = forms.CharField(
        label=_("评审结论说明"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("调整理由"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("计划已审议通过：新增项目须说明调整理由，列入计划调整。"),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if not plan.is_locked:
            del self.fields["reason"]

    def clean_title(self):
        return _required_text(self.cleaned_data.get("title"), _("请填写项目名称。"))

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number and self.plan.projects.filter(number=number).exists():
            raise ValidationError(_("该序号已被计划中的其他项目占用，请换一个序号。"))
        return number

    def clean_reason(self):
        return _required_text(
            self.cleaned_data.get("reason"), _("计划已审议通过：新增项目须说明调整理由。")
        )


class ModerationForm(FormDefaults, forms.ModelForm, VersionedForm):
    """The office's handling of a public suggestion; a duplicate names the original by its
    receipt number."""

    duplicate_receipt = forms.CharField(
        label=_("与哪条重复（回执号）"), required=False, max_length=20
    )
    public_reply = forms.CharField(
        label=_("公开答复"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LIMIT}),
        help_text=_("提出人凭回执号可以看到，请勿写入内部信息。"),
    )

    class Meta:
        model = Suggestion
        fields = ["call", "domain", "disposition", "proposals", "public_reply"]
        widgets = {"proposals": forms.CheckboxSelectMultiple}
        error_messages = {
            "disposition": {"invalid_choice": _("处理分类无效。")},
            "domain": {"invalid_choice": _("领域无效。")},
        }

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.fields["call"].empty_label = _("— 未归入征集 —")
        if self.instance.duplicate_of_id and not self.is_bound:
            self.initial["duplicate_receipt"] = self.instance.duplicate_of.receipt_display

    def clean(self):
        from .public import normalize_receipt

        data = super().clean()
        self.instance.duplicate_of = None
        if data.get("disposition") == "duplicate":
            receipt = normalize_receipt(data.get("duplicate_receipt"))
            original = (
                Suggestion.objects.filter(receipt=receipt).exclude(pk=self.instance.pk).first()
                if receipt
                else None
            )
            if original is None:
                self.add_error("duplicate_receipt", _("请填写与之重复的另一条建议的回执号。"))
            self.instance.duplicate_of = original
        return data
