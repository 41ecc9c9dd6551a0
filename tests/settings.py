"""Test settings: the real settings with fast hashing, local cache and synchronous tasks."""

from sipko.settings import *  # noqa: F403
from sipko.settings import BASE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests sign staff in with `force_login`; the two-factor tests turn the requirement on.
SIPKO_TWO_FACTOR_REQUIRED = False
SITE_URL = "https://sipko.example.test"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}
