"""Who may chase, and the objects the chasing pages work on: the object, or 404 / 403
with the reason. Views ask these and hold no permission checks of their own."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from projects.access import get_period_for_user
from units.models import Unit

from .models import Reminder, UnitWebhook

NOT_CHASER = _("只有区委改革办可以催办。")


def require_chaser(request):
    if not Reminder.may_chase(request.user):
        raise PermissionDenied(NOT_CHASER)


def get_period_to_chase(request, pk):
    """A report period whose missing reports the user may chase (the office)."""
    period = get_period_for_user(request, pk)
    require_chaser(request)
    return period


def get_webhook_for_user(request, unit_pk):
    """A unit and its group robot (unsaved when it has none), if the user may set it."""
    unit = get_object_or_404(Unit.objects.select_related("webhook"), pk=unit_pk)
    webhook = getattr(unit, "webhook", None) or UnitWebhook(unit=unit)
    webhook.require(request.user, "manage")
    return unit, webhook
