"""Never stale: a database version stamp that keys every cache.

Triggers on every table of the app (and the auth tables that give roles) bump the one
row of ``DataStamp`` in the transaction of whatever wrote: a view, the admin site, a
management command, a data migration, ``bulk_create`` and ``QuerySet.update()``, raw
SQL, another worker process or another app server. A reader takes the stamp once per
request (one indexed SELECT) and looks up cached entries under it, so a write is seen on
the very next request of every user, and nothing is ever invalidated by hand.

The triggers are (re)installed after every ``migrate`` (``post_migrate``), so a new
table is watched from its first migration; ``migrate`` bumps the stamp itself too.
PostgreSQL bumps once per statement; SQLite (no statement triggers) once per row.
"""

from django.apps import apps
from django.db import connection

WATCHED_APPS = ("auth", "units", "projects", "evidence", "intake", "chasing")
STAMP_TABLE = "projects_datastamp"

# A bump sets a new random 63-bit number rather than adding one: a transaction rolled
# back never leaves a number that a later write could take again (so an entry cached by
# a request inside that transaction is never found), and a removed row (a test's flush)
# comes back as a number never seen.
_PG_BUMP = """
INSERT INTO projects_datastamp (id, version) VALUES (1, (random() * 9e18)::bigint)
ON CONFLICT (id) DO UPDATE SET version = (random() * 9e18)::bigint
"""
_SQLITE_BUMP = """
INSERT INTO projects_datastamp (id, version) VALUES (1, random())
ON CONFLICT (id) DO UPDATE SET version = random()
"""


def watched_tables():
    """The tables whose writes bump the stamp (the stamp's own aside)."""
    tables = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables - {STAMP_TABLE})


def _pg_statements(tables):
    yield (
        "CREATE OR REPLACE FUNCTION lg_bump_data_stamp() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {_PG_BUMP}; RETURN NULL; END $$"
    )
    for table in tables:
        yield (
            f"CREATE OR REPLACE TRIGGER lg_data_stamp AFTER INSERT OR UPDATE OR DELETE "
            f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION lg_bump_data_stamp()'
        )


def _sqlite_statements(tables):
    for table in tables:
        for op in ("INSERT", "UPDATE", "DELETE"):
            yield (
                f'CREATE TRIGGER IF NOT EXISTS "lg_data_stamp_{table}_{op.lower()}" '
                f'AFTER {op} ON "{table}" BEGIN {_SQLITE_BUMP}; END'
            )


def install_triggers(using=None, *, conn=None, **kwargs):
    """Create the triggers that are missing (``post_migrate``, and the migration that
    adds the stamp) and bump the stamp."""
    from django.db import connections

    conn = conn or (connections[using] if using else connection)
    existing = set(conn.introspection.table_names())
    tables = [t for t in watched_tables() if t in existing]
    if STAMP_TABLE not in existing:
        return
    statements = _pg_statements if conn.vendor == "postgresql" else _sqlite_statements
    with conn.cursor() as cursor:
        for sql in statements(tables):
            cursor.execute(sql)
        cursor.execute(_PG_BUMP if conn.vendor == "postgresql" else _SQLITE_BUMP)


def drop_triggers(conn):
    """Remove the triggers (before the stamp's table goes, when migrating backwards)."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            for table in conn.introspection.table_names(cursor):
                cursor.execute(f'DROP TRIGGER IF EXISTS lg_data_stamp ON "{table}"')
            cursor.execute("DROP FUNCTION IF EXISTS lg_bump_data_stamp()")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'lg_data_stamp_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def current_stamp(request=None):
    """The stamp now (read once per request when given one); None when there is no
    stamp row yet, and then nothing may be cached."""
    if request is not None and hasattr(request, "_data_stamp"):
        return request._data_stamp
    from .models import DataStamp

    stamp = DataStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    if request is not None:
        request._data_stamp = stamp
    return stamp


def cached(request, name, parts, compute):
    """``compute()``, cached under the stamp already read for ``request`` (plus the
    language, the day and ``parts``); computed afresh when the request has not read the
    stamp (pages that cache nothing pay no query for it). Data, not HTML: ``parts`` must
    name everything the value depends on beyond the stored data (e.g. the user)."""
    stamp = getattr(request, "_data_stamp", None)
    if stamp is None:
        return compute()
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key
    from django.utils import timezone
    from django.utils.translation import get_language

    vary = [stamp, get_language(), timezone.localdate(), *parts]
    key = make_template_fragment_key(f"stamped-data:{name}", vary)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 24 * 3600)
    return value
