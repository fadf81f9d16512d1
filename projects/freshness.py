"""Never stale: a data stamp, kept in the database, that keys every cache.

Every statement the app sends that writes to its data goes through one database
execute wrapper (installed on every connection): views, the admin site, management
commands, data migrations, ``bulk_create``, ``QuerySet.update()``, raw SQL through
Django's cursor, in any worker process or on any app server. When the writing
transaction has committed (or at once, for a write outside a transaction), the stamp
moves: a PostgreSQL sequence (``nextval``: no row lock, so writers never wait for each
other), or on SQLite one row set to a new random number. A reader takes the stamp once
per request, before the data, and looks up cached entries under it; an entry can
therefore hold data newer than its stamp, never older, and a write is seen on the very
next request of every user.

Inside a transaction that has written and not yet committed (a test, or a view that
writes and then renders), the stamp is made private to that transaction and to each of
its writes: its uncommitted data is never cached where another transaction (or a later
one, after a rollback) could find it, and it still sees its own writes at once.

Writes that do not go through the app (a ``psql`` session) are not seen by the
wrapper: run ``manage.py touch_data_stamp`` after them. Cached entries also expire after
``TIMEOUT`` seconds, which bounds such a miss.
"""

import hashlib
import itertools
import logging
import re
import secrets
import uuid
from functools import partial, wraps

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

log = logging.getLogger(__name__)

TIMEOUT = 600  # seconds an entry lives at most (a write outside the app is seen by then)
SEQUENCE = "projects_data_stamp_seq"  # PostgreSQL
STAMP_TABLE = "projects_datastamp"  # SQLite: one row, id 1
# Writes that change nothing a cached page shows: sessions, sign-in attempts, the stamp.
UNWATCHED = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        STAMP_TABLE,
    }
)
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW")
_READS += ("PRAGMA", "EXPLAIN", "DECLARE", "FETCH", "CLOSE")
_TARGET = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
# Signing in writes the user's last_login only: no page shows it from a cache.
_LAST_LOGIN = re.compile(r'\s*UPDATE\s+"(\w+)"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE', re.I)

_PROCESS = secrets.token_hex(6)  # keeps private stamps apart in a shared cache
_WRITES = itertools.count(1)

_PG_READ = f"SELECT last_value FROM {SEQUENCE}"  # noqa: S608 (constants)
_PG_BUMP = f"SELECT nextval('{SEQUENCE}')"
_SQLITE_READ = f"SELECT version FROM {STAMP_TABLE} WHERE id = 1"  # noqa: S608
# A random number, not +1: a stamp table emptied by a flush never brings back an old one.
_SQLITE_BUMP = (
    f"INSERT INTO {STAMP_TABLE} (id, version) VALUES (1, random()) "  # noqa: S608
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version"
)


def writes(sql):
    """Whether a statement may change data a cached page shows."""
    if not isinstance(sql, str):
        sql = str(sql)
    head = sql.lstrip()[:10].upper()
    if head.startswith(_READS):
        return False
    target = _TARGET.match(sql)
    if target and target.group(1) in UNWATCHED:
        return False
    match = _LAST_LOGIN.match(sql)
    return not (match and match.group(1) == _user_table())


def _user_table():
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.db_table


def bump(conn=None):
    """Move the stamp now (after a commit, or by hand: ``touch_data_stamp``)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(_PG_BUMP if conn.vendor == "postgresql" else _SQLITE_BUMP)


_migrating = False  # a migrate is running: the stamp may not exist yet; moved at its end


def migrate_started(**kwargs):
    global _migrating
    _migrating = True


def migrate_finished(using="default", **kwargs):
    """``post_migrate``: the schema and data migrations moved data; move the stamp."""
    global _migrating
    _migrating = False
    from django.db import connections

    _after_commit(connections[using])


def _after_commit(conn):
    if _migrating:
        return
    try:
        bump(conn)
    except Exception:  # the data is committed; a failed bump must not turn it into a 500
        log.exception("the data stamp could not be moved after a commit")


def _pending(conn):
    """Whether the open transaction has written (its stamp move is still to come)."""
    hook = getattr(conn, "_stamp_hook", None)
    return hook is not None and any(f is hook for _, f, _ in conn.run_on_commit)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if writes(sql):
        conn = context["connection"]
        if conn.in_atomic_block:
            conn._stamp_write = next(_WRITES)
            if not _pending(conn):
                conn._stamp_hook = partial(_after_commit, conn)
                transaction.on_commit(conn._stamp_hook, using=conn.alias)
        else:
            _after_commit(conn)
    return result


def watch(sender=None, connection=None, **kwargs):
    """Put the wrapper on a connection (``connection_created``; idempotent)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)  # outermost; a with-block pops its own


def _read(conn):
    with conn.cursor() as cursor:
        cursor.execute(_PG_READ if conn.vendor == "postgresql" else _SQLITE_READ)
        row = cursor.fetchone()
    return row[0] if row else None


def current_stamp(request=None):
    """The stamp now (read once per request when given one); None when there is none
    yet, and then nothing may be cached. The request's user keeps it too, so that the
    permission checks of a page that reads the stamp are cached (``StampedModelBackend``)."""
    if request is not None and hasattr(request, "_data_stamp"):
        return request._data_stamp
    watch(connection=connection)
    stamp = _read(connection)
    if stamp is not None and _pending(connection):
        stamp = f"{stamp}:{_PROCESS}:{connection._stamp_write}"
    if request is not None:
        request._data_stamp = stamp
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user._data_stamp = stamp
    return stamp


def stamped_key(name, stamp, *parts):
    """The cache key of ``name`` under ``stamp``: also the language and the day (逾期,
    需催办 and 督办 move with the date), and ``parts``."""
    vary = [stamp, get_language(), timezone.localdate(), *parts]
    return make_template_fragment_key(f"stamped:{name}", vary)


def cached(request, name, parts, compute):
    """``compute()``, cached under the stamp already read for ``request`` (plus the
    language, the day and ``parts``); computed afresh when the request has not read the
    stamp (pages that cache nothing pay no query for it). ``parts`` must name everything
    the value depends on beyond the stored data (e.g. the user)."""
    stamp = getattr(request, "_data_stamp", None)
    if stamp is None:
        return compute()
    key = stamped_key(name, stamp, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


class StampedModelBackend(ModelBackend):
    """Django's ModelBackend; on a page that has read the data stamp (the cached pages:
    ``cached_page`` reads it before the permission checks), each user's permissions, their
    own and their groups', come from the cache under that stamp instead of two queries.
    Roles and permissions live in watched tables, so a change of role moves the stamp and
    is seen on the next request, as everywhere else. Other pages ask the database as
    Django does."""

    def get_all_permissions(self, user_obj, obj=None):
        stamp = getattr(user_obj, "_data_stamp", None)
        if stamp is None or not user_obj.is_active or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            key = f"stamped-perms:{stamp}:{user_obj.pk}"
            found = cache.get(key)
            if found is None:
                found = (self.get_user_permissions(user_obj), self.get_group_permissions(user_obj))
                cache.set(key, found, TIMEOUT)
            user_obj._user_perm_cache, user_obj._group_perm_cache = found
            user_obj._perm_cache = {*found[0], *found[1]}
        return user_obj._perm_cache


# A form's one-time token (``projects.forms``): a page read from the cache gets new ones,
# so two copies of a page never share one. Its CSRF tokens are drawn again for the request.
_SUBMISSION = re.compile(rb'(name="[\w-]*submission" value=")[0-9a-f-]{36}(")')
_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def cached_page(view):
    """A GET page cached whole, per session, under the data stamp: the same session asking
    for the same address, in the same language, on the same day, with no write anywhere
    since, gets the page drawn before, its forms with new one-time tokens and CSRF tokens
    of this request. Pages carrying a message, drawn for a POST, or answering anything but
    200 are never cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _page_key(request)
        if key is not None:
            content = cache.get(key)
            if content is not None:
                csrf = get_token(request).encode()  # and the CSRF cookie, as drawing would
                content = _CSRF.sub(lambda m: m.group(1) + csrf + m.group(2), content)
                return HttpResponse(_SUBMISSION.sub(_new_token, content))
        response = view(request, *args, **kwargs)
        if key is not None and _storable(request, response):
            cache.set(key, response.content, TIMEOUT)
        return response

    return wrapped


def _new_token(match):
    return match.group(1) + str(uuid.uuid4()).encode() + match.group(2)


def _page_key(request):
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    session = request.session
    if "messages" in request.COOKIES or "_messages" in session or session.session_key is None:
        return None
    stamp = current_stamp(request)
    if stamp is None:
        return None
    state = hashlib.sha256(repr(sorted(session.items())).encode()).hexdigest()
    # the session's key and whatever it holds (a pending import, …)
    return stamped_key("page", stamp, session.session_key, state, request.get_full_path())


def _storable(request, response):
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not queued
    )
