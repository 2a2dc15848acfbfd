"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# ./var beside the checkout for local runs; a deployment points KELISIM_VAR_DIR elsewhere.
VAR_DIR = Path(environ.Env().str("KELISIM_VAR_DIR", default=str(Path.cwd() / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)

DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
# The name that makes identifiers global (iCalendar UIDs): configured, never taken from a request,
# so a calendar subscribed through two host names holds each event once.
KELISIM_SITE_DOMAIN = env.str("KELISIM_SITE_DOMAIN", default="kelisim.local")
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kelisim.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
# With persistent connections (conn_max_age in DATABASE_URL), a connection the server dropped is
# replaced at the start of the next request instead of failing it.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work side by side; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "kelisim.core",
    "kelisim.text",
    "kelisim.territories",
    "kelisim.accounts",
    "kelisim.registry",
    "kelisim.programs",
    "kelisim.events",
    "kelisim.appeals",
    "kelisim.notices",
    "kelisim.surveys",
    "kelisim.reports",
    "kelisim.imports",
    "kelisim.search",
    "kelisim.public",
    "kelisim.api",
    "kelisim.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after WhiteNoise: everything but a static asset, whoever made it, is `no-store`.
    "kelisim.core.middleware.NoStoreMiddleware",
    # Any error under /open311/, whoever made it, in GeoReport v2's format (.xml or JSON).
    "kelisim.core.errors.Open311ErrorsMiddleware",
    # Before the session is read: a cookie, address or field holding NUL never reaches the database.
    "kelisim.core.middleware.EdgeInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kelisim.accounts.middleware.TwoFactorRequiredMiddleware",
    "kelisim.accounts.middleware.PasswordChangeRequiredMiddleware",
    "kelisim.accounts.middleware.UserTimeZoneMiddleware",
    "kelisim.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Under DEBUG too, a 404 is our page, not Django's technical one (kelisim/core/errors.py).
    "kelisim.core.errors.DebugErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into a page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ODK Collect's collection credentials, asked for by the OpenRosa endpoints only.
    "kelisim.accounts.backends.CollectionCredentialBackend",
]

# Login throttling: five wrong passwords (or collection credentials) for one user name from one
# client address lock that name at that address for an hour, or until an administrator unlocks it
# (Administration → Axes → access attempts, or `kelisim axes_reset_username NAME`). Keyed by name
# and address together: a stranger's guesses don't lock the owner out from their own office, and
# people who share a browser or an office don't lock each other out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_LOCKOUT_CALLABLE = "kelisim.accounts.throttle.lockout_response"
AXES_VERBOSE = False
# The client's address: X-Real-IP (or X-Forwarded-For) only from these reverse proxies' addresses
# or networks, REMOTE_ADDR otherwise (kelisim/accounts/throttle.py). None for a local run.
AXES_CLIENT_IP_CALLABLE = "kelisim.accounts.throttle.client_ip"
KELISIM_TRUSTED_PROXIES = env.list("KELISIM_TRUSTED_PROXIES", default=[])

# Two factors for administrators and for anyone who may see restricted records.
KELISIM_REQUIRE_2FA = env.bool("KELISIM_REQUIRE_2FA", default=True)
# The public pages' throttles (kelisim/public): wrong status codes per address and per appeal
# number, and pre-registrations per address, within a window of minutes.
KELISIM_PUBLIC_STATUS_TRIES = env.int("KELISIM_PUBLIC_STATUS_TRIES", default=5)
KELISIM_PUBLIC_STATUS_MINUTES = env.int("KELISIM_PUBLIC_STATUS_MINUTES", default=15)
KELISIM_PUBLIC_PREREG_TRIES = env.int("KELISIM_PUBLIC_PREREG_TRIES", default=5)
KELISIM_PUBLIC_PREREG_MINUTES = env.int("KELISIM_PUBLIC_PREREG_MINUTES", default=60)
OTP_TOTP_ISSUER = "Kelisim"

# Sessions end after 30 minutes without a request, and with the browser.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# Days a collection credential (ODK Collect on one phone) lives: a field season and a little more.
COLLECTION_CREDENTIAL_DAYS = env.int("COLLECTION_CREDENTIAL_DAYS", default=180)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# No inline scripts anywhere; everything is served by the application itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "kelisim.core.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "kelisim.urls"
WSGI_APPLICATION = "kelisim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kelisim.core.context_processors.navigation",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Kazakh first; Russian and English follow. Accept-Language is ignored on purpose (see middleware).
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "kelisim_language"
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_django"]
FORMAT_MODULE_PATH = ["kelisim.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Uploads hold personal data (photos, documents, appeal files): readable by Kelisim's user only,
# whatever the process umask (Django's default would be 0644 and 0755).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous call is told how to authenticate (401, not 403).
        "kelisim.api.auth.ExpiringTokenAuthentication",
        "kelisim.api.auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kelisim.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "kelisim.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "kelisim.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # `?format=` filters events by format (the events issue's API); DRF would read it as a renderer.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kelisim API",
    "DESCRIPTION": "Visits, events, receptions, appeals and surveys of the Peace and Accord project.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Background work (imports): here each task runs at once, in the request that asks for it, so a
# local run needs no worker; production queues them in the database for `kelisim db_worker`.
TASKS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}

# E-mail: an SMTP server for notices to applicants and the staff's digests, as a URL
# (smtp://user:password@host:587/?tls=True, smtp+ssl://…:465, consolemail://, filemail:///path).
# Without one, a mail server on this machine (port 25); local runs write mail to the console
# (docs/deployment.md, "Notices to applicants").
_email = env.email_url("KELISIM_EMAIL_URL", default="smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
if "EMAIL_FILE_PATH" in _email:
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
EMAIL_TIMEOUT = env.int("KELISIM_EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("KELISIM_EMAIL_FROM", default="kelisim@localhost")

# SMS notices to applicants (kelisim.notices.sms): "console" prints them; "http" posts them to a
# gateway as JSON {"to", "text"} with a bearer token or basic auth.
KELISIM_SMS_BACKEND = env.str("KELISIM_SMS_BACKEND", default="console")
KELISIM_SMS_URL = env.str("KELISIM_SMS_URL", default="")
KELISIM_SMS_TOKEN = env.str("KELISIM_SMS_TOKEN", default="")
KELISIM_SMS_USER = env.str("KELISIM_SMS_USER", default="")
KELISIM_SMS_PASSWORD = env.str("KELISIM_SMS_PASSWORD", default="")
KELISIM_SMS_TIMEOUT = env.float("KELISIM_SMS_TIMEOUT", default=10.0)
# The address applicants follow their appeal at, put into notices as {status_url}.
KELISIM_PUBLIC_URL = env.str("KELISIM_PUBLIC_URL", default="http://127.0.0.1:8000")
