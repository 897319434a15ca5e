"""Settings shared by every environment. Values come from the environment (see .env.example);
dev.py and test.py supply safe local defaults, production.py supplies none for secrets."""

from pathlib import Path

import dj_database_url

from .environment import DEFAULT_DATABASE_URL, env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "home",
    "staff",
    "snippets",
    "wagtail.sites",
    "staff.apps.StaffUsersAppConfig",  # wagtail.users, with the Staff forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "registry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "registry.wsgi.application"

# Secrets and hosts: production.py requires them; dev.py and test.py set local values.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or None
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
DEBUG = env_bool("DJANGO_DEBUG", False)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff log in with their email address; roles are the Wagtail groups they belong to.
AUTH_USER_MODEL = "staff.Staff"
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-ca"
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Case registry")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Registry records are searched in their own tables (pg_trgm indexes), not a search index,
# so bulk loads (seed_demo, the daily import) are searchable the moment they commit.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Wagtail's background tasks log every run at INFO; only their failures matter here.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

AUTHENTICATION_BACKENDS = ["staff.backends.RoleBackend"]

# --- Approvals and audit (docs/approvals-and-audit.md) ---------------------------------
INSTALLED_APPS += ["audit", "approvals"]
# After AuthenticationMiddleware: each signed-in request is one transaction that names its
# staff member as the actor the audit triggers record.
MIDDLEWARE += ["audit.middleware.ActorMiddleware", "approvals.middleware.ApprovalRefusedMiddleware"]
# Approving merges only the submitted fields into the live record (approvals/workflow.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "approvals.workflow.finish_workflow"

# Daily import (ingest/): manage.py ingest_daily, its run records and benchmarks.
INSTALLED_APPS += ["ingest"]

# Reports (issue 5): report pages, and the Tailwind theme they are styled with. The CSS is
# built by npm in theme/static_src (make css, the Docker build); nothing needs Node at runtime.
INSTALLED_APPS += [
    "reports",
    "wagtail.contrib.routable_page",
    "tailwind",
    "theme",
]
TAILWIND_APP_NAME = "theme"
