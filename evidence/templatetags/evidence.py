"""``{% attachments_for obj %}``: an object's files and, for who may add them, the form.

The files of a whole page are read in one query: the first call on a page reads every
file of the object's scope (a project's reports, checkpoints and instructions share
one), later calls take theirs from that read.
"""

from collections import defaultdict

from django import template
from django.conf import settings

from evidence import registry
from evidence.access import closed_reason
from evidence.forms import MB
from evidence.models import Attachment, anchor_for
from evidence.sniffing import ALIASES, KINDS

register = template.Library()

ACCEPT = ",".join(f".{extension}" for extension in [*KINDS, *ALIASES])


def _page_files(request, scope):
    """{(model, object id): [files]} of ``scope``, read once per request."""
    cache = getattr(request, "_evidence_files", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._evidence_files = cache
    if scope not in cache:
        grouped = defaultdict(list)
        for attachment in Attachment.objects.for_listing().filter(scope=scope):
            key = (attachment.content_type.app_label, attachment.content_type.model)
            grouped[(*key, attachment.object_id)].append(attachment)
        cache[scope] = grouped
    return cache[scope]


@register.inclusion_tag("evidence/_attachments.html", takes_context=True)
def attachments_for(context, obj, form=None, error=None, standalone=False):
    """The files of ``obj`` (removed ones shown as removed) and, to who may attach while
    the object is open, an upload form (``form``/``error``: a refused upload, shown again;
    ``standalone``: on the files' own page, which says when there are none). Nothing
    for an object that takes no files or that the user may not read."""
    rules = registry.rules_for(obj)
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if rules is None or user is None or not rules.may_read(obj, user):
        return {"shown": False}
    first = request is None or not hasattr(request, "_evidence_files")
    files = _page_files(request, rules.scope(obj))
    meta = obj._meta
    may_attach = rules.may_attach(obj, user)
    closed = rules.closed(obj)
    return {
        "shown": True,
        "first": first,
        "files": files.get((meta.app_label, meta.model_name, obj.pk), []),
        "anchor": anchor_for(meta.model_name, obj.pk),
        "label": meta.label_lower,
        "pk": obj.pk,
        "may_change": may_attach and not closed,
        "closed": closed,
        "closed_reason": closed_reason(obj) if closed else "",
        "form": form,
        "error": error,
        "standalone": standalone,
        "accept": ACCEPT,
        "limit_mb": settings.EVIDENCE_MAX_BYTES // MB,
        "csrf_token": context.get("csrf_token"),
    }
