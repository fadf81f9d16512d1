"""The pages of evidence files: an object's files (list and upload), a download, a
removal. Objects and files are loaded only through ``access``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .access import get_attachment_for_user, get_target_for_user
from .forms import RemoveForm, SizeLimit, UploadForm, max_bytes, too_big_message
from .models import anchor_for
from .names import content_disposition


def _back_to(rules, obj):
    return f"{rules.page(obj)}#{anchor_for(obj._meta.model_name, obj.pk)}"


def _files_page(request, obj, rules, *, form=None, error=None, status=200):
    context = {"target": obj, "back": rules.page(obj), "form": form, "error": error}
    return render(request, "evidence/attachments.html", context, status=status)


@csrf_exempt  # checked below, once the size limit is in place (Django's documented way)
@require_http_methods(["GET", "POST"])
def attachments(request, label, pk):
    """GET: the object's files on their own page. POST: add one; refused (403) before
    the file is read, or shown again with the reason (400, 413), or stored."""
    if request.method == "GET":
        obj, rules = get_target_for_user(request, label, pk, need="read")
        return _files_page(request, obj, rules)
    obj, rules = get_target_for_user(request, label, pk, need="attach")
    request.upload_handlers.insert(0, SizeLimit(request, max_bytes()))
    return _upload(request, obj, rules)


@csrf_protect
def _upload(request, obj, rules):
    form = UploadForm(request.POST, request.FILES)
    if getattr(request, "evidence_too_big", False):
        return _files_page(request, obj, rules, form=form, error=too_big_message(), status=413)
    if not form.is_valid():
        return _files_page(request, obj, rules, form=form, status=400)
    try:
        attachment = services.add_file(obj, rules, request.user, form.checked)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        return _files_page(request, obj, rules, form=form, error=error, status=400)
    messages.success(request, _("附件已上传：%(name)s") % {"name": attachment.original_name})
    return redirect(_back_to(rules, obj))


@require_GET
def download(request, pk):
    """The file itself, to whoever may read its object: as an attachment (never shown
    in the page), with its original name and the type told from its content."""
    attachment, _rules = get_attachment_for_user(request, pk, need="download")
    try:
        handle = default_storage.open(attachment.stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404("the stored file is missing") from exc
    response = FileResponse(handle, content_type=attachment.mime)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, f"attachment-{attachment.pk}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def remove(request, pk):
    """GET: what is about to be removed, and a reason to give. POST: remove it (the row
    stays, marked removed; the stored file is deleted)."""
    attachment, rules = get_attachment_for_user(request, pk, need="remove")
    form = RemoveForm(request.POST or None)
    error, status = None, 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            services.remove_file(attachment, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            message = _("附件已移除：%(name)s") % {"name": attachment.original_name}
            messages.success(request, message)
            return redirect(_back_to(rules, attachment.target))
    context = {
        "attachment": attachment,
        "target": attachment.target,
        "back": _back_to(rules, attachment.target),
        "form": form,
        "error": error,
    }
    return render(request, "evidence/remove.html", context, status=status)
