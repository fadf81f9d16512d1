"""One access helper per object type: ``get_<thing>_for_user(request, pk, need=…)`` returns
the object or raises Http404 (no such object) or PermissionDenied (with the model's own
message); ``<things>_for_user`` answers the list pages and searches, ``new_<thing>_for_user``
the pages that add one. Views ask these and hold no permission checks of their own."""

from django.shortcuts import get_object_or_404

from .models import Official, Unit, User


def _checked(obj, request, *needs):
    for need in needs:
        obj.require(request.user, need)
    return obj


# Units
def units_for_user(request):
    """All units, for the list page and the search, if the user may read the directory."""
    _checked(Unit(), request, "list")
    return Unit.objects.for_directory()


def new_unit_for_user(request):
    """An unsaved unit, for the user who may add one."""
    return _checked(Unit(), request, "add")


def get_unit_for_user(request, pk, *, need="edit"):
    return _checked(get_object_or_404(Unit.objects.select_related("parent"), pk=pk), request, need)


# Officials
def officials_for_user(request):
    _checked(Official(), request, "list")
    return Official.objects.for_directory()


def new_official_for_user(request):
    return _checked(Official(), request, "add")


def get_official_for_user(request, pk, *, need="edit"):
    official = get_object_or_404(Official.objects.select_related("unit"), pk=pk)
    return _checked(official, request, need)


# Accounts
def accounts_for_user(request):
    _checked(User(), request, "list")
    return User.objects.for_directory()


def new_account_for_user(request):
    return _checked(User(), request, "add")


def get_account_for_user(request, pk, *, need="edit"):
    """An account the user may ``edit`` (管理员), or ``deactivate`` (anyone's but their
    own): every need beyond editing is asked after ``edit``, so an outsider reads the
    editing refusal."""
    account = get_object_or_404(User.objects.select_related("unit", "official"), pk=pk)
    needs = ("edit",) if need == "edit" else ("edit", need)
    return _checked(account, request, *needs)
