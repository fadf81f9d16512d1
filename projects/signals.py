"""Every project gets its three checkpoints (三关) the moment it is saved.

A signal rather than ``Project.save()`` because ``loaddata`` bypasses ``save()``: the
2017 plan fixture holds only projects, and their checkpoints appear here, created when
missing and never overwritten, so reloading the plan keeps every checkpoint's progress.

A project written by ``loaddata`` (a raw save) also gets its first history row here,
which django-simple-history skips for raw saves: the 变更记录 says it came with the plan,
and an edit started from that first version can be merged field by field.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .choices import Record
from .models import Project


@receiver(post_save, sender=Project, dispatch_uid="project_ensure_checkpoints")
def create_checkpoints(sender, instance, created=False, raw=False, **kwargs):
    reason = Record.LOADED if raw else None
    if raw and created:
        Project.history.bulk_history_create([instance], default_change_reason=reason)
    instance.ensure_checkpoints(reason)
