"""Importing a plan's projects from Excel (区委改革办): the upload page, the preview (row
by row, unknown names, the reason on an approved plan), confirming or cancelling it, and
the blank template. The file is read and checked by ``planimport``, compared by
``planimport_compare``, kept by ``planimport_store`` and written by ``planimport_apply``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ..access import get_plan_for_user
from ..planimport import MAX_BYTES, MAX_ROWS, read_import_file
from ..planimport_apply import ImportRefused, ImportStale, import_file
from ..planimport_compare import build_preview
from ..planimport_store import discard, fetch, keep
from ..planimport_template import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 200  # problems listed on a page; the rest are counted


class SizeLimit(FileUploadHandler):
    """Stops storing an upload once it passes the import's limit: the rest of the request
    is read and dropped, so an oversized file never fills the disk."""

    exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _closed(plan):
    return _("该年度计划已总结，不能再导入项目。") if plan.is_closed else None


def _upload_page(request, plan, *, error=None, errors=(), status=200):
    errors = list(errors)
    context = {
        "plan": plan,
        "error": error or _closed(plan),
        "errors": errors[:ERRORS_SHOWN],
        "more_errors": max(len(errors) - ERRORS_SHOWN, 0),
        "max_rows": MAX_ROWS,
    }
    return render(request, "projects/import_upload.html", context, status=status)


@csrf_exempt  # checked by _upload below, once the size limit is in place
@require_http_methods(["GET", "POST"])
def import_start(request, year):
    """The upload page; an upload is checked, compared, kept, and the preview follows."""
    plan = get_plan_for_user(request, year, need="manage")
    limit = SizeLimit(request)
    if request.method == "POST":
        # before anything reads the body (the CSRF check reads it, hence the exemption)
        request.upload_handlers.insert(0, limit)
    return _upload(request, plan, limit)


@csrf_protect
def _upload(request, plan, limit):
    if request.method != "POST":
        return _upload_page(request, plan)
    if plan.is_closed:
        return _upload_page(request, plan, status=400)
    upload = request.FILES.get("file")
    if limit.exceeded or (upload is not None and upload.size > MAX_BYTES):
        return _upload_page(request, plan, error=_("文件超过10 MB，不能导入。"), status=400)
    if upload is None:
        return _upload_page(request, plan, error=_("请选择要导入的 .xlsx 文件。"), status=400)
    data = upload.read()
    try:
        imported = read_import_file(data)
    except ValidationError as exc:
        return _upload_page(request, plan, error=" ".join(exc.messages), status=400)
    preview = build_preview(plan, imported)
    if preview.errors:
        message = _("文件有下列问题，未导入，请修改后重新上传：")
        return _upload_page(request, plan, error=message, errors=preview.errors, status=400)
    token = keep(request, plan.year, data, upload.name or "")
    return redirect("plan_import_preview", plan.year, token)


def _choices(request):
    """The office's choices for unknown names (official-…, unit-… fields)."""
    return {k: v for k, v in request.POST.items() if k.startswith(("official-", "unit-"))}


def _preview_page(request, preview, token, details, *, error=None, status=200):
    book = preview.names_book
    context = {
        "plan": preview.plan,
        "preview": preview,
        "token": token,
        "filename": details.get("filename", ""),
        "error": error,
        "errors": preview.errors[:ERRORS_SHOWN],
        "more_errors": max(len(preview.errors) - ERRORS_SHOWN, 0),
        "reason": request.POST.get("reason", ""),
        "submitted": request.method == "POST",  # problems with names shown once chosen
        "units": sorted(book.units, key=lambda u: u.name),
        "officials": sorted(book.officials, key=lambda o: (o.name, o.position)),
    }
    return render(request, "projects/import_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_preview(request, year, token):
    """What the import will do; POST ``action``: preview (with the chosen names again),
    apply (in one transaction) or cancel."""
    plan = get_plan_for_user(request, year, need="manage")
    kept = fetch(request, plan.year, token)
    if kept is None:
        gone = _("该导入已确认、已取消或已过期（上传的文件保留一天），请重新上传。")
        return _upload_page(request, plan, error=gone, status=404)
    data, details = kept
    try:
        imported = read_import_file(data)
    except ValidationError as exc:
        discard(request, token)
        return _upload_page(request, plan, error=" ".join(exc.messages), status=400)
    action = request.POST.get("action", "preview")
    if request.method == "POST" and action == "cancel":
        discard(request, token)
        messages.success(request, _("已取消导入，计划未作改动。"))
        return redirect(plan)
    if request.method == "POST" and action == "apply":
        return _apply(request, plan, imported, token, details)
    preview = build_preview(plan, imported, _choices(request) if request.method == "POST" else {})
    return _preview_page(request, preview, token, details)


def _apply(request, plan, imported, token, details):
    try:
        preview = import_file(
            plan,
            imported,
            request.user,
            choices=_choices(request),
            reason=request.POST.get("reason", ""),
            fingerprint=request.POST.get("fingerprint", ""),
        )
    except ImportStale as exc:
        return _preview_page(request, exc.preview, token, details, error=exc.message, status=409)
    except ImportRefused as exc:
        return _preview_page(request, exc.preview, token, details, error=exc.message, status=400)
    except ValidationError as exc:
        preview = build_preview(plan, imported, _choices(request))
        error = " ".join(exc.messages)
        return _preview_page(request, preview, token, details, error=error, status=409)
    discard(request, token)
    counts = {
        "new": len(preview.new),
        "changed": len(preview.changed),
        "unchanged": len(preview.unchanged),
    }
    messages.success(
        request,
        _("已导入：新增 %(new)s 个项目，修改 %(changed)s 个，%(unchanged)s 个无变化。") % counts,
    )
    return redirect(plan)


@require_GET
def import_template(request, year):
    """The blank template (.xlsx), with its 说明 sheet."""
    plan = get_plan_for_user(request, year, need="manage")
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    word = pgettext("file name", "改革项目导入模板")
    name = f"{plan.year}_{word}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plan.year}_import_template.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
