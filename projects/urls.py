from django.urls import path

from .views import checkpoints, plans, portfolio, project
from .views.timeline import timeline

urlpatterns = [
    path("", portfolio.dashboard, name="home"),
    path("plans/load/", plans.load_plan, name="load_plan"),
    path("projects/", portfolio.project_list, name="project_list"),
    path("timeline/", timeline, name="timeline"),
    path("projects/export.<str:fmt>", portfolio.project_export, name="project_export"),
    path("projects/<int:year>/<int:number>/", project.project_detail, name="project_detail"),
    path("projects/<int:year>/<int:number>/edit/", project.edit_project, name="project_edit"),
    path("projects/<int:year>/<int:number>/updates/", project.add_update, name="update_add"),
    path(
        "projects/<int:year>/<int:number>/instructions/",
        project.add_instruction,
        name="instruction_add",
    ),
    # the URL keeps "gates" (links are shared); the code says "checkpoint"
    path(
        "projects/<int:year>/<int:number>/gates/<slug:kind>/",
        checkpoints.checkpoint_detail,
        name="checkpoint_detail",
    ),
    path("updates/<int:pk>/edit/", project.edit_update, name="update_edit"),
    path("instructions/<int:pk>/follow-up/", project.follow_up, name="instruction_follow_up"),
    path("units/<int:pk>/", portfolio.unit_detail, name="unit_detail"),
    path("officials/<int:pk>/", portfolio.official_detail, name="official_detail"),
]
