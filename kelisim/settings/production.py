"""Production: every secret from the environment, HTTPS only, hardened cookies and headers."""

from .base import *  # noqa: F403
from .base import STORAGES, env

SECRET_KEY = env.str("SECRET_KEY")  # required: no default on purpose
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
KELISIM_REQUIRE_2FA = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Behind nginx every request comes from 127.0.0.1; nginx overwrites X-Real-IP and X-Forwarded-For
# with the client's address (deploy/nginx-kelisim.conf). Those headers are believed only from these
# addresses, so the login throttle counts per client instead of locking out everyone at once, and a
# client that reaches gunicorn some other way can't choose its own address. Name the proxy's address
# when nginx runs on another machine (docs/deployment.md, "Several application servers").
KELISIM_TRUSTED_PROXIES = env.list("KELISIM_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
# SMS through the gateway in production: the console adapter would print applicants' numbers and
# answers to the journal and count the notice as sent.
KELISIM_SMS_BACKEND = env.str("KELISIM_SMS_BACKEND", default="http")
# Background jobs wait in the database for `kelisim db_worker` (deploy/kelisim-worker.service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
