from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.core.signals import request_started
from django.http import HttpResponseBadRequest, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _


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


# ---------------------------------------------------------------------------------------
# Unusual charsets
#
# A request may declare any charset in its Content-Type. Left to itself, Django 6.1 turns
# some of them into a server error that never reaches a middleware or an error page:
#
# 1. WSGIRequest.__init__ sets request.encoding to any charset codecs.lookup() knows, and
#    the encoding setter's ``hasattr(self, "GET")`` evaluates the cached GET property, so
#    the query string is decoded with that charset while Django builds the request, before
#    any middleware. Codecs such as punycode or idna raise even with errors="replace", and
#    non-text codecs (hex, rot13) raise LookupError: the exception leaves the WSGI handler.
# 2. A urlencoded POST that declares any charset but UTF-8 makes request.POST raise
#    BadRequest (Django ticket 34709) without remembering the failure. CsrfViewMiddleware
#    reads request.POST, the BadRequest goes to Django's 400 view, whose
#    @requires_csrf_token runs the CSRF check again and so reads request.POST again: the 400
#    view fails, then the 500 view, then every enclosing middleware repeats it (about 940
#    log lines) until the exception leaves the WSGI handler, as gunicorn's bare 500.
#
# Fix for 1: a request_started receiver (sent with the WSGI environ before Django builds the
# request, by gunicorn's handler and the test client alike) checks the declared charset
# against the query string; a charset that cannot decode it is taken out of the environ and
# the request marked, so Django builds it as UTF-8 and CharsetMiddleware answers 400.
# Fix for 2: CharsetMiddleware decodes a urlencoded body in any charset Python can decode
# (GBK and GB18030 forms exist in Chinese offices) before anything reads request.POST, and
# answers 400 when it cannot. Either way: one "Bad Request" log line, a Chinese message.
# ---------------------------------------------------------------------------------------

REFUSED = "longgang.refused_content_type"  # environ key: why the request is refused


def is_text_codec(charset):
    """True for a charset Python can encode and decode text with (utf-8, gbk, utf-16…);
    False for an unknown name or a bytes-to-bytes codec such as hex or rot13."""
    try:
        "".encode(charset)
        b"".decode(charset)
    except (LookupError, UnicodeError, ValueError, TypeError):
        return False
    return True


def _codec_failed(exc):
    """QueryDict reports any ValueError of parse_qsl as TooManyFieldsSent, and codec errors
    (UnicodeError) are ValueErrors: tell the two apart by the cause."""
    return isinstance(exc, (UnicodeError, LookupError)) or isinstance(
        exc.__cause__, (UnicodeError, LookupError)
    )


def _content_type_problem(environ):
    """Check the declared Content-Type before Django builds the request from ``environ``.

    Returns ``(problem, strip_charset)``: problem is "charset" or "content_type" when the
    request is to be refused; strip_charset when Django must not see the charset, because
    decoding the query string with it would raise while the request is built.
    """
    try:
        _media_type, params = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
    except ValueError:  # e.g. a header longer than Django parses
        return "content_type", True
    charset = params.get("charset")
    if charset is None:
        return None, False
    if not is_text_codec(charset):
        return "charset", True
    try:
        QueryDict(get_bytes_from_wsgi(environ, "QUERY_STRING", ""), encoding=charset)
    except Exception as exc:  # any failure would otherwise happen while Django builds it
        if isinstance(exc, TooManyFieldsSent) and not _codec_failed(exc):
            return None, True  # Django answers this itself (400) once a view reads GET
        return "charset", True
    return None, False


def check_content_type(sender, environ=None, **kwargs):
    """request_started receiver: runs before Django builds the request from ``environ``."""
    if environ is None:  # ASGI sends the scope instead; this app is served over WSGI
        return
    problem, strip_charset = _content_type_problem(environ)
    if problem:
        environ[REFUSED] = problem
        environ["CONTENT_TYPE"] = ""  # nothing is decoded with it
    elif strip_charset:
        media_type, params = parse_header_parameters(environ["CONTENT_TYPE"])
        kept = [f'{key}="{value}"' for key, value in params.items() if key != "charset"]
        environ["CONTENT_TYPE"] = "; ".join([media_type, *kept])


def _decode_form(request):
    """Parse a POST body declared in a charset other than UTF-8; False if it does not
    decode. Django itself refuses urlencoded bodies in other charsets (see above)."""
    charset = request.encoding  # set only for a charset codecs.lookup() knows
    if request.method != "POST" or not charset or charset.lower() == "utf-8":
        return True  # the same test as Django's: "utf8" or "cp65001" would be refused
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            request.POST = QueryDict(request.body, encoding=charset)
            request._files = MultiValueDict()  # a urlencoded form has no files
        elif request.content_type == "multipart/form-data":
            request.POST  # noqa: B018 - parse now, where a decoding error can be answered
    except TooManyFieldsSent as exc:
        if _codec_failed(exc):
            return False
        raise  # Django answers it (400)
    except (UnicodeError, LookupError, ValueError, TypeError):
        return False
    return True


class CharsetMiddleware:
    """Right after the language is chosen, before anything reads GET or POST: a request
    whose Content-Type cannot be read, or whose declared charset does not decode it, is
    answered 400 with a message in the interface language; a form in GBK, GB18030 or any
    other charset Python can decode is decoded."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_started.connect(check_content_type, dispatch_uid=f"{__name__}.content_type")

    def __call__(self, request):
        problem = request.META.get(REFUSED)
        if problem is None and not _decode_form(request):
            problem = "charset"
        if problem:
            message = (
                _("请求的字符编码无效，未作任何处理。")
                if problem == "charset"
                else _("请求的内容类型（Content-Type）无效，未作任何处理。")
            )
            return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
