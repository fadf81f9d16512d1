from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("plans/load/", views.load_plan, name="load_plan"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export.<str:fmt>", views.project_export, name="project_export"),
    path("projects/<int:year>/<int:number>/", views.project_detail, name="project_detail"),
    path("projects/<int:year>/<int:number>/edit/", views.edit_project, name="project_edit"),
    path("projects/<int:year>/<int:number>/updates/", views.add_update, name="update_add"),
    path(
        "projects/<int:year>/<int:number>/instructions/",
        views.add_instruction,
        name="instruction_add",
    ),
    path(
        "projects/<int:year>/<int:number>/gates/<slug:kind>/",
        views.checkpoint_detail,
        name="checkpoint_detail",
    ),
    path("updates/<int:pk>/edit/", views.edit_update, name="update_edit"),
    path("instructions/<int:pk>/follow-up/", views.follow_up, name="instruction_follow_up"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("officials/<int:pk>/", views.official_detail, name="official_detail"),
]
