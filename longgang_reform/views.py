"""Site-wide views that belong to no app: the health check, error pages, sign-in and the
password pages, in the interface language."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_lockout_response
from axes.utils import reset as reset_axes
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.forms import LoginForm

from . import throttle
from .clientip import client_ip


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for the load balancer; says nothing about the setup."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A CSRF refusal in the interface language, not Django's English page."""
    return render(request, "403_csrf.html", status=403)


def password_reset_enabled():
    """Reset by email exists only when email is configured (EMAIL_URL)."""
    return bool(settings.EMAIL_URL)


class SignInView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(password_reset_enabled=password_reset_enabled(), **kwargs)


class _ResetEnabled:
    """Without email configured, the reset pages answer 404."""

    def setup(self, request, *args, **kwargs):
        if not password_reset_enabled():
            raise Http404
        super().setup(request, *args, **kwargs)


class PasswordResetView(_ResetEnabled, auth_views.PasswordResetView):
    """Sends the reset link, limited per email address and per client address per hour.

    The answer is the same whether or not the address belongs to an account, and so is the
    limit: unknown addresses are counted too.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        too_many_for_address = throttle.over_limit(
            "reset-address", address, settings.PASSWORD_RESET_PER_ADDRESS
        )
        too_many_from_client = throttle.over_limit(
            "reset-client", client_ip(self.request), settings.PASSWORD_RESET_PER_CLIENT
        )
        if too_many_for_address or too_many_from_client:
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)


class PasswordResetDoneView(_ResetEnabled, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(_ResetEnabled, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(_ResetEnabled, auth_views.PasswordResetCompleteView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Wrong old passwords count as failed sign-ins (django-axes, same limit and cool-off,
    same username and client address): after AXES_FAILURE_LIMIT of them the form answers
    429 until the lock expires; a successful change clears the count."""

    def credentials(self):
        return {"username": self.request.user.get_username()}

    def dispatch(self, request, *args, **kwargs):
        if (
            settings.AXES_ENABLED
            and request.user.is_authenticated
            and AxesProxyHandler.is_locked(request, self.credentials())
        ):
            return get_lockout_response(request, None, self.credentials())
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # axes records it; on the last allowed try its middleware answers 429
            user_login_failed.send(
                sender=__name__, credentials=self.credentials(), request=self.request
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_axes(ip=get_client_ip_address(self.request), username=self.credentials()["username"])
        return response
