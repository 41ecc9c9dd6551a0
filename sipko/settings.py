"""SIPKO settings, driven by environment variables.

Every value comes from the environment (see docs/architecture.md#configuration). Development
defaults let `make run` work with no configuration; with DEBUG off, insecure defaults are refused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "sipko-development-key-not-for-production"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")


def env_bool(name: str, *, default: bool) -> bool:
    """A yes/no setting; anything but a clear yes or no stops start-up (no silent fallback)."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# Key for protected personal fields (NIK). Separate from SECRET_KEY so that rotating the session
# key never makes stored NIKs unreadable.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default=SECRET_KEY)

if not DEBUG:
    problems = []
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        problems.append("SECRET_KEY must be set to a random value of at least 40 characters")
    if FIELD_ENCRYPTION_KEY == DEV_SECRET_KEY or not env.str("FIELD_ENCRYPTION_KEY", default=""):
        problems.append("FIELD_ENCRYPTION_KEY must be set explicitly")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names SIPKO is served on")
    if problems:
        raise ImproperlyConfigured("Refusing to start with DEBUG off: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sipko.lib",
    "sipko.accounts",
    "sipko.regions",
    "sipko.registry",
    "sipko.workflow",
    "sipko.planning",
    "sipko.reporting",
    "sipko.assessment",
    "sipko.inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything can put a NUL from the URL or a form into a database query.
    "sipko.lib.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sipko.lib.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A temporary password to change, a second factor to set up or to give (after OTPMiddleware).
    "sipko.accounts.middleware.AccountDutiesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sipko.urls"
WSGI_APPLICATION = "sipko.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sipko" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sipko.lib.context_processors.sipko",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username from one address after repeated wrong passwords (guessing officers' accounts).
AXES_FAILURE_LIMIT = env.int("SIPKO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SIPKO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new and changed passwords; older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_RESET_TIMEOUT = env.int("SIPKO_PASSWORD_RESET_SECONDS", default=24 * 3600)

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://sipko")
    if "CACHE_URL" in env
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sipko"}
}

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sipko" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["sipko.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "sipko" / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Uploaded files live outside any served directory; only access-checked views stream them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/no-public-media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# E-mail (reminders). The console backend prints messages until a mail server is configured.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SIPKO <sipko@localhost>")

# Address of this SIPKO as its users reach it, for links in e-mails and on printed slips.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Accounts (docs/accounts.md) ---------------------------------------------------------------
# Days an activation code handed out at onboarding stays usable.
SIPKO_ACTIVATION_DAYS = env.int("SIPKO_ACTIVATION_DAYS", default=30)
# Roles that must sign in with a second factor (TOTP); others may turn it on.
SIPKO_TWO_FACTOR_REQUIRED = env_bool("SIPKO_TWO_FACTOR_REQUIRED", default=True)
SIPKO_TWO_FACTOR_ROLES = env.list(
    "SIPKO_TWO_FACTOR_ROLES", default=["national_admin", "region_admin"]
)
# The fictional demo accounts sign in with a password alone while DEBUG is on (`make run`), so
# the demo stays a one-command try-out; with DEBUG off they need a second factor like any other.
SIPKO_DEMO_WITHOUT_TWO_FACTOR = env_bool("SIPKO_DEMO_WITHOUT_TWO_FACTOR", default=DEBUG)
OTP_TOTP_ISSUER = "SIPKO"

# --- SIPKO domain settings (docs/architecture.md#configuration) -------------------------------
# An SKT is valid for five years (Permendagri 57/2017); kept configurable.
SIPKO_SKT_VALIDITY_YEARS = env.int("SIPKO_SKT_VALIDITY_YEARS", default=5)
# "akan habis" window and reminder days before expiry.
SIPKO_EXPIRY_WARNING_DAYS = env.int("SIPKO_EXPIRY_WARNING_DAYS", default=90)
SIPKO_UPLOAD_MAX_BYTES = env.int("SIPKO_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
SIPKO_IMPORT_MAX_BYTES = env.int("SIPKO_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# Limits on hostile or runaway input (docs/import.md#limits-and-performance). A kab/kota has a
# few thousand ormas; a province-wide file needs SIPKO_IMPORT_MAX_ROWS raised, and with it
# SIPKO_IMPORT_MAX_UNZIPPED_BYTES (an XLSX sheet unpacks to about 1 MB per 1,000 rows).
SIPKO_IMPORT_MAX_ROWS = env.int("SIPKO_IMPORT_MAX_ROWS", default=20_000)
SIPKO_IMPORT_MAX_UNZIPPED_BYTES = env.int(
    "SIPKO_IMPORT_MAX_UNZIPPED_BYTES", default=32 * 1024 * 1024
)
# Width × height of an uploaded picture, read from its header before anything decodes it
# (a 20 KB PNG can declare 13,000 × 13,000 pixels). 40 million fits any phone photo.
SIPKO_MAX_IMAGE_PIXELS = env.int("SIPKO_MAX_IMAGE_PIXELS", default=40_000_000)
SIPKO_PAGE_SIZE = env.int("SIPKO_PAGE_SIZE", default=25)
# Days an ormas has to object to a published result when the period sets no appeal date.
SIPKO_APPEAL_DAYS = env.int("SIPKO_APPEAL_DAYS", default=14)
