"""Someone signed in with a temporary password changes it before anything else."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# pages open while the password is temporary (URL names); static files and /healthz too
OPEN_PAGES = ("password_change", "logout", "set_language")


class ForcePasswordChangeMiddleware:
    """While ``user.must_change_password`` is set, every page but the password change page,
    sign-out, the language switch, static files and ``/healthz`` redirects to the password
    change page with a message. Changing the password clears the flag
    (``User.set_password``), and the pages open again. Goes after the authentication and
    message middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # the user first: most requests stop here, before any URL is reversed
        if getattr(request.user, "must_change_password", False) and not self._is_open(request.path):
            if request.method == "GET":
                self._tell(request)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _tell(request):
        """Once, however many pages were asked for before the password change page."""
        text = _("您正在使用临时密码，请先设置自己的新密码。")
        storage = messages.get_messages(request)
        waiting = any(str(message.message) == text for message in storage)
        storage.used = False  # looking at them must not use them up
        if not waiting:
            messages.warning(request, text)

    @staticmethod
    def _is_open(path):
        if path.startswith(settings.STATIC_URL):  # settings give it with a leading "/"
            return True
        return path in {reverse(name) for name in (*OPEN_PAGES, "healthz")}
