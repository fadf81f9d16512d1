"""The app's URLs plus the floor: session and user lookup (LoginRequiredMiddleware asks
``request.user``), a two-byte response."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from longgang_reform.urls import urlpatterns as app_urlpatterns


@require_GET
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("_floor/", floor), *app_urlpatterns]
