"""Adding and removing files under the rules: the stored bytes and the rows never
disagree. A file is written to storage only after every check has passed, and deleted
again if its row cannot be saved; a removed file's bytes are deleted once the removal is
committed."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from .access import REMOVED
from .models import Attachment
from .names import storage_name


def add_file(obj, rules, user, checked):
    """Attach ``checked`` (a ``forms.CheckedFile``) to ``obj``. Raises ValidationError
    with a Chinese message (the same file already attached, …): then nothing is stored."""
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        scope=rules.scope(obj),
        original_name=checked.name,
        stored_name=storage_name(checked.file_type),
        file_type=checked.file_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    attachment.full_clean()
    attachment.stored_name = default_storage.save(attachment.stored_name, checked.upload)
    try:
        with transaction.atomic():
            attachment.save()
    except BaseException as exc:
        default_storage.delete(attachment.stored_name)
        if isinstance(exc, IntegrityError):
            # the same file was attached in the meantime: say so, as the check above would
            attachment.pk = None
            attachment.validate_constraints()
        raise
    return attachment


def remove_file(attachment, user, reason):
    """Mark ``attachment`` removed by ``user`` with ``reason``; its bytes are deleted
    when that is committed. A file removed meanwhile by someone else: ValidationError."""
    with transaction.atomic():
        current = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if current.is_removed:
            raise ValidationError(REMOVED)
        current.removed_at = timezone.now()
        current.removed_by = user
        current.removal_reason = reason
        current.full_clean()
        current.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        name = current.stored_name
        transaction.on_commit(lambda: default_storage.delete(name))
    return current
