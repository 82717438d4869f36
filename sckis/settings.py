"""Settings of SC KIS, read from environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


# A first run with no environment at all is a local one (SQLite, debug);
# production sets DJANGO_DEBUG=false and the settings checked below.
DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASE_URL = os.environ.get("DATABASE_URL", "")

if not DEBUG:
    # A production start without these would run insecurely or on the wrong
    # database: stop with a message instead.
    missing = [
        name
        for name, value in (
            ("SECRET_KEY", SECRET_KEY),
            ("ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("DATABASE_URL", DATABASE_URL),
            # Printed in every certificate's QR code, which never changes.
            ("SITE_URL", os.environ.get("SITE_URL", "")),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG off, set these environment variables: "
            + ", ".join(missing)
            + " (see .env.example), or set DJANGO_DEBUG=true for a local run."
        )
else:
    SECRET_KEY = SECRET_KEY or "insecure-local-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "certification",
    "registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sckis.urls"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "sckis.wsgi.application"

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # Writers queue instead of failing on a double click.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "certification.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "certification:home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail goes through Django's mailers: the console by default, SMTP when
# EMAIL_BACKEND names it.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
_mailer_options = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mailer_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sckis@localhost")

# Security headers; the policy allows only our own static files, no CDN.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
X_FRAME_OPTIONS = "DENY"

# Deadlines of the administrative procedure code (KPA), in days or months.
SCKIS_DEADLINES = {
    "correction_days": int(os.environ.get("SCKIS_CORRECTION_DAYS", "7")),
    "appeal_days": int(os.environ.get("SCKIS_APPEAL_DAYS", "14")),
    "appeal_forward_days": int(os.environ.get("SCKIS_APPEAL_FORWARD_DAYS", "7")),
    "decision_months": int(os.environ.get("SCKIS_DECISION_MONTHS", "1")),
    # Days before a certificate ends when its holder is reminded to renew it.
    "renewal_reminder_days": tuple(
        int(days)
        for days in os.environ.get("SCKIS_RENEWAL_REMINDER_DAYS", "90,30").split(",")
        if days.strip()
    ),
}
SCKIS_CERTIFICATE_YEARS = 3

# The largest file an applicant may attach to an application, in megabytes.
SCKIS_ATTACHMENT_MAX_BYTES = (
    int(os.environ.get("SCKIS_ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
)

# The public address of the site: the QR code printed on a certificate opens
# <SITE_URL>/certyfikat/<number>/, and an issued PDF never changes afterwards.
SCKIS_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Issued certificates are signed (PAdES) with the key of their certifying unit:
# <SIGNING_KEYS_DIR>/<TERYT of the unit's voivodeship>.p12, a PKCS#12 file
# opened with SIGNING_KEY_PASSPHRASE. A unit without a file issues unsigned
# certificates. The folder should be readable by the application's user only.
SCKIS_SIGNING_KEYS_DIR = Path(
    os.environ.get("SIGNING_KEYS_DIR", BASE_DIR / "signing-keys")
)
SCKIS_SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "certification": {"handlers": ["console"], "level": "INFO"},
        "registry": {"handlers": ["console"], "level": "INFO"},
    },
}
