"""The test suite: the same apps, a fast hasher, a throwaway media folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "tests-only-not-secret"  # nosec B105  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kelisim-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="kelisim-static-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite signs people in with force_login; the tests of throttling and of two factors turn
# these back on for themselves.
AXES_ENABLED = False
KELISIM_REQUIRE_2FA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["TEST"] = {"NAME": None}
