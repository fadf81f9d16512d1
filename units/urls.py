"""The directory of units and officials, the pickers' search and account management.

``/units/<id>/`` and ``/officials/<id>/`` (the projects of a unit or an official) belong
to ``projects``; the pages here sit beside them."""

from django.urls import path

from .views import accounts, directory, search

urlpatterns = [
    path("units/", directory.unit_list, name="unit_list"),
    path("units/new/", directory.unit_add, name="unit_add"),
    path("units/<int:pk>/edit/", directory.unit_edit, name="unit_edit"),
    path("units/search/", search.unit_search, name="unit_search"),
    path("officials/", directory.official_list, name="official_list"),
    path("officials/new/", directory.official_add, name="official_add"),
    path("officials/<int:pk>/edit/", directory.official_edit, name="official_edit"),
    path("officials/search/", search.official_search, name="official_search"),
    path("accounts/users/", accounts.account_list, name="account_list"),
    path("accounts/users/new/", accounts.account_add, name="account_add"),
    path("accounts/users/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    path("accounts/users/<int:pk>/password/", accounts.account_password, name="account_password"),
    path(
        "accounts/users/<int:pk>/deactivate/",
        accounts.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "accounts/users/<int:pk>/reactivate/",
        accounts.account_reactivate,
        name="account_reactivate",
    ),
]
