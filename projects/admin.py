from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Checkpoint, Instruction, ProgressUpdate, Project, ReformPlan


@admin.register(ReformPlan)
class ReformPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "approved_by", "approved_on"]
    search_fields = ["title", "approved_by"]


class CheckpointInline(admin.TabularInline):
    model = Checkpoint
    fields = ["kind", "status", "planned_date", "passed_on", "evidence", "assessment_notes"]
    extra = 0
    max_num = 3
    can_delete = False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan", "domain", "lead_official", "lead_unit"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "domain", "lead_official", "lead_unit"]
    search_fields = ["title", "problem", "content", "goals", "source_text"]
    autocomplete_fields = ["lead_official", "lead_unit", "participating_units"]
    list_select_related = ["plan", "lead_official", "lead_unit"]
    inlines = [CheckpointInline]


@admin.register(Checkpoint)
class CheckpointAdmin(SimpleHistoryAdmin):
    list_display = ["project", "kind", "status", "planned_date", "passed_on"]
    list_filter = ["kind", "status", "project__plan"]
    search_fields = ["project__title"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["project", "reported_on", "status", "percent_complete", "author"]
    list_filter = ["status", "project__plan", "reported_on"]
    search_fields = ["project__title", "summary", "problems"]
    date_hierarchy = "reported_on"
    list_select_related = ["project", "author"]
    raw_id_fields = ["project", "author"]


@admin.register(Instruction)
class InstructionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "issued_on", "official", "status", "followed_up_on"]
    list_filter = ["status", "project__plan"]
    search_fields = ["project__title", "text", "follow_up"]
    list_select_related = ["project", "official"]
    raw_id_fields = ["project", "author", "followed_up_by"]
