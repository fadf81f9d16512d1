from django.urls import path

from . import views

urlpatterns = [
    path("", views.portfolio, name="home"),
    path("projects/<int:year>/<int:number>/", views.project_detail, name="project_detail"),
]
