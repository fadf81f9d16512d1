from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("改革项目")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models import fields
        from django.db.models.signals import post_migrate, pre_migrate

        from . import current, freshness, signals  # noqa: F401

        connection_created.connect(freshness.watch)  # every write moves the data stamp
        pre_migrate.connect(freshness.migrate_started, sender=self)
        post_migrate.connect(freshness.migrate_finished, sender=self)

        # The blank option of every select (the admin's 动作 too): Django 6.1's
        # "- Select an option -" has no Chinese translation, so the admin showed it in
        # English. Django's way to set it is here (see USE_BLANK_CHOICE_DASH's deprecation).
        fields.BLANK_CHOICE_LABEL = _("- 请选择 -")
