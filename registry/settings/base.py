"""Settings shared by every environment. Values come from the environment (see .env.example);
dev.py and test.py supply safe local defaults, production.py supplies none for secrets."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "django.contrib.humanize",
    "pgtrigger",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie, else the browser's; then the person's own choice (below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's language preference (Account › Preferences) wins everywhere,
    # so the report pages speak the language the admin does.
    "registry.middleware.PersonLanguageMiddleware",
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


def database_from_url(url: str) -> dict:
    """The default database's settings for ``url`` (production.py parses its own, required).

    Without JIT: PostgreSQL compiles a plan whose estimated cost passes a threshold, and
    the admin's lists of a program-scoped reader are costed high (an index probe per row
    they might read) but run in milliseconds: a Leader's Restrictions list spent 2.5 s of
    its 4 compiling its count. The reports and the import turned it off already."""
    database = dj_database_url.parse(
        url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


DATABASES = {"default": database_from_url(env_str("DATABASE_URL", DEFAULT_DATABASE_URL))}
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

TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True
# Ontario's two official languages (docs/translation.md). French is "fr-ca": Django's
# Canadian French formats (2026-12-03, "3 décembre 2026"); Django's, Wagtail's and our
# catalogues are all found under locale/fr/ (gettext falls back from fr_CA to fr).
LANGUAGES = [("en-ca", "English"), ("fr-ca", "Français")]
# The agency's own language: what management commands write (cron mail, the shell) and
# what a screen speaks to someone with no preference and no browser language.
LANGUAGE_CODE = env_str("REGISTRY_LANGUAGE_CODE", "en-ca")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"REGISTRY_LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, "
        f"not {LANGUAGE_CODE!r}."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own number formats per language (registry/formats/): "1,234" in English, and in
# French "1 234" with a narrow no-break space.
FORMAT_MODULE_PATH = ["registry.formats"]
# Account › Preferences offers exactly the registry's languages.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

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
    # Wagtail logs 'Edited: "<str(record)>"' for every save: a client's name. The filter
    # names the record type and id instead (registry/log_filters.py).
    "filters": {
        "record_type_not_title": {"()": "registry.log_filters.RecordTypeInsteadOfTitle"},
        "without_traceback": {"()": "registry.log_filters.WithoutTraceback"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail's background tasks log every run at INFO; only their failures matter here.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"filters": ["record_type_not_title"]},
        # A request for an unknown host name is one line, not a traceback (see the filter).
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}

AUTHENTICATION_BACKENDS = ["staff.backends.RoleBackend"]

# --- Approvals and audit (docs/approvals-and-audit.md) ---------------------------------
INSTALLED_APPS += ["audit", "approvals"]
# After AuthenticationMiddleware: each signed-in request is one transaction that names its
# staff member as the actor the audit triggers record.
MIDDLEWARE += ["audit.middleware.ActorMiddleware", "approvals.middleware.ApprovalRefusedMiddleware"]
# Approving merges only the submitted fields into the live record (approvals/workflow.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "approvals.workflow.finish_workflow"
# A Coordinator's direct publish leaves a pending change pending (Wagtail would cancel it
# unseen): it is decided later, and approval refuses fields changed underneath it.
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = False

# Daily import (ingest/): manage.py ingest_daily, its run records and benchmarks.
INSTALLED_APPS += ["ingest"]
# One person, one record (identity/): possible matches, find_duplicates, merge and unmerge.
INSTALLED_APPS += ["identity"]
# Each role's home (the admin dashboard's panels) and the registry's own help (dashboard/).
INSTALLED_APPS += ["dashboard"]
# Need to know (access/, docs/personal-data.md): Managers, Leaders and Staff see the full
# record of the clients of their programs (services in the last N months), or by a logged,
# reasoned exception that lasts a few hours.
INSTALLED_APPS += ["access"]
REGISTRY_SCOPE_MONTHS = env_int("REGISTRY_SCOPE_MONTHS", 24)
REGISTRY_ACCESS_EXCEPTION_HOURS = env_int("REGISTRY_ACCESS_EXCEPTION_HOURS", 8)
# Who sees and edits each sensitive field. Role names, or "program staff": the staff of a
# program the client is served in (not an access exception). The agency's extra questions
# marked sensitive use the "extra_demographics" entry.
REGISTRY_SENSITIVE_FIELD_ROLES = {
    "sexual_orientation": ["Administrator", "Coordinator", "program staff"],
    "immigration_status": ["Administrator", "Coordinator", "program staff"],
    "extra_demographics": ["Administrator", "Coordinator", "program staff"],
}

# Reports (issue 5): report pages, and the Tailwind theme they are styled with. The CSS is
# built by npm in theme/static_src (make css, the Docker build); nothing needs Node at runtime.
INSTALLED_APPS += [
    "reports",
    "wagtail.contrib.routable_page",
    "tailwind",
    "theme",
]
# "Hide counts below N" on both reports: counts from 1 to N − 1 are hidden, with the
# complementary cells that would let a reader work them out (reports/suppression.py).
REGISTRY_SUPPRESSION_THRESHOLD = env_int("REGISTRY_SUPPRESSION_THRESHOLD", 5)
TAILWIND_APP_NAME = "theme"

# ---------------------------------------------------------------------------------------
# Operations (issue 7): static files, stateless web tier, security middleware, storage.
# Kept in one block so it merges cleanly; every value comes from the environment and is
# documented in .env.example and docs/operations.md.
# ---------------------------------------------------------------------------------------
import tempfile  # noqa: E402
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS += ["axes", "backups"]

# The health check answers before host validation, so a container probe on 127.0.0.1
# works while ALLOWED_HOSTS lists only the public name.
MIDDLEWARE.insert(0, "registry.middleware.HealthCheckMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "registry.middleware.RegistryCSPMiddleware",
)
# Axes must come last: it turns a lockout raised during authentication into a response.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# Login throttling: five wrong passwords for one email from one address lock that pair
# out for 15 minutes. Locking by the pair (not the email alone) means a stranger cannot
# lock a colleague out from elsewhere; staff behind one office address are not locked
# out together by each other's typos.
AUTHENTICATION_BACKENDS = ["registry.backends.LoginThrottleBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Axes would look for the login model's USERNAME_FIELD ("email"), but Wagtail's sign-in
# form and authenticate() call it "username"; without this every attempt is recorded
# with no email and the lockout falls back to the address alone.
AXES_USERNAME_FORM_FIELD = "username"
# Counted in the case staff e-mails are stored in: otherwise each spelling of one e-mail
# (ANALYST@, Analyst@) has its own count and the right password in another case gets in.
AXES_USERNAME_CALLABLE = "registry.backends.login_username"
# Behind the reverse proxy in deploy/nginx/ (which overwrites X-Forwarded-For with the
# address it saw) set this true, or every attempt counts against the proxy's address.
LOGIN_TRUST_X_FORWARDED_FOR = env_bool("LOGIN_TRUST_X_FORWARDED_FOR", False)
AXES_CLIENT_IP_CALLABLE = "registry.backends.login_client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registry/login_locked.html"
AXES_VERBOSE = False

# Idle timeout: a session ends after this many minutes without a request from the person
# (IdleTimeoutMiddleware renews it on each one, background pings excepted). Sessions live
# in the database, so any web container can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "registry.middleware.IdleTimeoutMiddleware",
)

# Wagtail would fetch staff avatars from gravatar.com, telling a third party who logs in.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Media (images, documents) in S3-compatible storage when a bucket is configured, so the
# web tier keeps nothing on its disk. Files are private: links are signed and expire.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
MEDIA_S3_ENDPOINT_URL = env_str("MEDIA_S3_ENDPOINT_URL", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": MEDIA_S3_ENDPOINT_URL or None,
            "region_name": env_str("MEDIA_S3_REGION", "") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("MEDIA_S3_PREFIX", "media"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 600,
            "signature_version": "s3v4",  # newer AWS regions accept only v4 signatures
            "file_overwrite": False,
        },
    }

# Content-Security-Policy. Registry pages get a strict policy (scripts only from this
# site or carrying the per-request nonce); RegistryCSPMiddleware relaxes scripts and
# styles for the Wagtail admin only, whose date pickers and inline panels still use
# inline <script> blocks in Wagtail 8.0.
_MEDIA_ORIGINS = []
if MEDIA_S3_BUCKET:
    from urllib.parse import urlsplit  # noqa: E402

    _host = urlsplit(MEDIA_S3_ENDPOINT_URL).netloc if MEDIA_S3_ENDPOINT_URL else "amazonaws.com"
    _MEDIA_ORIGINS = [f"https://{_host}", f"https://*.{_host}"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:", *_MEDIA_ORIGINS],
        "media-src": [SELF, *_MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
REGISTRY_ADMIN_CSP_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
}

# Database backups (backups app): pg_dump to an S3-compatible bucket of their own, with
# keys of their own, so the web tier's credentials cannot delete a backup.
BACKUP_S3_BUCKET = env_str("BACKUP_S3_BUCKET", "")
if BACKUP_S3_BUCKET:
    from botocore.config import Config as _BotoConfig  # noqa: E402

    _sse = env_str("BACKUP_S3_SERVER_SIDE_ENCRYPTION", "")
    _object_parameters = {"ServerSideEncryption": _sse} if _sse else {}
    if _sse == "aws:kms" and env_str("BACKUP_S3_KMS_KEY_ID", ""):
        _object_parameters["SSEKMSKeyId"] = env_str("BACKUP_S3_KMS_KEY_ID")
    STORAGES["backups"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BACKUP_S3_BUCKET,
            "endpoint_url": env_str("BACKUP_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("BACKUP_S3_REGION", "") or None,
            "access_key": env_str("BACKUP_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("BACKUP_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("BACKUP_S3_PREFIX", "registry-backups"),
            "default_acl": None,
            "file_overwrite": True,  # names carry the time; the service refuses clashes
            "object_parameters": _object_parameters,
            # Fail within seconds when the endpoint is unreachable, not after minutes.
            "client_config": _BotoConfig(
                connect_timeout=10,
                read_timeout=120,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
BACKUP_RETENTION_DAILY_DAYS = env_int("BACKUP_RETENTION_DAILY_DAYS", 35)
BACKUP_RETENTION_MONTHLY_YEARS = env_int("BACKUP_RETENTION_MONTHLY_YEARS", 10)
# pg_dump output is spooled here before upload (in memory up to 10 MB, then on disk).
DBBACKUP_TMP_DIR = env_str("BACKUP_TMP_DIR", tempfile.gettempdir())
