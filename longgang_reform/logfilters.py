"""Log filters: one line per refused request, the traceback only for real errors.

Django's ``django.request`` logger writes each 403 with the PermissionDenied traceback:
noise for a refusal the app made on purpose, and it buries the 500s that need reading.
"""

import logging
import re
from http import HTTPStatus

from django.http import HttpRequest
from django.utils.functional import empty

# line breaks and terminal controls a client could put in a path (%0A…): shown escaped
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text):
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _user(request):
    """The user's id, ``anonymous``, or ``-`` when the request has not loaded its user:
    never a database query from a log line."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return user.pk if user.is_authenticated else "anonymous"


def _is_refusal(record):
    status = getattr(record, "status_code", None)
    return isinstance(status, int) and 400 <= status < 500


class RefusalOnOneLine(logging.Filter):
    """A 403 or 404 from ``django.request`` becomes one line without traceback:
    ``403 Forbidden: GET /projects/2017/1/edit/ user=3 (只有区委改革办可以修改项目信息。)``.
    Other 4xx keep Django's line ("Bad Request: /healthz"), without a traceback if they
    had one; 5xx records pass unchanged, traceback included."""

    REWRITTEN = (403, 404)

    def filter(self, record):
        request = getattr(record, "request", None)
        if not _is_refusal(record) or not isinstance(request, HttpRequest):
            return True
        # each django.setup() (manage.py, then the WSGI application) adds the logger's
        # filters again, so this can see a record it has already shortened
        if getattr(record, "on_one_line", False):
            return True
        record.on_one_line = True
        exception = record.exc_info[1] if record.exc_info else None
        reason = f" ({_printable(exception)})" if exception and str(exception) else ""
        record.exc_info = record.exc_text = None
        if record.status_code not in self.REWRITTEN:
            if reason:
                record.msg, record.args = "%s%s", (record.getMessage(), reason)
            return True
        record.msg = "%s %s: %s %s user=%s%s"
        record.args = (
            record.status_code,
            HTTPStatus(record.status_code).phrase,
            _printable(request.method),
            _printable(request.path),
            _user(request),
            reason,
        )
        return True


class SkipServerRefusals(logging.Filter):
    """``runserver``'s access line for a 4xx: ``django.request`` has written that request
    already, on one line with the user."""

    def filter(self, record):
        return not _is_refusal(record)
