"""The data stamp: one row whose number moves with every write to the app's tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataStamp(models.Model):
    """On SQLite, a single row (id 1) set to a new random number after every committed
    write to the app's data (``projects.freshness``); PostgreSQL keeps the stamp in a
    sequence instead. Whatever is cached keys on it, so any write, from any process,
    misses every entry on the next request."""

    version = models.BigIntegerField(_("数据版本"), default=0)

    class Meta:
        app_label = "projects"
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self):
        return str(self.version)
