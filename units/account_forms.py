"""Forms for managing accounts in the app (管理员): the account itself and a temporary
password (generated or typed)."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import PlainLabels
from .models import User
from .passwords import generate_temporary_password
from .widgets import OfficialPicker, UnitPicker

GENERATE, TYPE = "generate", "type"


class AccountForm(PlainLabels, forms.ModelForm):
    """Who the person is and what they may do: roles are the groups in the database."""

    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("角色"),
        queryset=Group.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少选择一个角色。"),
            "invalid_choice": _("所选角色不存在。"),
            "invalid_pk_value": _("所选角色不存在。"),
        },
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "groups", "unit", "official", "is_staff"]
        widgets = {"unit": UnitPicker(), "official": OfficialPicker()}
        labels = {"username": _("用户名"), "email": _("电子邮箱"), "is_staff": _("可进入管理后台")}
        help_texts = {
            "username": _("登录时使用，不能与他人重复。"),
            "email": _("可不填；用于找回密码。"),
            "unit": _("牵头单位联络员请选择所在单位。"),
            "official": _("区领导的账号请选择对应的区领导。"),
            "is_staff": _("仅维护人员需要；日常管理无须进入后台。"),
        }
        error_messages = {
            "username": {"required": _("请填写用户名。"), "unique": _("该用户名已被使用。")},
            "official": {"unique": _("该区领导已关联其他账号。")},
            "email": {"invalid": _("请填写有效的电子邮箱。")},
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"].empty_label = _("— 无 —")
        self.fields["official"].empty_label = _("— 无 —")
        if self.instance.pk and not self.is_bound:
            self.initial["full_name"] = self.instance.get_full_name()

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is not None:
            try:
                self.instance.check_own_roles(self.actor, groups)
            except ValidationError as exc:
                self.add_error("groups", exc)
        return cleaned

    def save(self, commit=True):
        # one name as people write it (张三); first_name stays empty
        self.instance.first_name = ""
        self.instance.last_name = self.cleaned_data.get("full_name", "")
        return super().save(commit)


class TemporaryPasswordFields(forms.Form):
    """A temporary password: generated (shown once after saving) or typed twice by the
    administrator and checked by Django's password validators."""

    password_mode = forms.ChoiceField(
        label=_("临时密码"),
        choices=[(GENERATE, _("自动生成（保存后显示一次）")), (TYPE, _("自行设置"))],
        initial=GENERATE,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择临时密码的设置方式。")},
    )
    password1 = forms.CharField(
        label=_("输入临时密码"),
        help_text=_("仅在选择“自行设置”时填写。"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("再次输入临时密码"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def check_typed_password(self, user):
        """Called once ``user`` holds the form's values (the validators compare the
        password with the username and name)."""
        if self.cleaned_data.get("password_mode") != TYPE:
            return
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if not first:
            self.add_error("password1", _("请输入临时密码，或选择自动生成。"))
        elif first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        else:
            try:
                password_validation.validate_password(first, user)
            except ValidationError as exc:
                self.add_error("password1", exc)

    def temporary_password(self, user):
        """``(password, generated)`` for a valid form."""
        if self.cleaned_data["password_mode"] == TYPE:
            return self.cleaned_data["password1"], False
        return generate_temporary_password(user), True


class NewAccountForm(TemporaryPasswordFields, AccountForm):
    def _post_clean(self):
        super()._post_clean()  # the instance now holds the username and name
        self.check_typed_password(self.instance)


class TemporaryPasswordForm(PlainLabels, TemporaryPasswordFields):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password_mode"].label = _("设置方式")  # the section is 临时密码

    def clean(self):
        cleaned = super().clean()
        self.check_typed_password(self.user)
        return cleaned
