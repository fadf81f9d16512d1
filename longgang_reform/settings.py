"""Settings for 龙岗改革台账, read from an optional ``.env`` file and then the environment.

Every setting that differs between a laptop and production comes from one environment
variable; the README lists them all with their defaults.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from longgang_reform.mailers import mailer_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE lets tests and deployments point elsewhere (e.g. /dev/null to read no file).
environ.Env.read_env(environ.Env().str("ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(50+ random characters) or run with DEBUG=true for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "units",
    "projects",
    "evidence",
    "intake",
    "chasing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "longgang_reform.middleware.ChineseFirstLocaleMiddleware",
    "longgang_reform.middleware.CharsetMiddleware",  # before anything reads GET or POST
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "units.middleware.ForcePasswordChangeMiddleware",  # a temporary password: change it first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "longgang_reform.urls"
WSGI_APPLICATION = "longgang_reform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chasing.context_processors.todo",
            ],
        },
    },
]

# Database: SQLite file in the repo folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Simultaneous writers (two people deciding one checkpoint, gunicorn's workers):
    # - IMMEDIATE: a transaction takes the write lock when it begins. With SQLite's default
    #   (DEFERRED) two transactions that have both read and then both write deadlock, and
    #   one fails at once with "database is locked" whatever the timeout.
    # - timeout: a writer waits up to SQLITE_TIMEOUT seconds for the lock instead of failing.
    # - WAL: readers never wait for the writer, nor the writer for readers. synchronous
    #   stays FULL (SQLite's default): a decision acknowledged survives a power cut.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    # Django's ModelBackend, permissions cached per user under the data stamp
    "projects.freshness.StampedModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence files (附件) go through the default storage: a local folder (FILES_DIR, by
# default files/ in the repo folder, git-ignored). Never served by whitenoise or from a
# URL of its own: only evidence's download view reads it, after its permission check.
MEDIA_ROOT = Path(env.str("FILES_DIR", default=str(BASE_DIR / "files")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Or an S3-compatible bucket (MinIO, OSS, COS…) with FILES_S3_BUCKET: needs
# `pip install "django-storages[s3]"`, which the app does not install (see the README).
FILES_S3_BUCKET = env.str("FILES_S3_BUCKET", default="")
if FILES_S3_BUCKET:
    import importlib.util

    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "FILES_S3_BUCKET is set but django-storages is not installed: "
            'pip install "django-storages[s3]"'
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": FILES_S3_BUCKET,
            "endpoint_url": env.str("FILES_S3_ENDPOINT", default="") or None,
            "region_name": env.str("FILES_S3_REGION", default="") or None,
            "access_key": env.str("FILES_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("FILES_S3_SECRET_KEY", default="") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Limits of one evidence file, and of what a zip-based one (DOCX, XLSX, OFD) may unpack to.
EVIDENCE_MAX_BYTES = env.int("FILES_MAX_MB", default=20) * 2**20
EVIDENCE_MAX_UNZIPPED_BYTES = env.int("FILES_MAX_UNZIPPED_MB", default=200) * 2**20

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "intake:start"  # each role to its start page (an expert: reviews)
LOGOUT_REDIRECT_URL = "login"

# Email, used only for password reset: EMAIL_URL is smtp://host:port,
# smtp+tls://user:password@host:587, smtp+ssl://…:465 or consolemail:// (printed, for
# development). Without it the reset pages do not exist and the login page says to ask
# the administrator.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works once, for a day
# Reset requests allowed per hour for one email address, and from one client address.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)

# Chasing late work (app chasing: 待办, 催办, 督办; `manage.py send_reminders` from cron).
# Reminders go out REMINDER_DAYS_BEFORE days before an item's due date, on it, the day
# after, then every REMINDER_REPEAT_DAYS days; ESCALATE_AFTER_DAYS late it becomes 督办.
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)
REMINDER_REPEAT_DAYS = env.int("REMINDER_REPEAT_DAYS", default=3)
ESCALATE_AFTER_DAYS = env.int("ESCALATE_AFTER_DAYS", default=7)
INSTRUCTION_DUE_DAYS = env.int("INSTRUCTION_DUE_DAYS", default=14)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5.0)
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# The public suggestion page (/suggest/, no sign-in): posts allowed per client address per
# minute and per hour, from everyone together per hour, the largest request body in bytes,
# and status look-ups by receipt number per client address per hour. Counted in CACHES.
SUGGEST_PER_CLIENT_MINUTE = env.int("SUGGEST_PER_CLIENT_MINUTE", default=5)
SUGGEST_PER_CLIENT_HOUR = env.int("SUGGEST_PER_CLIENT_HOUR", default=20)
SUGGEST_GLOBAL_PER_HOUR = env.int("SUGGEST_GLOBAL_PER_HOUR", default=600)
SUGGEST_MAX_BODY = env.int("SUGGEST_MAX_BODY", default=32 * 1024)
SUGGEST_LOOKUPS_PER_CLIENT = env.int("SUGGEST_LOOKUPS_PER_CLIENT", default=60)

# The reset limits count in this cache. The default keeps them in each process's memory
# (with N gunicorn workers, up to N times the limits); dbcache://longgang_cache (after
# `manage.py createcachetable`) or filecache:///var/tmp/longgang shares them.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Security headers that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# HTTPS: on by default whenever DEBUG is off. Behind a TLS-terminating proxy set
# BEHIND_PROXY=true so Django trusts X-Forwarded-Proto, and the client's address is taken
# from X-Forwarded-For (PROXY_COUNT trusted proxies; see longgang_reform/clientip.py).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if PROXY_COUNT < 1:
    raise ImproperlyConfigured("PROXY_COUNT is the number of trusted proxies: 1 or more.")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Brute-force protection (django-axes): a username is locked on one client address after
# AXES_FAILURE_LIMIT failed sign-ins, for AXES_COOLOFF_MINUTES. Locking by the pair keeps
# one person's typos from locking a whole office behind one NAT address.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Wrong old passwords on the password-change form count as failed sign-ins too; axes keeps
# the form's fields in its records, masked.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# The client's address: the peer's, or behind the proxy the one X-Forwarded-For names.
AXES_CLIENT_IP_CALLABLE = "longgang_reform.clientip.client_ip"

# Logs go to the console (gunicorn's stderr, the journal). A refused request (4xx) is one
# line: status, method, path, user id, the reason; a server error (5xx) keeps its traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusal_on_one_line": {"()": "longgang_reform.logfilters.RefusalOnOneLine"},
        "skip_server_refusals": {"()": "longgang_reform.logfilters.SkipServerRefusals"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs every sign-in at INFO; lockouts come at WARNING.
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
        # Django's records reach the console once, through the root logger: its default
        # console handler (on with DEBUG) printed each a second time. No mail to ADMINS.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["refusal_on_one_line"]},
        # runserver's access log, without the 4xx lines django.request has written
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["skip_server_refusals"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

CSRF_FAILURE_VIEW = "longgang_reform.views.csrf_failure"
SIMPLE_HISTORY_REVERT_DISABLED = True  # the admin may not revert past the app's rules
