from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChasingConfig(AppConfig):
    """Chasing late work: the to-do lists (待办), reminders (催办) and their channels, and
    escalation (督办). Depends on ``projects`` and ``units``; neither imports it."""

    name = "chasing"
    verbose_name = _("催办督办")

    def ready(self):
        from . import checks  # noqa: F401 - registers the settings check
