"""Tests: fast hashing, tasks run immediately, plain static storage."""

import copy
import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
ALLOWED_HOSTS = ["*"]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ADMIN_ENABLED = True
# Each test rolls its rows back and may write with queryset.update (no signal): the front door
# checks its council directory on every call (the interval has its own tests).
FRONTDOOR_REFERENCE_RECHECK_SECONDS = 0.0
# Rate limits far above what any test sends (the tests of the limits set their own).
RATE_LIMITS = dict.fromkeys(
    ("api_key", "api_user", "api_anonymous", "public_write", "user_write"), (1_000_000, 60)
)
# A second alias on the same test database, so the read-replica tests can see which alias each
# query used (tests/reliability/test_read_replica.py). No router unless a test sets one: every
# other test runs the default setup, one database.
DATABASES["replica"] = {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS: list[str] = []
