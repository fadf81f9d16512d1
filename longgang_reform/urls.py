from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("龙岗改革台账 管理后台")
admin.site.site_title = _("龙岗改革台账")
admin.site.index_title = _("数据管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("projects.urls")),
]
