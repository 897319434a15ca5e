"""The test suite: real PostgreSQL (DATABASE_URL), fast password hashing."""

from .base import *  # noqa: F403
from .environment import env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "test-only-insecure-key")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REGISTRY_DEMO_LOGINS = True

# The test runner empties tables between browser tests (TRUNCATE); the registry's
# keep-forever tables refuse that except on connections that opt in, as these do.
DATABASES["default"].setdefault("OPTIONS", {})["options"] += " -c registry.allow_truncate=on"  # noqa: F405
