"""WSGI entry point (gunicorn sendwise.wsgi in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendwise.settings")
application = get_wsgi_application()
