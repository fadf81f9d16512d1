from django.urls import path

from .views import (
    checkpoints,
    imports,
    instructions,
    leaders,
    meetings,
    periods,
    plans,
    portfolio,
    project,
    reports,
)
from .views.timeline import timeline

urlpatterns = [
    path("", portfolio.dashboard, name="home"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_new, name="plan_new"),
    path("plans/load/", plans.load_plan, name="load_plan"),
    path("plans/<int:year>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:year>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:year>/steps/", plans.plan_step, name="plan_step"),
    path("plans/<int:year>/projects/new/", plans.project_new, name="project_new"),
    path("plans/<int:year>/periods/", periods.period_list, name="period_list"),
    path("plans/<int:year>/leaders/", leaders.leader_matrix, name="leader_matrix"),
    path("plans/<int:year>/actions/new/", leaders.action_new, name="plan_action_new"),
    path("plans/<int:year>/periods/new/", periods.period_new, name="period_new"),
    path("periods/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periods/<int:pk>/close/", periods.period_close, name="period_close"),
    path("plans/<int:year>/import/", imports.import_start, name="plan_import"),
    path(
        "plans/<int:year>/import/template.xlsx",
        imports.import_template,
        name="plan_import_template",
    ),
    path(
        "plans/<int:year>/import/<slug:token>/", imports.import_preview, name="plan_import_preview"
    ),
    path("plans/<int:year>/scoreboard/", reports.scoreboard_page, name="scoreboard"),
    path("periods/<int:pk>/bulletin/", reports.bulletin_page, name="period_bulletin"),
    path("periods/<int:pk>/bulletin.docx", reports.bulletin_docx, name="period_bulletin_docx"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/decisions/", meetings.decision_add, name="decision_add"),
    path("projects/", portfolio.project_list, name="project_list"),
    path("timeline/", timeline, name="timeline"),
    path("projects/export.<str:fmt>", portfolio.project_export, name="project_export"),
    path("projects/<int:year>/<int:number>/", project.project_detail, name="project_detail"),
    path("projects/<int:year>/<int:number>/edit/", project.edit_project, name="project_edit"),
    path(
        "projects/<int:year>/<int:number>/withdraw/",
        project.withdraw_project,
        name="project_withdraw",
    ),
    path("projects/<int:year>/<int:number>/updates/", project.add_update, name="update_add"),
    path(
        "projects/<int:year>/<int:number>/instructions/",
        project.add_instruction,
        name="instruction_add",
    ),
    path(
        "projects/<int:year>/<int:number>/actions/new/",
        leaders.action_new,
        name="project_action_new",
    ),
    # the URL keeps "gates" (links are shared); the code says "checkpoint"
    path(
        "projects/<int:year>/<int:number>/gates/<slug:kind>/",
        checkpoints.checkpoint_detail,
        name="checkpoint_detail",
    ),
    path("updates/<int:pk>/edit/", project.edit_update, name="update_edit"),
    path("updates/<int:pk>/steps/", project.report_step, name="report_step"),
    path("instructions/<int:pk>/", instructions.instruction_detail, name="instruction_detail"),
    path("instructions/<int:pk>/follow-up/", instructions.follow_up, name="instruction_follow_up"),
    path("instructions/<int:pk>/correct/", instructions.correct, name="instruction_correct"),
    path("units/<int:pk>/", portfolio.unit_detail, name="unit_detail"),
    path("officials/<int:pk>/", portfolio.official_detail, name="official_detail"),
    path(
        "officials/<int:pk>/instructions/",
        instructions.official_instructions,
        name="official_instructions",
    ),
]
