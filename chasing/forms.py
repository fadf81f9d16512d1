"""The chasing forms: 催办 on a period page, and a unit's group robot."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.forms import FormDefaults

from . import webhooks
from .models import UnitWebhook

SCOPES = [
    ("all", _("全部未报")),
    ("unit", _("一个单位")),
    ("project", _("一个项目")),
]


class ChaseForm(forms.Form):
    """Which of a period's missing reports to chase: all, one unit's, one project's."""

    scope = forms.ChoiceField(
        choices=SCOPES,
        error_messages={"required": _("请选择催办范围。"), "invalid_choice": _("催办范围无效。")},
    )
    unit = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": _("单位无效。"), "min_value": _("单位无效。")},
    )
    project = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": _("项目无效。"), "min_value": _("项目无效。")},
    )

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == "unit" and not data.get("unit"):
            raise ValidationError(_("请选择要催办的单位。"))
        if scope == "project" and not data.get("project"):
            raise ValidationError(_("请选择要催办的项目。"))
        return data

    def pick(self, items):
        """The chosen items among a period's owed reports."""
        scope, data = self.cleaned_data["scope"], self.cleaned_data
        if scope == "unit":
            return [item for item in items if item.unit.pk == data["unit"]]
        if scope == "project":
            return [item for item in items if item.project.pk == data["project"]]
        return items


class WebhookForm(FormDefaults, forms.ModelForm):
    """A unit's group robot: its URL (checked: http(s), not to this server or the office
    network) and whether it is used."""

    class Meta:
        model = UnitWebhook
        fields = ["url", "active"]
        error_messages = {
            "url": {
                "required": _("请填写群机器人地址。"),
                "invalid": _("请填写有效的网址，以 https:// 开头。"),
                "max_length": _("群机器人地址过长（最多500个字符）。"),
            }
        }

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            # host names are looked up when sending (the robot's DNS may differ later)
            webhooks.check(url, resolve=False)
        except webhooks.Refused as exc:
            raise ValidationError(str(exc)) from exc
        return url
