"""Every project gets its three checkpoints (三关) the moment it is saved.

A signal rather than ``Project.save()`` because ``loaddata`` bypasses ``save()``: the
2017 plan fixture holds only projects, and their checkpoints appear here, created when
missing and never overwritten, so reloading the plan keeps every checkpoint's progress.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Project


@receiver(post_save, sender=Project, dispatch_uid="project_ensure_checkpoints")
def create_checkpoints(sender, instance, **kwargs):
    instance.ensure_checkpoints()
