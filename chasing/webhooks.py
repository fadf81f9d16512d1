"""企业微信/政务微信 group robots: the URL check and the one POST.

Only http(s) URLs, and only to public addresses unless ``WEBHOOK_ALLOW_PRIVATE`` is on (an
intranet 政务微信, or a test's receiver on 127.0.0.1): a URL typed into the robot page must
not let the server be pointed at itself or the office network. The host is resolved and
every address it resolves to is checked, just before sending; redirects are not followed.
"""

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from . import conf

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class Refused(Exception):
    """The URL may not be used; the message says why (in the interface language)."""


class Failed(Exception):
    """The robot did not take the message; the message says what happened."""


def mask(url):
    """``https://qyapi.weixin.qq.com/…abcd``: enough to recognise, not enough to use."""
    parts = urlsplit(url)
    rest = f"{parts.path}?{parts.query}" if parts.query else parts.path
    tail = rest[-4:] if len(rest) > 8 else ""
    return f"{parts.scheme}://{parts.hostname or ''}/…{tail}"


def _public(address):
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global


def check(url, *, resolve=True):
    """Raise Refused unless ``url`` is an http(s) URL to a public address (or private ones
    are allowed). ``resolve``: also look the host name up and check what it points to."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(_("群机器人地址格式无效。")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("群机器人地址须以 https:// 或 http:// 开头，并包含主机名。"))
    if conf.get("WEBHOOK_ALLOW_PRIVATE"):
        return
    host = parts.hostname.rstrip(".").lower()
    private = _("群机器人地址不能指向本机或内网地址。")
    if host in LOCAL_NAMES or host.endswith((".localhost", ".local", ".internal")):
        raise Refused(private)
    try:
        if not _public(host):
            raise Refused(private)
        return  # a literal public address
    except ValueError:
        pass  # a host name
    if not resolve:
        return
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise Refused(_("无法解析群机器人地址的主机名。")) from exc
    if not found or not all(_public(info[4][0]) for info in found):
        raise Refused(private)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirect refused: {msg}", headers, fp)


def post(url, text):
    """POST ``text`` as the robot's text message; raise Refused or Failed."""
    check(url)
    payload = {"msgtype": "text", "text": {"content": text}}
    request = urllib.request.Request(  # noqa: S310 - the scheme was checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=conf.get("WEBHOOK_TIMEOUT")) as response:
            answer = response.read(4096)
    except urllib.error.HTTPError as exc:
        raise Failed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Failed(f"无法连接：{reason}") from exc
    try:
        reply = json.loads(answer.decode("utf-8")) if answer.strip() else {}
    except (UnicodeDecodeError, ValueError):
        reply = {}
    if isinstance(reply, dict) and reply.get("errcode") not in (None, 0):
        raise Failed(f"errcode {reply.get('errcode')}: {str(reply.get('errmsg', ''))[:200]}")
