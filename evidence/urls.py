from django.urls import path

from . import views

urlpatterns = [
    path("files/<int:pk>/download/", views.download, name="evidence_download"),
    path("files/<int:pk>/remove/", views.remove, name="evidence_remove"),
    path("files/on/<str:label>/<int:pk>/", views.attachments, name="evidence_list"),
]
