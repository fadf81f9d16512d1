from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC
    with an English browser would open in English; here only the switcher's cookie counts.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


def is_text_charset(charset):
    """True for a charset that encodes text (utf-8, gbk…); False for codecs such as hex or
    rot13, which Django would try, and crash on, when decoding a form."""
    try:
        "a".encode(charset)
        b"a".decode(charset)
    except (LookupError, ValueError, TypeError):
        return False
    return True


def _bad_charset(content_type):
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and not is_text_charset(value.strip().strip('"')):
            return True
    return False


BAD_CHARSET_BODY = "请求的字符编码无效，未作任何处理。Invalid character encoding in the request.\n"


class RejectBadCharsetMiddleware:
    """First in the chain: a request whose Content-Type names a non-text charset is answered
    400 before anything parses its body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _bad_charset(request.META.get("CONTENT_TYPE")):
            return HttpResponseBadRequest(
                BAD_CHARSET_BODY, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def reject_bad_charset_wsgi(application):
    """The same check around the WSGI application: Django decodes the query string with the
    declared charset while it builds the request, before any middleware runs."""

    def wrapped(environ, start_response):
        if _bad_charset(environ.get("CONTENT_TYPE")):
            body = BAD_CHARSET_BODY.encode()
            start_response(
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return application(environ, start_response)

    return wrapped
