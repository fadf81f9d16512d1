"""The admin site (developers): reminders are a record, read only; robots as in the app."""

from django.contrib import admin

from .models import Reminder, UnitWebhook


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "item", "stage", "channel", "to_whom", "status", "attempts"]
    list_filter = ["status", "channel", "stage", "kind", "day"]
    search_fields = ["item", "to_whom", "subject"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitWebhook)
class UnitWebhookAdmin(admin.ModelAdmin):
    list_display = ["unit", "masked_url", "active", "updated_at", "updated_by"]
    fields = ["unit", "url", "active"]
