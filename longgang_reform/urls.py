from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from units.forms import AdminLoginForm, LoginForm

from .views import healthz

admin.site.site_header = _("龙岗改革台账 管理后台")
admin.site.site_title = _("龙岗改革台账")
admin.site.index_title = _("数据管理")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # the login page offers the language switch too
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("projects.urls")),
]
