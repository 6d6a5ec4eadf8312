"""The one settings module. Every deployment-specific value comes from an environment variable
(see README, "Configuration"); the defaults give a local development server on SQLite."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from outsourcing_advisor.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # Only for development and tests: a per-checkout key that is never used in production.
    SECRET_KEY = "dev-insecure-" + str(BASE_DIR)
# The key organisation exports are signed with (HMAC-SHA256; manage.py export_organisation) and a
# restore checks: an edited file is refused. Empty: SECRET_KEY (and SECRET_KEY_FALLBACKS). A file
# restores on another server only if both have the same key: set the same value on both rather
# than sharing SECRET_KEY (README, "Export and restore an organisation").
EXPORT_SIGNING_KEY = env_str("EXPORT_SIGNING_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "outsourcing_advisor.accounts",
    "outsourcing_advisor.history",
    "assessments",
    "vendors",
    "outsourcing_advisor.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "outsourcing_advisor.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "outsourcing_advisor.urls"
WSGI_APPLICATION = "outsourcing_advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "vendors.web.context_processors.registry",
            ],
        },
    }
]

# SQLite by default; DATABASE_URL (postgres://user@host:5432/name) for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Connections are kept (and checked before reuse) rather than opened for every request:
        # a PostgreSQL connection costs the server a new process. The load test of `make bench`
        # measured it: median 198 ms → 172 ms, 95th percentile 472 → 372 ms.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The background worker writes while the web server reads and writes: wait for a lock
    # rather than fail at once, and let readers go on during a write (WAL). A transaction takes
    # the write lock when it begins (IMMEDIATE), so what it reads stays current until it commits:
    # two saves of one record at the same instant are serialised
    # (outsourcing_advisor/common/stamps.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout check comes first; it signs nobody in itself (see accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "outsourcing_advisor.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Japanese first; English complete. The user's own choice is kept on their profile.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and htmx come from the npm registry at setup (`make install`), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The Japanese font of the PDF report and its charts: a TrueType file (a CFF/OTC CJK font makes the
# report take seconds longer). Empty: the IPAex Gothic that matplotlib-fontja installs. The report's
# URL fetcher serves this one file and our static folder, nothing else.
REPORT_FONT_FILE = env_str("REPORT_FONT_FILE", "")

# Background work (imports of large files, big reports): Django's task framework (the django-tasks
# backport) with its database backend, so no other service is needed and any number of
# `manage.py db_worker` processes, on any machine that reaches the database, share the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Files with more rows than this are imported in the background; smaller ones at once.
BACKGROUND_IMPORT_ROWS = env_int("BACKGROUND_IMPORT_ROWS", 1000, minimum=0)
# Reports of assessments with more tasks than this are made in the background.
BACKGROUND_REPORT_TASKS = env_int("BACKGROUND_REPORT_TASKS", 150, minimum=0)
# Background jobs one person may have waiting or running at once in one organisation.
JOBS_PER_PERSON = env_int("JOBS_PER_PERSON", 3, minimum=1)
# A job running longer than this is marked failed (retryable); its worker is not interrupted.
JOB_SECONDS = env_int("JOB_SECONDS", 600, minimum=60)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: the size cap is checked before anything is parsed.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# An .xlsx is a zip: refuse one whose contents would decompress beyond this.
MAX_UNCOMPRESSED_BYTES = env_int("MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024, minimum=1024)
MAX_IMPORT_ROWS = env_int("MAX_IMPORT_ROWS", 20_000, minimum=1)
# A sheet whose values span more cells than this (first to last row x column) is refused.
MAX_SHEET_CELLS = env_int("MAX_SHEET_CELLS", 3_000_000, minimum=10_000)
# Workbooks are read in a forked child allowed this much memory beyond the worker's own.
READER_MEMORY_BYTES = env_int("READER_MEMORY_BYTES", 768 * 1024 * 1024, minimum=16 * 1024 * 1024)
# CPU seconds that child may spend (it is killed after twice as long in wall-clock time).
READER_SECONDS = env_int("READER_SECONDS", 30, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Sessions: SESSION_COOKIE_AGE seconds without a request sign the user out (each request saves
# the session and so pushes the expiry back: an idle timeout, not a fixed lifetime).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True

# HTTPS (README, "Running in production"). Set SECURE_COOKIES=true when served over HTTPS.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The container's health check calls http://127.0.0.1:8000/healthz/ directly, without the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only behind a reverse proxy that sets X-Forwarded-Proto (and X-Forwarded-For) itself, replacing
# whatever the client sent: otherwise a client could claim HTTPS, or any address.
TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS", False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): no inline script, no script from elsewhere; htmx and
# Bootstrap are our own static files. Styles keep 'unsafe-inline': the matplotlib charts are
# inline SVG with style attributes and a <style> element, and bars and markers are sized with
# style="width: …". Bootstrap's icons are data: URIs in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in brute-force protection (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one address lock that pair out for LOGIN_LOCKOUT_MINUTES (0: until an
# administrator runs `manage.py axes_reset`). Other usernames from the address, and the same
# username from elsewhere, can still sign in. A successful sign-in clears the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
_lockout_minutes = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=0)
AXES_COOLOFF_TIME = timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures from one address over every username before the address is locked out too.
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20, minimum=1)
AXES_HANDLER = "outsourcing_advisor.accounts.lockout.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "outsourcing_advisor.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "outsourcing_advisor.accounts.lockout.client_ip"

# Mail (SPEC 4.6: a vendor's link can be mailed from the vendor page). Off by default: without
# EMAIL_HOST no mail is sent nor offered, and links are copied. Django's SMTP backend, with TLS
# (STARTTLS) or SSL as the server wants; the sender is DEFAULT_FROM_EMAIL.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    if "EMAIL_USE_TLS" in os.environ:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
    EMAIL_USE_TLS = False  # SSL asked for: STARTTLS only by default, so SSL wins
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No vendor-link or invitation token in a log line (outsourcing_advisor/common/redaction.py).
    "filters": {"redact_tokens": {"()": "outsourcing_advisor.common.redaction.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
