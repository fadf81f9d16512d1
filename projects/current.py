"""Each project's current status (its newest counted progress report), stored on the
project so that pages over many projects read three columns instead of looking for the
newest report of every project.

It is recomputed from the reports, never incremented: ``refresh`` sets it for some
projects with one UPDATE, in the transaction of whatever wrote a report (the signals
below catch every ``save()`` and ``delete()``, in the app, the admin site and ``loaddata``).
Writes that skip signals (``bulk_create``, ``QuerySet.update()`` on reports) call
``refresh`` themselves; ``manage.py rebuild_current_status`` rebuilds every project.
"""

from django.db import connection
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ProgressUpdate, Project
from .querysets import newest_report


def refresh(projects=None):
    """Store the newest counted report of ``projects`` (ids or a queryset; every project
    when None) on them. One UPDATE; returns the number of projects."""
    queryset = Project.objects.all()
    if projects is not None:
        queryset = queryset.filter(pk__in=projects)
    if connection.in_atomic_block:
        # Lock the rows first, then read the reports in a statement of its own: an UPDATE
        # that waited for another writer of the project would otherwise resume with the
        # reports it saw before that writer committed, and store an older report.
        list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))
    return queryset.update(
        current_status=Coalesce(newest_report("status"), Value("")),
        current_percent=newest_report("percent_complete"),
        current_reported_on=newest_report("reported_on"),
    )


@receiver(post_save, sender=ProgressUpdate, dispatch_uid="report_refreshes_current")
@receiver(post_delete, sender=ProgressUpdate, dispatch_uid="report_deleted_refreshes_current")
def report_written(sender, instance, **kwargs):
    refresh([instance.project_id])
