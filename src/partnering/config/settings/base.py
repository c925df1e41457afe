"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/partnering
BASE_DIR = PACKAGE_DIR.parents[1]  # repository root
VAR_DIR = Path(os.environ.get("PARTNERING_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    # The rooms, in the order data flows through them (docs/architecture.md); demo loaders,
    # home panels and partnership sections are found in this order.
    "partnering.core",
    "partnering.organisations",
    "partnering.partnerships",
    "partnering.sharing",
    "partnering.programme",
    "partnering.assurance",
    "partnering.procurement",
    "partnering.funding",
    "partnering.frontdoor",
    "partnering.library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "partnering.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "partnering.core.middleware.RequestSizeMiddleware",
    "partnering.core.middleware.NullByteMiddleware",
    "partnering.core.middleware.PageMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partnering.core.middleware.SessionTimeoutMiddleware",
    # Counts API requests per key and page writes per person or address (429 over the limit).
    "partnering.core.ratelimit.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "partnering.core.middleware.ApiWriteMiddleware",
    "partnering.core.middleware.IntegrityErrorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: counts failed sign-ins and answers a locked-out one with the lock-out page.
    "axes.middleware.AxesMiddleware",
    # Around the view: its reads go to the replica when one is set and the request may use it.
    "partnering.core.db_router.ReplicaReadMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "partnering.config.urls"
WSGI_APPLICATION = "partnering.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "partnering.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL read replica (docs/operations.md, "Read replicas"): with DATABASE_REPLICA_URL set,
# the read-only public pages and API reads go to it (core.db_router); writes, signed-in pages and
# anything after a write stay on the primary. Off by default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["partnering.core.db_router.ReplicaRouter"]
# After a write a client reads the primary for this long (longer than the replica's usual lag).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))
# The front door's council directory and front doors live in each process's memory; a process
# checks they are current (one query) at most this often, and at once after its own saves.
FRONTDOOR_REFERENCE_RECHECK_SECONDS = float(
    os.environ.get("FRONTDOOR_REFERENCE_RECHECK_SECONDS", "2")
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Reasons for a change ("Selby left: dropped out …") can be long; a text column, not varchar(100).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Dates in one GOV.UK format ("1 June 2002") wherever a template prints one unformatted.
FORMAT_MODULE_PATH = ["partnering.core.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers (HTTPS-only settings are switched on in prod.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "partnering.core.views.csrf_failure_view"

# Sessions: signed out after 30 minutes without activity and 12 hours after signing in
# (core.middleware.SessionTimeoutMiddleware); the cookie itself lasts no longer.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", str(30 * 60)))

# Sign-in lock-out (django-axes): 5 failures in an hour lock that username, and separately that
# address, for an hour. Each failure is kept (axes' access logs, shown in the admin).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "partnering.core.middleware.client_ip"
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_VERBOSE = False

# Rate limits (core.ratelimit): (requests, per seconds) in fixed windows. API requests per API
# key, per signed-in user, per address without either; page writes (public submissions) per
# address, signed-in page writes per user. Counted in the "default" cache: per process here,
# shared by every app server under the production settings (the database cache).
RATE_LIMITS = {
    "api_key": (int(os.environ.get("RATE_LIMIT_API_PER_MINUTE", "600")), 60),
    "api_user": (int(os.environ.get("RATE_LIMIT_API_PER_MINUTE", "600")), 60),
    "api_anonymous": (int(os.environ.get("RATE_LIMIT_API_ANONYMOUS_PER_MINUTE", "300")), 60),
    "public_write": (int(os.environ.get("RATE_LIMIT_PUBLIC_WRITES_PER_10_MINUTES", "30")), 600),
    "user_write": (int(os.environ.get("RATE_LIMIT_USER_WRITES_PER_MINUTE", "120")), 60),
}
RATE_LIMIT_CACHE = "default"

# Uploads: no request body above 12 MB (core.middleware.RequestSizeMiddleware answers 413 before
# reading it); at most 10 files in one form; each room checks its files by content (the front
# door's photos are decoded by Pillow, 5 MB at most, and re-encoded without metadata).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_MEGABYTES", "12")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# /admin/ is off unless switched on (on by default only in development).
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SERVICE_NAME = "Strategic Partnering Platform"
PHASE = "beta"
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "partnering@example.gov.uk")
# Mail (residents' request updates, reminders): SMTP in production, set by the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", CONTACT_EMAIL)
# Seconds each SMTP step may take: a send never outlasts an email's claim (core.services).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Run-time copy of the reference data (a clone works without ../shared).
REFERENCE_DATA_DIR = PACKAGE_DIR / "organisations" / "data"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
