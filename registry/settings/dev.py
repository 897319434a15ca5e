"""Local development: debug on, a throwaway key, localhost only."""

from .base import *  # noqa: F403
from .environment import env_list, env_str

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# seed_demo creates one documented login per role only when this is on.
REGISTRY_DEMO_LOGINS = True
