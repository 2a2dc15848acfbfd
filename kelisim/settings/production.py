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
# Behind nginx every request comes from 127.0.0.1; nginx overwrites X-Real-IP with the client's address
# (deploy/nginx-kelisim.conf), so the lockout counts per client rather than locking out everyone at once.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")
# Background jobs wait in the database for `kelisim db_worker` (deploy/kelisim-worker.service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
