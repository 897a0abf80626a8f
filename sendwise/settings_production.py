"""Production settings: the real settings, served over TLS, with nothing left to a default that
only suits a laptop. `DJANGO_SETTINGS_MODULE=sendwise.settings_production` (deploy/ sets it).

Required from the environment (it refuses to start without them): SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL. See docs/operations.md for every setting.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(
            f"{_name} must be set in the environment for production (docs/operations.md)."
        )
# Read before the base settings, which take these defaults from the environment.
os.environ.setdefault("SERVED_OVER_TLS", "true")

from sendwise.settings import *  # noqa: E402, F403

DEBUG = False

# Static files are collected once per release (`manage.py collectstatic`, deploy/) into
# STATIC_ROOT and served by WhiteNoise from there, compressed, not looked up on each request.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STATIC_ROOT = env.path("STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# A second factor is always required in production, and the demo accounts' exemption is off.
SECOND_FACTOR_ENFORCED = True
SENDWISE_DEMO_MODE = False

# Email through SMTP, from EMAIL_URL (django-environ's smtp+tls:// form; docs/operations.md).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))  # noqa: F405
