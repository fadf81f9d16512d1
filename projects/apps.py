from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("改革项目")

    def ready(self):
        from django.db.models import fields
        from django.db.models.signals import post_migrate

        from . import current, freshness, signals  # noqa: F401

        post_migrate.connect(freshness.install_triggers, sender=self)

        # The blank option of every select (the admin's 动作 too): Django 6.1's
        # "- Select an option -" has no Chinese translation, so the admin showed it in
        # English. Django's way to set it is here (see USE_BLANK_CHOICE_DASH's deprecation).
        fields.BLANK_CHOICE_LABEL = _("- 请选择 -")
