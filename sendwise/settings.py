"""SENDwise settings, read from the environment.

Defaults make the embedded set-up work with nothing installed: SQLite in WAL mode under `var/`,
a secret key generated once and kept in `var/secret_key`, DEBUG off. Production sets
DATABASE_URL (PostgreSQL), SECRET_KEY, ALLOWED_HOSTS and DEBUG explicitly.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()


def _secret_key() -> str:
    """Take SECRET_KEY from the environment, else one generated once for this checkout."""
    if env.str("SECRET_KEY", default=""):
        return env.str("SECRET_KEY")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rules",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "sendwise.core",
    "sendwise.core.tasks",
    "sendwise.pupils",
    "sendwise.exchange",
    "sendwise.reports",
    "sendwise.evidence",
    "sendwise.concerns",
    "sendwise.planning",
    "sendwise.monitoring",
    "sendwise.delivery",
    "sendwise.impact",
    "sendwise.pages",
    "sendwise.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and auth middleware, so it sees every response they and the views make.
    "sendwise.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with the second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sendwise.core.middleware.CurrentSchoolMiddleware",
    # A SENCO, head, administrator or adviser without a second factor sets one up before any
    # page with pupils' data; anyone who has one enters a code first (core.second_factor_services).
    "sendwise.core.middleware.SecondFactorMiddleware",
    # When this session was last used, for "your other sessions" (core.account_services).
    "sendwise.core.middleware.SessionSeenMiddleware",
    # Axes last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sendwise.urls"
WSGI_APPLICATION = "sendwise.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sendwise" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sendwise.core.context_processors.navigation",
            ],
        },
    },
]

# Django's form renderer with drop-down lists written in Python, not a template an option
# (core.form_renderer: the same markup, a fraction of the time on long lists).
FORM_RENDERER = "sendwise.core.form_renderer.FormRenderer"

# Databases: SQLite under var/ by default; PostgreSQL when DATABASE_URL names it.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sendwise.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the register be read while a session is being logged; IMMEDIATE avoids
            # "database is locked" surprises when two writes start together.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    # Keep a PostgreSQL connection open between requests (Django docs, "Persistent
    # connections"): opening one (TCP, then SCRAM authentication) costs milliseconds of every
    # request otherwise. Checked before reuse, so a restarted server costs one retry, not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The "tasks" alias holds the task queue and task progress (core.tasks.router, ADR 0005): on
# SQLite a second small file beside the main one, so a heartbeat is never blocked by the write lock
# an import's transaction holds; on PostgreSQL the same database over a second connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _main = Path(DATABASES["default"]["NAME"])
    DATABASES["tasks"] = {
        **DATABASES["default"],
        "NAME": str(_main.with_name(f"{_main.stem}-tasks{_main.suffix}")),
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
    }
    TASK_TABLES_IN = ("tasks",)
else:
    DATABASES["tasks"] = {**DATABASES["default"]}
    TASK_TABLES_IN = ("default",)
DATABASE_ROUTERS = ["sendwise.core.tasks.router.TaskDatabaseRouter"]

# The cache: Django's database cache, in the main database. Why this backend: every gunicorn
# worker (and every machine behind a load balancer) shares one copy, so a chart drawn by one
# worker is not drawn again by the next (a per-process memory cache would draw it once per
# worker and hold a copy in each); it needs no new service beside SQLite or PostgreSQL; and
# its table is created by a migration (core 0003), so nothing is forgotten at deploy. A read is
# one indexed row (well under a millisecond) against 50–200 ms to draw a chart
# (benchmarks/charts.py). CACHE_URL (e.g. redis://) swaps it for a shared in-memory cache.
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://sendwise_cache"),
}
CACHES["default"].setdefault("TIMEOUT", 30 * 24 * 3600)
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # Culled past this many entries (a chart's SVG is 10–40 kB).
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: five failures for one email from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Second factor (django-otp): a code from an authenticator app (TOTP, RFC 6238) or a one-time
# recovery code. Required of the roles in core.roles.SECOND_FACTOR_ROLES, offered to all staff.
# Only the test settings turn enforcement off (tests that check it turn it back on).
SECOND_FACTOR_ENFORCED = True
# The demo trust's made-up accounts (emails @DEMO_ACCOUNT_DOMAIN, a reserved .test domain no
# real person has) sign in with the password alone only while SENDWISE_DEMO_MODE is on, which
# `make run` sets and every page's banner then states. Off unless set.
SENDWISE_DEMO_MODE = env.bool("SENDWISE_DEMO_MODE", default=False)
DEMO_ACCOUNT_DOMAIN = "demo.sendwise.test"
OTP_TOTP_ISSUER = "SENDwise"
# django-otp's own back-off between wrong codes: 1, 2, 4, 8 ... seconds after each failure.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# And, like the password (django-axes above), five wrong codes in a row pause the second step
# for 15 minutes.
SECOND_FACTOR_FAILURE_LIMIT = 5
SECOND_FACTOR_COOLOFF_MINUTES = 15

# Staff invitations (core.account_services): how long a link works.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Password reset links (Django's token generator) work for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Email: printed to the console on the embedded default; production sends through SMTP from
# EMAIL_URL (sendwise.settings_production). Emails go through the task queue (core.mail_tasks).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SENDwise <no-reply@sendwise.test>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a school day
# Served over TLS (always, in production: sendwise.settings_production turns this on), cookies
# travel only over HTTPS and browsers are told to use nothing else (HSTS).
SERVED_OVER_TLS = env.bool("SERVED_OVER_TLS", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=SERVED_OVER_TLS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SERVED_OVER_TLS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A year, as the HSTS preload list asks (hstspreload.org); the subdomains of a school's or
    # authority's own domain are theirs to serve over HTTPS too.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a proxy that ends TLS (deploy/): trust its X-Forwarded-Proto, and only then.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): the pages load scripts, styles, fonts and images from
# this site only and run no inline script or style, so an injected <script> or style="" does
# nothing. Templates keep to that: scripts and styles are static files, charts are SVG whose
# styling is in presentation attributes (core.svg.inline_svg), htmx injects no styles (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "sendwise" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # A refused request (4xx) is one line (who, path, status); errors keep their traceback.
    "filters": {"refused_one_line": {"()": "sendwise.core.log_filters.RefusedRequestOneLine"}},
    "loggers": {"django.request": {"filters": ["refused_one_line"]}},
}

# How many pupils the register shows a page.
REGISTER_PAGE_SIZE = 25

# Background work (core.tasks; ADR 0005): imports now, report packs, nightly checks and emails
# next. Tasks wait in a queue in the database until a worker (`manage.py db_worker`, started by
# `make run`) takes them; any number of workers on any number of machines share it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Where task progress and the queue are read and written (a DATABASES alias; see above).
TASK_DATABASE = "tasks"
# A running task touches its progress row this often ...
TASK_HEARTBEAT_SECONDS = env.float("TASK_HEARTBEAT_SECONDS", default=3.0)
# ... and one silent for this long has lost its worker (killed, crashed, machine gone).
TASK_DEAD_AFTER_SECONDS = env.int("TASK_DEAD_AFTER_SECONDS", default=20)
# An import claimed ("applying") that no worker has started within this time, or one left from
# before heartbeats, is stalled and can be tried again (exchange.recovery).
IMPORT_STALLED_AFTER_SECONDS = env.int("IMPORT_STALLED_AFTER_SECONDS", default=600)
# Impact results are worked out again after each change's commit: "now" in the same request,
# or "task" on the queue (impact.signals; benchmarks/impact_upkeep.py measured both).
IMPACT_UPKEEP = env.str("IMPACT_UPKEEP", default="now")
