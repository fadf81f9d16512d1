"""The form that records one of a leader's 四个亲自."""

from django import forms
from django.utils.translation import gettext_lazy as _

from units.forms import OfficialPicker, UnitPickerMultiple

from .forms import DateInput, FormDefaults, _check_date, _required_text
from .models import LeaderAction, Meeting

DATE_INVALID = _("请按“年-月-日”填写有效日期。")
NO_SUCH = _("所选项不存在，请重新选择。")


class LeaderActionForm(FormDefaults, forms.ModelForm):
    """The reform office chooses the leader; a leader records their own actions, so the
    field is not offered to them (``instance.official`` is already theirs)."""

    class Meta:
        model = LeaderAction
        fields = ["official", "kind", "done_on", "what", "units", "meeting"]
        widgets = {
            "official": OfficialPicker(),
            "done_on": DateInput(),
            "what": forms.Textarea(attrs={"rows": 4}),
            "units": UnitPickerMultiple(),
        }
        labels = {"what": _("做了什么")}
        help_texts = {
            "what": _(
                "例如：主持召开专题会议部署；审定改革方案；协调解决的具体问题；督查或调研的地点。"
            ),
            "units": _("参加或涉及的单位，可选多个。"),
            "meeting": _("亲自部署、亲自把关时，可选作出决定的领导小组会议。"),
        }
        error_messages = {
            "official": {"required": _("请选择区领导。"), "invalid_choice": NO_SUCH},
            "kind": {"required": _("请选择类型。"), "invalid_choice": _("类型无效。")},
            "done_on": {"required": _("请填写日期。"), "invalid": DATE_INVALID},
            "what": {"required": _("请填写内容。")},
            "units": {"invalid_choice": NO_SUCH, "invalid_pk_value": NO_SUCH},
            "meeting": {"invalid_choice": NO_SUCH},
        }

    def __init__(self, *args, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["meeting"].empty_label = _("无")
        self.fields["meeting"].queryset = Meeting.objects.order_by("-sequence")
        if own:
            del self.fields["official"]

    def clean_done_on(self):
        return _check_date(self.cleaned_data.get("done_on"))

    def clean_what(self):
        return _required_text(self.cleaned_data.get("what"), _("请填写内容。"))
