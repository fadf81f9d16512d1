"""Site-wide views that belong to no app: the health check and the CSRF refusal page."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def csrf_failure(request, reason=""):
    """A CSRF refusal in the interface language, not Django's English page."""
    return render(request, "403_csrf.html", status=403)


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
