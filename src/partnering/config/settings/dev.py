"""Local development: DEBUG on, a fixed throwaway key, plain HTTP."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
VAR_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", True)
# No mail server on a development machine: mail is written to var/sent-mail/ instead (the demo
# and `make run` send reminders and request updates), unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "sent-mail"
# With DEBUG off (as `make run` serves the demo) WhiteNoise serves the apps' static files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
