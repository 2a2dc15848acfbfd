"""Local runs (`make run`): SQLite under ./var, a secret key generated once into ./var."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env

VAR_DIR.mkdir(parents=True, exist_ok=True)
_key_file = VAR_DIR / "secret_key"
if not _key_file.exists():
    _key_file.write_text(secrets.token_urlsafe(50))
    _key_file.chmod(0o600)
SECRET_KEY = env.str("SECRET_KEY", default=_key_file.read_text().strip())
DEBUG = env.bool("DEBUG", default=True)
if not env.str("KELISIM_EMAIL_URL", default=""):
    # Mail (notices, digests) on the console unless a server (e.g. a local catcher) is named.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo can be tried without an authenticator app; production requires two factors.
KELISIM_REQUIRE_2FA = env.bool("KELISIM_REQUIRE_2FA", default=False)
