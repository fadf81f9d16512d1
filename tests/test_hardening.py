"""Hardening (issue 9): sign-in throttling behind the proxy, unusual charsets, SQLite under
concurrent decisions, password reset by email and password-change throttling."""

import encodings.aliases
import http.client
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from longgang_reform.mailers import mailer_from_url
from projects import roles

from .base import PASSWORD, make_user


@pytest.fixture
def bob(db):
    return make_user("bob", roles.UNIT_LIAISON)


def sign_in(client, password, *, forwarded_for=None, username="bob"):
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


# ---------------------------------------------------------------------------------------
# 4. Behind the proxy the lockout keys on the client's address, not the proxy's
# ---------------------------------------------------------------------------------------


def fail_five_times(forwarded_for):
    attacker = Client()
    statuses = [
        sign_in(attacker, "wrong", forwarded_for=forwarded_for).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def test_behind_the_proxy_an_attacker_locks_only_their_own_address(bob, settings):
    settings.BEHIND_PROXY = True
    fail_five_times("10.0.0.66")

    # the real user, on another machine behind the same proxy, signs in
    user = Client()
    response = sign_in(user, PASSWORD, forwarded_for="10.0.0.7")
    assert response.status_code == 302
    assert user.session["_auth_user_id"] == str(bob.pk)

    # the attacker's address stays locked, even with the right password
    response = sign_in(Client(), PASSWORD, forwarded_for="10.0.0.66")
    assert response.status_code == 429
    assert "已暂停登录" in response.content.decode()
    assert AccessAttempt.objects.get().ip_address == "10.0.0.66"


def test_behind_the_proxy_forged_left_hand_addresses_do_not_escape_the_lockout(bob, settings):
    """nginx appends the address it saw; whatever the client wrote before it is ignored."""
    settings.BEHIND_PROXY = True
    attacker = Client()
    statuses = [
        sign_in(attacker, "wrong", forwarded_for=f"203.0.113.{i}, 10.0.0.66").status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in(attacker, PASSWORD, forwarded_for="198.51.100.1, 10.0.0.66").status_code == 429
    assert sign_in(Client(), PASSWORD, forwarded_for="10.0.0.66, 10.0.0.7").status_code == 302


def test_proxy_count_two_takes_the_address_before_the_inner_proxy(bob, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 2
    fail_five_times("203.0.113.9, 10.0.0.66, 192.168.1.2")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.66"
    assert sign_in(Client(), PASSWORD, forwarded_for="10.0.0.7, 192.168.1.2").status_code == 302


def test_behind_the_proxy_a_request_without_the_header_uses_the_peer_address(bob, settings):
    settings.BEHIND_PROXY = True
    fail_five_times(None)
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
    assert sign_in(Client(), PASSWORD, forwarded_for="10.0.0.7").status_code == 302


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(bob, settings):
    settings.BEHIND_PROXY = False
    fail_five_times("10.0.0.66")
    # same peer address (the test client's 127.0.0.1), so the right password is refused too
    response = sign_in(Client(), PASSWORD, forwarded_for="10.0.0.7")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


# ---------------------------------------------------------------------------------------
# 5. Unusual charsets: decoded when Python can, else a 400 in Chinese; never a 500
# ---------------------------------------------------------------------------------------

# The standard library's codec names: every alias and codec in encodings.aliases, the
# "Standard Encodings" and "Python Specific Encodings" tables of the codecs documentation,
# and a few spellings seen in real Content-Type headers.
DOCUMENTED_CODECS = """
    ascii big5 big5hkscs cp037 cp273 cp424 cp437 cp500 cp720 cp737 cp775 cp850 cp852 cp855
    cp856 cp857 cp858 cp860 cp861 cp862 cp863 cp864 cp865 cp866 cp869 cp874 cp875 cp932 cp949
    cp950 cp1006 cp1026 cp1125 cp1140 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257
    cp1258 euc_jp euc_jis_2004 euc_jisx0213 euc_kr gb2312 gbk gb18030 hz iso2022_jp
    iso2022_jp_1 iso2022_jp_2 iso2022_jp_2004 iso2022_jp_3 iso2022_jp_ext iso2022_kr latin_1
    iso8859_2 iso8859_3 iso8859_4 iso8859_5 iso8859_6 iso8859_7 iso8859_8 iso8859_9
    iso8859_10 iso8859_11 iso8859_13 iso8859_14 iso8859_15 iso8859_16 johab koi8_r koi8_t
    koi8_u kz1048 mac_cyrillic mac_greek mac_iceland mac_latin2 mac_roman mac_turkish ptcp154
    shift_jis shift_jis_2004 shift_jisx0213 utf_32 utf_32_be utf_32_le utf_16 utf_16_be
    utf_16_le utf_7 utf_8 utf_8_sig
    idna mbcs oem palmos punycode raw_unicode_escape undefined unicode_escape
    base64_codec bz2_codec hex_codec quopri_codec uu_codec zlib_codec rot_13
    UTF-8 utf8 GBK GB18030 GB2312 ISO-8859-1 latin-1 Windows-1252 Big5 EUC-JP Shift_JIS
    UTF-16 UTF-7 x-unknown-charset
""".split()
CODECS = sorted(
    set(encodings.aliases.aliases)
    | set(encodings.aliases.aliases.values())
    | set(DOCUMENTED_CODECS)
)
# Charsets Chinese offices meet, and plain ones: these must simply work.
EVERYDAY = {"utf-8", "utf8", "UTF-8", "gbk", "GBK", "gb18030", "GB18030", "gb2312", "ascii"}
EVERYDAY |= {"latin-1", "ISO-8859-1", "big5", "Big5", "cp936"}

CJK = re.compile(r"[\u4e00-\u9fff]")
CHARSET_MESSAGE = "字符编码无效"
CSRF_SECRET = "LongGang2017CsrfSecretForTests00"  # a well-formed 32-character CSRF cookie


def is_text_codec(name):
    try:
        "".encode(name)
        b"".decode(name)
    except (LookupError, UnicodeError, ValueError):
        return False
    return True


def login_body(name, username="bob", password=PASSWORD):
    """The sign-in form encoded in ``name``, and whether the server can get it back."""
    text = urlencode(
        {"csrfmiddlewaretoken": CSRF_SECRET, "username": username, "password": password}
    )
    try:
        body = text.encode(name)
        return body, body.decode(name) == text
    except (LookupError, UnicodeError, ValueError):
        return text.encode(), False


def call_wsgi(path, *, method="GET", query="", content_type="", body=b"", cookie=""):
    """Call longgang_reform.wsgi.application as gunicorn does, with a hand-built environ.

    Like Django's test client, keep the request signals from closing the test's database
    connection (which holds the test transaction)."""
    from longgang_reform.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    replies = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, lambda status, headers, exc_info=None: replies.append(status))
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(replies[0].split()[0]), content.decode("utf-8", "replace")


CLIENT = {}


def shared_client():
    """One test client for many requests (each new one loads the middleware again)."""
    if "client" not in CLIENT:
        CLIENT["client"] = Client(enforce_csrf_checks=True)
    client = CLIENT["client"]
    client.cookies.clear()  # anonymous, no session
    client.cookies["csrftoken"] = CSRF_SECRET  # signing in rotates it
    return client


def post_login_client(name, body):
    client = shared_client()
    response = client.generic(  # generic() sends the bytes as they are
        "POST",
        reverse("login"),
        body,
        content_type=f"application/x-www-form-urlencoded; charset={name}",
    )
    return response.status_code, response.content.decode("utf-8", "replace")


def post_login_wsgi(name, body):
    return call_wsgi(
        reverse("login"),
        method="POST",
        content_type=f"application/x-www-form-urlencoded; charset={name}",
        body=body,
        cookie=f"csrftoken={CSRF_SECRET}",
    )


def get_healthz_client(name):
    response = shared_client().get(
        reverse("healthz") + "?x=1", CONTENT_TYPE=f"text/plain; charset={name}"
    )
    return response.status_code, response.content.decode("utf-8", "replace")


def get_healthz_wsgi(name):
    return call_wsgi(reverse("healthz"), query="x=1", content_type=f"text/plain; charset={name}")


def check_login(name, status, text, roundtrip):
    """What the person at the keyboard sees for a sign-in form sent in ``name``."""
    if not is_text_codec(name):
        assert (status, CHARSET_MESSAGE in text) == (400, True), "refused in Chinese"
    elif roundtrip:
        assert status == 302, "signed in"
    else:
        assert status < 500 and (status == 302 or CJK.search(text)), "a 4xx in Chinese"
    if status == 400:
        assert CHARSET_MESSAGE in text


def check_healthz(name, status, text):
    if not is_text_codec(name) or status == 400:
        assert (status, CHARSET_MESSAGE in text) == (400, True), "refused in Chinese"
    else:
        assert (status, text) == (200, "ok\n")
    if name in EVERYDAY:
        assert status == 200


def every_codec(check):
    failures = []
    for name in CODECS:
        try:
            check(name)
        except Exception as exc:  # record and go on: the test lists every codec that fails
            failures.append(f"{name}: {type(exc).__name__} {str(exc)[:120]}")
    assert failures == []


@pytest.mark.parametrize("send", [post_login_client, post_login_wsgi], ids=["client", "wsgi"])
def test_every_codec_name_on_the_login_page(bob, send):
    def check(name):
        body, roundtrip = login_body(name)
        status, text = send(name, body)
        check_login(name, status, text, roundtrip)

    every_codec(check)


@pytest.mark.parametrize("send", [get_healthz_client, get_healthz_wsgi], ids=["client", "wsgi"])
@pytest.mark.django_db
def test_every_codec_name_on_the_health_check(send):
    def check(name):
        check_healthz(name, *send(name))

    every_codec(check)


@pytest.mark.parametrize("charset", ["gbk", "GB18030", "gb2312"])
@pytest.mark.parametrize("send", [post_login_client, post_login_wsgi], ids=["client", "wsgi"])
def test_a_chinese_office_form_in_gbk_signs_in(db, send, charset):
    zhang = make_user("张伟", roles.UNIT_LIAISON)
    password = "龙岗改革密码-2017"
    zhang.set_password(password)
    zhang.save()
    body = urlencode(
        {"csrfmiddlewaretoken": CSRF_SECRET, "username": "张伟", "password": password},
        encoding=charset,
    ).encode("ascii")
    status, _text = send(charset, body)
    assert status == 302
    wrong = urlencode(
        {"csrfmiddlewaretoken": CSRF_SECRET, "username": "张伟", "password": "错误"},
        encoding=charset,
    ).encode("ascii")
    status, text = send(charset, wrong)
    assert status == 200
    assert "请输入一个正确的" in text  # the ordinary wrong-password message


def test_a_refused_charset_is_one_log_line_not_hundreds(bob, caplog):
    caplog.set_level(logging.INFO)
    status, text = get_healthz_wsgi("punycode")
    assert (status, CHARSET_MESSAGE in text) == (400, True)
    status, text = post_login_wsgi("rot13", login_body("ascii")[0])
    assert (status, CHARSET_MESSAGE in text) == (400, True)
    status, text = post_login_wsgi("idna", b"username=%E5%BC%A0&password=x")
    assert (status, CHARSET_MESSAGE in text) == (400, True)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "Bad Request: /healthz",
        "Bad Request: /accounts/login/",
        "Bad Request: /accounts/login/",
    ]


def test_a_gbk_sign_in_through_wsgi_logs_nothing_alarming(bob, caplog):
    caplog.set_level(logging.INFO)
    status, _text = post_login_wsgi("gbk", login_body("gbk")[0])
    assert status == 302
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("charset", ["punycode", "idna", "utf-16", "rot13", "gbk"])
def test_multipart_with_an_unusual_charset_is_never_a_server_error(bob, charset):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_SECRET
    body = (
        '--b\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{CSRF_SECRET}\r\n"
        '--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nbob\r\n'
        '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n%41x\r\n--b--\r\n'
    ).encode()
    response = client.generic(
        "POST",
        reverse("login"),
        data=body,
        content_type=f"multipart/form-data; boundary=b; charset={charset}",
    )
    assert response.status_code < 500
    assert CJK.search(response.content.decode())


def test_a_content_type_django_cannot_parse_is_a_400_not_a_crash(db):
    """Django refuses to parse a Content-Type over 10,000 characters while it builds the
    request (gunicorn's 8,190-byte header limit usually stops it first)."""
    status, text = call_wsgi(reverse("healthz"), content_type="text/plain; x=" + "y" * 10_001)
    assert status == 400
    assert "内容类型" in text


def test_the_charset_message_follows_the_interface_language(db, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("healthz"), CONTENT_TYPE="text/plain; charset=rot13")
    assert response.status_code == 400
    assert (
        response.content.decode()
        == "The request's character encoding is not valid; nothing was done.\n"
    )


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_too_many_fields_with_a_declared_charset_is_a_400_not_a_crash(db, charset):
    """Django decodes the query string while it builds a request that declares a charset,
    so too many fields used to raise before any error page could answer."""
    many = "&".join(f"f{i}=1" for i in range(1200))
    status, text = call_wsgi(
        reverse("login"), query=many, content_type=f"text/plain; charset={charset}"
    )
    assert status == 400
    assert CJK.search(text)
    status, text = post_login_wsgi(charset, many.encode())
    assert status == 400
    assert CJK.search(text)


# ---------------------------------------------------------------------------------------
# 6. SQLite, the default database, under simultaneous decisions
# ---------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
ON_SQLITE = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

# Run in the server's database: a reform-office user with ten sessions (one per person at
# a desk), and 方案关 of project 2 put in 待审核 so that it can be passed or sent back.
SETUP_SCRIPT = """
import json
from django.contrib.auth.models import Group
from django.test import Client
from projects.models import Checkpoint
from longgang_reform.mailers import mailer_from_url
from projects import roles
from units.models import User

office, _ = User.objects.get_or_create(username="office")
office.groups.add(Group.objects.get(name=roles.REFORM_OFFICE))
sessions = []
for _ in range(10):
    client = Client()
    client.force_login(office)
    sessions.append(client.cookies["sessionid"].value)
gate = Checkpoint.objects.get(project__plan__year=2017, project__number=2, kind="plan")
gate.status, gate.passed_on = "submitted", None
gate.save()
print(json.dumps(sessions))
"""
STATE_SCRIPT = """
import json
from projects.models import Checkpoint
gate = Checkpoint.objects.get(project__plan__year=2017, project__number=2, kind="plan")
print(json.dumps([gate.status, gate.version, gate.history.count()]))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FileServer:
    """gunicorn (2 processes x 5 threads) on a SQLite file, as `make run` users and small
    offices would run it, on 127.0.0.1 only."""

    def __init__(self, folder):
        self.port = free_port()
        dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        self.env = {k: v for k, v in os.environ.items() if k not in dropped}
        self.env.update(
            DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
            DEBUG="false",
            HTTPS="false",
            ENV_FILE=os.devnull,
            SECRET_KEY="test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            ALLOWED_HOSTS="127.0.0.1",
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            LOG_LEVEL="WARNING",
        )
        self.log = folder / "server.log"

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, script):
        return json.loads(self.manage("shell", "-c", script).strip().splitlines()[-1])

    def __enter__(self):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_plan", "plan_2017")
        command = [sys.executable, "-m", "gunicorn", "longgang_reform.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "5"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start: " + self.log.read_text())

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def request(self, method, path, *, cookies=None, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()


def decision_form(server, session):
    """Open the checkpoint page as a person would: the CSRF cookie, and the decision form's
    hidden fields."""
    path = reverse("checkpoint_detail", args=[2017, 2, "plan"])
    status, headers, html = server.request("GET", path, cookies={"sessionid": session})
    assert status == 200
    csrf_cookie = next(
        v.split(";")[0].split("=", 1)[1]
        for k, v in headers
        if k.lower() == "set-cookie" and v.startswith("csrftoken=")
    )
    form = html[
        html.index('value="decision"') : html.index("</form>", html.index('value="decision"'))
    ]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    version = re.search(r'name="version" value="(\d+)"', form)[1]
    return path, {"sessionid": session, "csrftoken": csrf_cookie}, token, version


def decide_at_once(server, forms):
    """Everyone presses a button at the same moment: half pass, half send back."""
    start = threading.Barrier(len(forms))
    results = [None] * len(forms)

    def decide(i, path, cookies, token, version):
        action = {"action": "approve"} if i % 2 else {"action": "send_back", "note": "请补充材料"}
        data = {"form": "decision", "version": version, "csrfmiddlewaretoken": token, **action}
        start.wait()
        results[i] = server.request("POST", path, cookies=cookies, form=data)[0]

    threads = [threading.Thread(target=decide, args=(i, *f)) for i, f in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.skipif(not ON_SQLITE, reason="about SQLite, the default database")
def test_sqlite_file_database_takes_ten_simultaneous_decisions(tmp_path):
    with FileServer(tmp_path) as server:
        for round_number in range(3):
            sessions = server.shell(SETUP_SCRIPT)
            _status, version_before, history_before = server.shell(STATE_SCRIPT)
            forms = [decision_form(server, session) for session in sessions]
            results = decide_at_once(server, forms)
            log = server.log.read_text()
            assert sorted(results) == [302] + [409] * 9, (round_number, results, log[-3000:])
            status, version_after, history_after = server.shell(STATE_SCRIPT)
            assert status in {"passed", "rework"}
            assert (version_after, history_after) == (version_before + 1, history_before + 1)
        assert "database is locked" not in server.log.read_text()


# ---------------------------------------------------------------------------------------
# 7. Password reset by email (only when email is configured), throttled; password change
#    throttled like sign-in
# ---------------------------------------------------------------------------------------

FROM = "龙岗改革台账 <noreply@reform.example.gov.cn>"
RESET_PAGES = ["/accounts/password_reset/", "/accounts/password_reset/done/"]
RESET_PAGES += ["/accounts/reset/MQ/abc-123/", "/accounts/reset/done/"]


def configure_email(settings, url):
    settings.EMAIL_URL = url
    settings.MAILERS = {"default": mailer_from_url(url)}
    settings.DEFAULT_FROM_EMAIL = FROM


@pytest.fixture
def email_on(smtp_server, settings):
    """EMAIL_URL pointing at a real SMTP server; the throttle counters start at zero."""
    configure_email(settings, smtp_server.url)
    cache.clear()
    yield smtp_server
    cache.clear()


@pytest.fixture
def carol(db):
    user = make_user("carol", roles.UNIT_LIAISON)
    user.email = "carol@longgang.gov.cn"
    user.save()
    return user


def ask_for_reset(client, address, **extra):
    return client.post(reverse("password_reset"), {"email": address}, **extra)


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_without_email_the_reset_pages_do_not_exist(db, client, settings):
    settings.EMAIL_URL = ""
    for url in RESET_PAGES:
        assert client.get(url).status_code == 404, url
    assert ask_for_reset(client, "carol@longgang.gov.cn").status_code == 404
    login = client.get(reverse("login")).content.decode()
    assert "忘记密码请联系管理员" in login
    assert "/accounts/password_reset/" not in login


def test_with_email_the_login_page_links_to_the_reset(email_on, client):
    login = client.get(reverse("login")).content.decode()
    assert 'href="/accounts/password_reset/"' in login
    assert "忘记密码" in login
    assert "忘记密码请联系管理员" not in login


def test_reset_by_email_end_to_end(email_on, carol):
    client = Client()
    form = client.get(reverse("password_reset"))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Django" not in page  # the app's own page, not the admin site's
    assert "重设密码" in page

    response = ask_for_reset(client, "Carol@LongGang.gov.cn")  # as people type it
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    done = client.get(response["Location"]).content.decode()
    assert "如果该邮箱" in done

    [message] = email_on.messages
    assert message["To"] == "carol@longgang.gov.cn"
    assert message["From"] == FROM
    assert message["Subject"] == "龙岗改革台账：重设密码"
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert "carol" in body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body)[1]

    # following the link lets carol choose a new password
    response = client.get(link)
    assert response.status_code == 302  # Django hides the token from the address bar
    set_password = response["Location"]
    page = client.get(set_password)
    assert "设置新密码" in page.content.decode()
    new = "longgang-新密码-2026"
    response = client.post(set_password, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert "密码已重设" in client.get(response["Location"]).content.decode()

    # and signs in with it; the old one no longer works
    assert sign_in(Client(), new, username="carol").status_code == 302
    assert sign_in(Client(), PASSWORD, username="carol").status_code == 200

    # the link works once only
    used = Client().get(link, follow=True).content.decode()
    assert "链接无效" in used


def test_reset_says_the_same_whether_or_not_the_address_exists(email_on, carol):
    known = ask_for_reset(Client(), "carol@longgang.gov.cn")
    unknown = ask_for_reset(Client(), "nobody@longgang.gov.cn")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    client = Client()
    assert without_tokens(client.get(known["Location"]).content.decode()) == without_tokens(
        client.get(unknown["Location"]).content.decode()
    )
    assert [m["To"] for m in email_on.messages] == ["carol@longgang.gov.cn"]


def test_reset_with_the_mail_server_down_still_says_the_same(carol, settings, caplog):
    configure_email(settings, f"smtp://127.0.0.1:{free_port()}")  # nothing listens there
    cache.clear()
    response = ask_for_reset(Client(), "carol@longgang.gov.cn")
    assert (response.status_code, response["Location"]) == (302, reverse("password_reset_done"))
    assert any("Failed to send password reset email" in r.getMessage() for r in caplog.records)


def test_reset_is_throttled_per_address(email_on, carol, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    statuses = [
        ask_for_reset(Client(), "carol@longgang.gov.cn", REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(1, 5)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(email_on.messages) == 3
    refused = ask_for_reset(Client(), "CAROL@longgang.gov.cn", REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert len(email_on.messages) == 3
    # an unknown address is counted the same way, so the limit says nothing either
    statuses = [
        ask_for_reset(Client(), "nobody@longgang.gov.cn", REMOTE_ADDR=f"10.0.1.{i}").status_code
        for i in range(1, 5)
    ]
    assert statuses == [302, 302, 302, 429]


def test_reset_is_throttled_per_client_behind_the_proxy(email_on, carol, settings):
    settings.BEHIND_PROXY = True
    settings.PASSWORD_RESET_PER_CLIENT = 4
    attacker = Client(headers={"x-forwarded-for": "10.0.0.66"})
    statuses = [ask_for_reset(attacker, f"someone{i}@example.com").status_code for i in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
    assert "请求过于频繁" in ask_for_reset(attacker, "carol@longgang.gov.cn").content.decode()
    assert email_on.messages == []
    # carol, at another desk behind the same proxy, still gets her link
    colleague = Client(headers={"x-forwarded-for": "10.0.0.7"})
    assert ask_for_reset(colleague, "carol@longgang.gov.cn").status_code == 302
    assert len(email_on.messages) == 1


def change_password(client, old, new="longgang-新密码-2026"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_wrong_old_passwords_lock_the_password_change_form(bob):
    client = Client()
    client.force_login(bob)
    statuses = [change_password(client, f"wrong-{i}").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = change_password(client, PASSWORD)  # even the right one, while locked
    assert response.status_code == 429
    assert "已暂停" in response.content.decode()
    assert client.get(reverse("password_change")).status_code == 429
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    # the typed passwords are not kept in axes' records
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("bob", 5)
    assert "wrong-" not in attempt.post_data


def test_a_successful_password_change_resets_the_count(bob):
    client = Client()
    client.force_login(bob)
    responses = [change_password(client, "wrong") for _ in range(4)]
    assert [r.status_code for r in responses] == [200] * 4
    assert "旧密码不正确" in responses[-1].content.decode()
    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert change_password(client, "wrong", new="another-新密码-2026").status_code == 200


def test_email_url_forms():
    assert mailer_from_url("smtp+tls://reform%40longgang.gov.cn:p%40ss@mail.gov.cn:587") == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "mail.gov.cn",
            "port": 587,
            "username": "reform@longgang.gov.cn",
            "password": "p@ss",
            "use_tls": True,
            "timeout": 10,
        },
    }
    assert mailer_from_url("consolemail://") == {
        "BACKEND": "longgang_reform.mailers.ReadableConsoleBackend",
        "OPTIONS": {},
    }


def test_in_development_the_reset_mail_is_printed(carol, settings, capsys):
    """`make run` sets EMAIL_URL=consolemail://: the link shows in the terminal."""
    configure_email(settings, "consolemail://")
    cache.clear()
    assert ask_for_reset(Client(), "carol@longgang.gov.cn").status_code == 302
    printed = capsys.readouterr().out
    assert "Subject: 龙岗改革台账：重设密码" in printed
    assert re.search(r"http://testserver/accounts/reset/\S+/\n", printed)


def test_the_reset_mail_follows_the_interface_language(email_on, carol, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ask_for_reset(client, "carol@longgang.gov.cn").status_code == 302
    [message] = email_on.messages
    assert message["Subject"] == "Longgang Reform Tracker: reset your password"
    assert "Your username: carol" in message.get_content()


def test_check_deploy_is_clean_with_email_configured():
    from .base import run_manage

    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-not-a-real-key-" + "y" * 30,
        ALLOWED_HOSTS="reform.example.gov.cn",
        EMAIL_URL="smtp+tls://reform:secret@mail.example.gov.cn:587",
        DEFAULT_FROM_EMAIL="noreply@reform.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
