"""Workflows that change more than one field under rules: checkpoint decisions and new
progress reports (an instruction's life: ``instructions``). Each refuses with
PermissionDenied, ValidationError (a broken rule, with its message) or EditConflict, and
then saves nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import TRANSITIONS, Checkpoint
from .versioning import EditConflict, save_with_version


def decide_checkpoint(checkpoint, user, action, note, expected_version):
    """Make one move (``TRANSITIONS[action]``) on a checkpoint, enforcing who may make it
    and the 三关 order, against the rows as they are now (locked for the decision)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("未知的操作。"))
    if not transition.allowed_for(checkpoint.project, user):
        raise PermissionDenied(checkpoint.refusal("decide"))
    with transaction.atomic():
        siblings = list(Checkpoint.objects.select_for_update().filter(project=checkpoint.project))
        current = next(c for c in siblings if c.pk == checkpoint.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        current.apply(transition, siblings, note)
        label = transition.record_label
        reason = f"{label}：{note.strip()}" if note.strip() else label
        save_with_version(current, expected_version, reason=reason[:100])
    return current


class AlreadySubmitted(Exception):
    """The form that would create this row was sent before; ``existing`` is its row."""

    def __init__(self, existing):
        super().__init__("already submitted")
        self.existing = existing


def _save_once(row, token):
    """Save a new row under the form's one-time token; the second sending of one form
    raises AlreadySubmitted (the database's unique constraint decides, so two sendings at
    the same moment also save once)."""
    row.submission_token = token
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        existing = type(row)._default_manager.filter(submission_token=token).first()
        if token is None or existing is None:
            raise
        raise AlreadySubmitted(existing) from None
    return row


def add_progress_report(project, user, report, token=None):
    """Save a new progress report (an unsaved ProgressUpdate) on ``project`` by ``user``."""
    project.require(user, "report")
    report.project = project
    report.author = user
    return _save_once(report, token)
