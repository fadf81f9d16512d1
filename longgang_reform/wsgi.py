"""WSGI entry point (gunicorn longgang_reform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from longgang_reform.middleware import reject_bad_charset_wsgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longgang_reform.settings")
application = reject_bad_charset_wsgi(get_wsgi_application())
