"""The client's address, for sign-in throttling (django-axes) and the password-reset limits."""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The address of the machine the request came from.

    Served directly, that is the peer address (``REMOTE_ADDR``) and ``X-Forwarded-For`` is
    ignored: anyone can send it. Behind the proxy (``BEHIND_PROXY``), the peer is the proxy;
    each of the ``PROXY_COUNT`` trusted proxies appends the address it received the request
    from, so the client is the ``PROXY_COUNT``-th address from the right. Addresses further
    left were written by the client and are never trusted. Without the header (a health
    check straight to gunicorn) the peer address is used.

    Settings are read on each call, so tests and ``override_settings`` can change them.
    """
    peer = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return peer
    # django-ipware counts the proxies listed after the client in the header; the
    # innermost proxy is the peer itself and not in the header, hence PROXY_COUNT - 1.
    address, _routable = get_client_ip(
        request,
        proxy_count=settings.PROXY_COUNT - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or peer
