"""Accord settings: one module, every value overridable by an environment variable.

Two modes:
* embedded default (no variables set): SQLite in ``var/``, Celery tasks run eagerly in-process,
  e-mail written to files in ``var/mail/``, media in ``var/media/``, DEBUG on, generated secret in ``var/``;
* real services: ``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (Redis), ``EMAIL_HOST`` (SMTP), ...

Production (``DJANGO_DEBUG=0``) refuses to start without ``DJANGO_SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return default if value is None else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(env("ACCORD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", True)


def _secret_key() -> str:
    key = env("DJANGO_SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "accord: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0 (production mode refuses a generated "
            "key). Set DJANGO_SECRET_KEY to a long random value, or unset DJANGO_DEBUG for the embedded mode."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address used in e-mails and PDFs: never the request's Host header.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "conference",
    "registration",
    "sessions_app",
    "onsite",
    "logistics",
    "cooperation",
    "privacy",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "conference.middleware.PreferredLanguageMiddleware",
    "conference.middleware.ConferenceTimeZoneMiddleware",
    "conference.middleware.StaffTwoFactorMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "conference.urls"
WSGI_APPLICATION = "conference.wsgi.application"

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
                "csp.context_processors.nonce",
                "conference.context_processors.site",
                "conference.roles.roles",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
    # Django's server_side_binding: psycopg sends the values apart from the statement, and (prepare_threshold,
    # psycopg's own default of 5, which Django turns off unless OPTIONS sets it) prepares a statement the 5th time
    # a connection runs it, so PostgreSQL stops parsing and planning the hot queries on every request. Off
    # (DB_SERVER_SIDE_BINDING=0) behind a pooler that cannot keep prepared statements (PgBouncer in transaction
    # mode before 1.21).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        server_side_binding = env_bool("DB_SERVER_SIDE_BINDING", True)
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = server_side_binding
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5 if server_side_binding else None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, cached PDFs, sessions of the desk) -------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CACHE_URL = env("CACHE_URL", CELERY_BROKER_URL if (CELERY_BROKER_URL or "").startswith("redis") else None)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "accord"),
            "TIMEOUT": 3600,
        }
    }
    # Sessions read from Redis (written through to PostgreSQL): no session query on each request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery ---------------------------------------------------------------------------------------
# JSON only: pickle content is never accepted (shared/ADVISORIES.md).
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Broker connection lost: running tasks go on (their message comes back and the idempotent task finds the work
# done) rather than being cancelled midway, which Celery 6 would do by default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200)
# Each new pool process lays out one sample badge before it says it is up (onsite's worker_process_init
# receiver: fonts, stylesheets and the subsetter loaded, ~1 s on 2 shared cores), so the first batch chunk it
# takes is not slower than the others; it may take a slow machine beyond Celery's 4 s default.
ACCORD_PDF_WARMUP = env_bool("ACCORD_PDF_WARMUP", True)
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env_int("CELERY_WORKER_PROC_ALIVE_TIMEOUT", 30)
# Redis: a message a dead worker had taken becomes visible again after the visibility timeout; kombu looks for
# such messages every interval x throttle seconds (100 s by default).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
if CELERY_BROKER_URL:
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = False
    CELERY_RESULT_BACKEND = None

# The daily purge of personal data that is past its retention (privacy app); beat runs it in UTC.
CELERY_BEAT_SCHEDULE = {
    "privacy-purge-due": {
        "task": "privacy.purge_due",
        "schedule": 24 * 60 * 60,
    },
    # Bilateral requests left unanswered past ACCORD_BILATERAL_REQUEST_TTL_HOURS expire and free their slots.
    "cooperation-expire-requests": {"task": "cooperation.expire_requests", "schedule": 10 * 60},
    # Follow-ups of bilateral meetings: the owners are asked for news 3 and 6 months after (each sent once).
    "cooperation-follow-up-reminders": {"task": "cooperation.queue_follow_up_reminders", "schedule": 6 * 3600},
    # Each hotel that asked for it gets its rooming list once a day when something changed since the last one.
    "logistics-send-due-rooming-lists": {"task": "logistics.send_due_rooming_lists", "schedule": 24 * 60 * 60},
}

# How many days after a conference's last day each kind of personal data lives: the conference's retention
# policy chooses between the deployment's floor and ceiling (PRIVACY_<KIND>_FLOOR / _DEFAULT / _CEILING).
_RETENTION_DEFAULTS = {
    "sensitive": (0, 30, 90),
    "photos": (0, 90, 365),
    "travel_hotel": (0, 60, 365),
    "contacts_directory": (0, 365, 730),
    "rest": (30, 730, 1825),
}
PRIVACY_RETENTION = {
    kind: {
        "floor": env_int(f"PRIVACY_{kind.upper()}_FLOOR", floor),
        "default": env_int(f"PRIVACY_{kind.upper()}_DEFAULT", default),
        "ceiling": env_int(f"PRIVACY_{kind.upper()}_CEILING", ceiling),
    }
    for kind, (floor, default, ceiling) in _RETENTION_DEFAULTS.items()
}
# Whether a conference's policy may pause the daily purge (the demo's does; a legal hold would).
PRIVACY_ALLOW_PAUSE = env_bool("PRIVACY_ALLOW_PAUSE", DEBUG)

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Accord <no-reply@accord.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth) --------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "registration:my_home"  # each role's home: what the person can do
ACCOUNT_USER_DISPLAY = "conference.roles.user_display"  # greet with the registered name, not a username
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Login rate limits count by client address: REMOTE_ADDR, never a client-sent X-Forwarded-For, unless this many
# proxies of ours append to that header (then the address the outermost of them saw counts, so rotating what a
# client sends does not change it).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Accord] "
ACCOUNT_ADAPTER = "conference.accounts.AccountAdapter"  # account e-mails: links on SITE_URL, sent by the worker
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Accord"
# Organizers and on-site staff must use TOTP outside DEBUG (enforced by conference.middleware).
ACCORD_REQUIRE_STAFF_MFA = env_bool("ACCORD_REQUIRE_STAFF_MFA", not DEBUG)

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "accord_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", not DEBUG) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# django-csp 4: the nonce is the ``csp.constants.NONCE`` sentinel, replaced by "'nonce-<value>'" when a template
# reads ``request.csp_nonce`` and dropped otherwise; a literal "'nonce'" is an invalid source the browser reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- API (Django REST framework, drf-spectacular; the api app) ------------------------------------
# Only our bearer tokens authenticate (each view names its class: devices' or integrations'); no session or basic
# authentication, so no CSRF question and no browser cookie reaches the API. A view that names no permission
# refuses everything. JSON only, in and out.
ACCORD_API_PAGE_SIZE = env_int("ACCORD_API_PAGE_SIZE", 50)
ACCORD_API_MAX_PAGE_SIZE = env_int("ACCORD_API_MAX_PAGE_SIZE", 200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.DenyAll"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CappedPagination",
    "PAGE_SIZE": ACCORD_API_PAGE_SIZE,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per token (api/throttling.py), in the cache (Redis): a device scans at the pace of a queue, and a device back
    # from a network drop sends its offline scans at once; enrollment is counted per address.
    "DEFAULT_THROTTLE_RATES": {
        "device": env("ACCORD_API_DEVICE_RATE", "600/min"),
        "integration": env("ACCORD_API_INTEGRATION_RATE", "120/min"),
        "enroll": env("ACCORD_API_ENROLL_RATE", "10/min"),
    },
    # Addresses for the enrollment's limit: REMOTE_ADDR unless this many proxies of ours add X-Forwarded-For.
    "NUM_PROXIES": env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0) or None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# A device's one-time enrollment code (its QR code on the admin page) works this many minutes.
ACCORD_DEVICE_ENROLLMENT_MINUTES = env_int("ACCORD_DEVICE_ENROLLMENT_MINUTES", 15)
SPECTACULAR_SETTINGS = {
    "TITLE": "Accord API",
    "DESCRIPTION": "Check-in devices (enrollment, scans, the offline list) and the read-only integration API.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs describe the API to anyone; every data route needs its token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI's files from our static files (drf-spectacular-sidecar), its start script a file of its own
    # (SpectacularSwaggerSplitView): the CSP keeps script-src 'self' with no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Accord ---------------------------------------------------------------------------------------
ACCORD_INVITATION_TTL_DAYS = env_int("ACCORD_INVITATION_TTL_DAYS", 30)
# Retries of a failed invitation e-mail: exponential backoff from this many seconds (with jitter), capped.
ACCORD_INVITATION_RETRY_BACKOFF = env_int("ACCORD_INVITATION_RETRY_BACKOFF", 30)
ACCORD_INVITATION_RETRY_BACKOFF_MAX = env_int("ACCORD_INVITATION_RETRY_BACKOFF_MAX", 1800)
# A badge batch whose worker gave no sign of life for this long is considered dead and may be claimed again.
ACCORD_BADGE_BATCH_LEASE_SECONDS = env_int("ACCORD_BADGE_BATCH_LEASE_SECONDS", 300)
# A batch's missing badges render in chunks of this many, one Celery task each (any worker takes them).
ACCORD_BADGE_CHUNK_SIZE = env_int("ACCORD_BADGE_CHUNK_SIZE", 50)
# A batch of more pages than this is merged in a child process (qpdf holds ~0.13 MB a page until it writes; the
# child gives it back when it ends, a worker would keep it).
ACCORD_BADGE_MERGE_IN_PROCESS = env_int("ACCORD_BADGE_MERGE_IN_PROCESS", 500)
ACCORD_PHOTO_MAX_BYTES = env_int("ACCORD_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
ACCORD_PHOTO_MAX_PIXELS = env_int("ACCORD_PHOTO_MAX_PIXELS", 40_000_000)
ACCORD_DEFAULT_CONFERENCE = env("ACCORD_DEFAULT_CONFERENCE", "sharm2023")
# Cooperation: how long a bilateral request (or counter-proposal) waits for its answer before it expires.
ACCORD_BILATERAL_REQUEST_TTL_HOURS = env_int("ACCORD_BILATERAL_REQUEST_TTL_HOURS", 48)
# Cooperation: contact exchange (badge scans) closes this many days after the conference's last day.
ACCORD_CONTACT_EXCHANGE_DAYS = env_int("ACCORD_CONTACT_EXCHANGE_DAYS", 14)
