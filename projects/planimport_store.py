"""Keeping an uploaded import file between its preview and the office's confirmation.

The file stays on the server, never with the client: it is stored in a private folder
(``settings.PLAN_IMPORT_ROOT``, by default ``longgang-plan-imports`` in the system's
temporary folder, mode 0700; never under static files or anything served) under a random,
unguessable name, and the session holds only that name, the file's SHA-256, the plan's
year and the time. Confirming re-reads the file, checks the hash and reads it again from
scratch, so nothing the browser sends but the office's choices is trusted. The file is
deleted on confirmation or cancellation, and any file older than a day is deleted
whenever another upload arrives.

Why not re-upload on confirm: the office would have to pick the same file twice, and the
preview they confirmed would not be tied to the file that is written.
"""

import hashlib
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

SESSION_KEY = "plan_imports"
KEEP_SECONDS = 24 * 3600
KEEP_PER_SESSION = 5  # pending imports one session may hold; older ones are dropped


def storage():
    root = getattr(settings, "PLAN_IMPORT_ROOT", None) or (
        Path(tempfile.gettempdir()) / "longgang-plan-imports"
    )
    return FileSystemStorage(
        location=root, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


def _file_name(token):
    return f"{token}.xlsx"


def sweep(store=None):
    """Delete kept files older than a day (abandoned previews)."""
    store = store or storage()
    if not Path(store.location).is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for name in store.listdir("")[1]:
        path = Path(store.path(name))
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another worker swept it


def keep(request, year, data, filename):
    """Store ``data`` for ``request``'s session; returns the token naming it."""
    store = storage()
    sweep(store)
    token = secrets.token_urlsafe(32)
    store.save(_file_name(token), ContentFile(data))
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {
        "year": year,
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": filename[:200],
        "at": time.time(),
    }
    for old in sorted(pending, key=lambda t: pending[t]["at"])[:-KEEP_PER_SESSION]:
        discard(request, old)
        pending.pop(old, None)
    request.session[SESSION_KEY] = pending
    return token


def fetch(request, year, token):
    """(bytes, details) of the session's kept file ``token`` for the ``year`` plan, or
    None when it is not this session's, was confirmed or cancelled, is older than a day,
    or no longer matches its hash."""
    details = request.session.get(SESSION_KEY, {}).get(token)
    if not details or details.get("year") != year:
        return None
    path = Path(storage().path(_file_name(token)))
    fresh = time.time() - details["at"] < KEEP_SECONDS
    try:
        data = path.read_bytes() if fresh else None
    except FileNotFoundError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != details["sha256"]:
        discard(request, token)
        return None
    return data, details


def discard(request, token):
    """Forget the kept file: from the session and from the disk."""
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    Path(storage().path(_file_name(token))).unlink(missing_ok=True)
