"""Forms of the ``units`` app: sign-in, units, officials (accounts: ``account_forms``),
and the pickers other forms use for units and officials (``widgets``)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import Official, Unit
from .widgets import OfficialPicker, OfficialPickerMultiple, UnitPicker, UnitPickerMultiple

__all__ = [
    "AdminLoginForm",
    "LoginForm",
    "OfficialForm",
    "OfficialPicker",
    "OfficialPickerMultiple",
    "SearchForm",
    "UnitForm",
    "UnitPicker",
    "UnitPickerMultiple",
]

USERNAME_LIMIT = 150  # AbstractUser.username's max_length


class _LengthChecked:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets max_length on this field after creating it, so the validator that
        # would enforce it is missing; without it a long name reached django-axes' log.
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_LIMIT))


class LoginForm(_LengthChecked, AuthenticationForm):
    pass


class AdminLoginForm(_LengthChecked, AdminAuthenticationForm):
    pass


class PlainLabels:
    """Labels without an ASCII colon (the templates place them above the field)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SearchForm(forms.Form):
    """The ``?q=`` of the list pages and of the search endpoints."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        error_messages={"max_length": _("搜索内容最多50个字。")},
    )

    def text(self):
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class UnitForm(PlainLabels, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent"]
        widgets = {"parent": UnitPicker()}
        help_texts = {
            "short_name": _("可不填；填写时不能与其他单位重复。"),
            "parent": _("例如街道下属的社区工作站；没有则不选。"),
        }
        error_messages = {
            "name": {"required": _("请填写单位全称。")},
            "kind": {"required": _("请选择单位类别。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].empty_label = _("无（不隶属其他单位）")
        self.fields["parent"].queryset = Unit.objects.order_by("kind", "name")


class OfficialForm(PlainLabels, forms.ModelForm):
    class Meta:
        model = Official
        fields = ["name", "position", "unit"]
        widgets = {"unit": UnitPicker()}
        error_messages = {
            "name": {"required": _("请填写姓名。")},
            "position": {"required": _("请填写职务。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].empty_label = _("— 未填写 —")
