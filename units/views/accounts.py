"""Accounts, managed in the app by administrators (管理员): list, create with a temporary
password, edit, set a new temporary password, deactivate and reactivate. Accounts are
never deleted here. A generated password is shown once, in the answer to the save, and
never stored in plain text (not in the session, a message or a log)."""

from functools import partial

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import accounts_for_user, get_account_for_user, new_account_for_user
from ..account_forms import AccountForm, NewAccountForm, TemporaryPasswordForm
from ..history import history_of
from ..services import record_change, save_form
from .common import edit_page, list_page

SECRET_FIELDS = ("password1", "password2")
REASON_PASSWORD, REASON_OFF, REASON_ON = "设置临时密码", "停用账号", "重新启用账号"


@require_GET
def account_list(request):
    return list_page(request, accounts_for_user(request), "units/account_list.html")


def _password_shown(request, account, password, created):
    """The one page that ever shows a generated password."""
    context = {"account": account, "password": password, "created": created}
    return render(request, "units/password_shown.html", context)


@never_cache
@sensitive_variables()
@sensitive_post_parameters(*SECRET_FIELDS)
@require_http_methods(["GET", "POST"])
def account_add(request):
    account = new_account_for_user(request)
    if request.method == "POST":
        form = NewAccountForm(request.POST, instance=account, actor=request.user)
        chosen = {}

        def set_password(form):
            chosen["password"], chosen["generated"] = form.temporary_password(form.instance)
            form.instance.set_temporary_password(chosen["password"])

        if form.is_valid() and save_form(form, before=set_password) is not None:
            if chosen["generated"]:
                return _password_shown(request, form.instance, chosen["password"], True)
            messages.success(
                request,
                _("已新建账号“%(name)s”，临时密码为您输入的密码；首次登录须修改密码。")
                % {"name": form.instance.username},
            )
            return redirect("account_edit", pk=form.instance.pk)
    else:
        form = NewAccountForm(instance=account, actor=request.user)
    status = 400 if form.is_bound else 200
    context = {"form": form, "heading": _("新建账号")}
    return render(request, "units/account_form.html", context, status=status)


def _edit_context(account, password_form=None):
    return {
        "account": account,
        "heading": _("修改账号"),
        "password_form": password_form or TemporaryPasswordForm(user=account),
        "history": SimpleLazyObject(lambda: history_of(account)),
    }


@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    account = get_account_for_user(request, pk, need="edit")
    stored_name = account.username
    return edit_page(
        request,
        partial(AccountForm, actor=request.user),
        account,
        template="units/account_form.html",
        success=lambda a: _("已保存账号“%(name)s”。") % {"name": a.username},
        done=reverse("account_edit", args=[account.pk]),
        context={**_edit_context(account), "title": stored_name},
    )


@never_cache
@sensitive_variables()
@sensitive_post_parameters(*SECRET_FIELDS)
@require_POST
def account_password(request, pk):
    account = get_account_for_user(request, pk, need="reset_password")
    form = TemporaryPasswordForm(request.POST, user=account)
    if not form.is_valid():
        context = {
            **_edit_context(account, form),
            "form": AccountForm(instance=account, actor=request.user),
            "title": account.username,
        }
        return render(request, "units/account_form.html", context, status=400)
    password, generated = form.temporary_password(account)
    account.set_temporary_password(password)
    record_change(account, REASON_PASSWORD, ["password", "must_change_password"])
    if generated:
        return _password_shown(request, account, password, False)
    messages.success(
        request,
        _("已为“%(name)s”设置您输入的临时密码；下次登录须修改密码。") % {"name": account.username},
    )
    return redirect("account_edit", pk=account.pk)


def _switch(request, account, active, reason, message):
    if account.is_active != active:
        account.is_active = active
        record_change(account, reason, ["is_active"])
    messages.success(request, message % {"name": account.username})
    return redirect("account_edit", pk=account.pk)


@require_POST
def account_deactivate(request, pk):
    account = get_account_for_user(request, pk, need="deactivate")
    return _switch(request, account, False, REASON_OFF, _("已停用账号“%(name)s”：不能再登录。"))


@require_POST
def account_reactivate(request, pk):
    account = get_account_for_user(request, pk, need="edit")
    return _switch(request, account, True, REASON_ON, _("已重新启用账号“%(name)s”。"))
