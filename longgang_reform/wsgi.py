"""WSGI entry point (gunicorn longgang_reform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longgang_reform.settings")
application = get_wsgi_application()
