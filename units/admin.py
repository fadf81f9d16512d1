"""The admin site, for developers: everyday work on units, officials and accounts is done in
the app (``units.views``). Changes made here are recorded in the same history."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Official, RoleChange, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "unit"]
    search_fields = ["name", "position"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "unit",
        "official",
        "is_active",
        "must_change_password",
    ]
    list_filter = [*BaseUserAdmin.list_filter, "unit", "must_change_password"]
    autocomplete_fields = ["unit", "official"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("单位与区领导"), {"fields": ("unit", "official", "must_change_password")}),
    )


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The record of roles given and taken: read only."""

    list_display = ["changed_at", "user", "role", "added", "changed_by"]
    list_filter = ["added", "role"]
    search_fields = ["user__username", "role"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
