from django.urls import path

from . import views

urlpatterns = [
    path("todo/", views.todo_list, name="todo"),
    path("plans/<int:year>/escalations/", views.escalation_list, name="escalation_list"),
    path("periods/<int:pk>/chase/", views.chase_period, name="chase_period"),
    path("chasing/webhooks/", views.webhook_list, name="webhook_list"),
    path("chasing/webhooks/<int:unit_pk>/", views.webhook_edit, name="webhook_edit"),
    path("chasing/webhooks/<int:unit_pk>/test/", views.webhook_test, name="webhook_test"),
]
