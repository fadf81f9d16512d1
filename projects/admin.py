"""The admin site, for developers: the same rules as the app. Saves carry the version the
form was opened at and are refused on a stale one; checkpoint status changes only through
the app's transitions (read-only here); history cannot be reverted from here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Checkpoint, Instruction, ProgressUpdate, Project, ReformPlan
from .versioning import EditConflict, save_with_version

STALE = _("该记录在您打开此页之后已被他人修改，未保存。请重新打开后再修改。")


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the change form was opened at."""

    # not "version": the model's own field of that name is not editable
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            stored = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            if data.get("opened_version") != stored.values_list("version", flat=True).first():
                raise ValidationError(STALE, code="stale")
        return data


class VersionedAdmin(SimpleHistoryAdmin):
    """Change forms saved with the app's compare-and-swap, as the app's own edit pages."""

    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            save_with_version(obj, form.cleaned_data["opened_version"])
        else:
            obj.save()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Old versions may be looked at, never saved back: a revert would write a whole
        old row (a checkpoint's status with it) past the rules."""
        if request.method == "POST":
            raise PermissionDenied(_("管理后台不能恢复旧版本。"))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:  # saved by someone else between the check and the save
            messages.error(request, STALE)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(ReformPlan)
class ReformPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "approved_by", "approved_on"]
    search_fields = ["title", "approved_by"]


class CheckpointInline(admin.TabularInline):
    """Shown, not edited: a checkpoint changes on its own page (dates) and by decisions."""

    model = Checkpoint
    fields = ["kind", "status", "planned_date", "passed_on", "evidence", "assessment_notes"]
    readonly_fields = fields
    extra = 0
    max_num = 3
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    list_display = ["number", "title", "plan", "domain", "lead_official", "lead_unit"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "domain", "lead_official", "lead_unit"]
    search_fields = ["title", "problem", "content", "goals", "source_text"]
    autocomplete_fields = ["lead_official", "lead_unit", "participating_units"]
    list_select_related = ["plan", "lead_official", "lead_unit"]
    inlines = [CheckpointInline]


@admin.register(Checkpoint)
class CheckpointAdmin(VersionedAdmin):
    list_display = ["project", "kind", "status", "planned_date", "passed_on"]
    list_filter = ["kind", "status", "project__plan"]
    search_fields = ["project__title"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]
    # status and the date passed move only through the 三关 transitions, in the app
    readonly_fields = ["status", "passed_on"]

    def get_readonly_fields(self, request, obj=None):
        # which project and which checkpoint a row is never changes either
        return [*self.readonly_fields, "project", "kind"] if obj else self.readonly_fields


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(VersionedAdmin):
    list_display = ["project", "reported_on", "status", "percent_complete", "author"]
    list_filter = ["status", "project__plan", "reported_on"]
    search_fields = ["project__title", "summary", "problems"]
    date_hierarchy = "reported_on"
    list_select_related = ["project", "author"]
    raw_id_fields = ["project", "author"]


@admin.register(Instruction)
class InstructionAdmin(VersionedAdmin):
    list_display = ["project", "issued_on", "official", "status", "followed_up_on"]
    list_filter = ["status", "project__plan"]
    search_fields = ["project__title", "text", "follow_up"]
    list_select_related = ["project", "official"]
    raw_id_fields = ["project", "author", "followed_up_by"]
