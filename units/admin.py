from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Official, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "unit"]
    search_fields = ["name", "position"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "unit", "official", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "unit"]
    autocomplete_fields = ["unit", "official"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("单位与区领导"), {"fields": ("unit", "official")}),
    )
