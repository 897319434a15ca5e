# syntax=docker/dockerfile:1
# The case registry: Django + Wagtail served by gunicorn, for docker-compose.yml.
# Stage 1 builds the Tailwind CSS with Node; the runtime image has no Node at all.
# Stage 2 compiles the French translation.

FROM node:22-bookworm-slim AS theme
WORKDIR /build
# Dependencies first, so editing a template does not reinstall them.
COPY theme/static_src/package.json theme/static_src/package-lock.json theme/static_src/
RUN npm ci --prefix theme/static_src --no-audit --no-fund
# Tailwind scans the templates and Python code for class names, so it needs the sources.
COPY . .
RUN npm run build --prefix theme/static_src


# Stage 2 compiles the translations (locale/*.po -> .mo, which are not committed) with
# gettext's msgfmt, as Django's compilemessages does, so the runtime image needs no gettext.
FROM debian:bookworm-slim AS messages
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY locale/ locale/
RUN for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done


# Bookworm, not the newer default, because its postgresql-client-15 matches the db
# service: pg_dump/pg_restore must not be newer than what restores the dump elsewhere.
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=registry.settings.production \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/app/media

# Debian's security updates arrive by rebuilding on a fresh base image; exact version pins
# would break the build at every Debian point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY . .
COPY --from=theme /build/theme/static /app/theme/static
COPY --from=messages /build/locale /app/locale

# Static files are collected into the image: every container serves identical files and
# writes nothing at run time. The values below exist only to let settings load.
RUN DJANGO_SECRET_KEY=collectstatic-only \
    DJANGO_ALLOWED_HOSTS=localhost \
    WAGTAILADMIN_BASE_URL=http://localhost \
    python manage.py collectstatic --no-input --verbosity 0

# The code belongs to root and is read-only to the app; only local media (used when no
# media bucket is configured), the backup spool and the imports folder (the nightly
# import writes its rejects files there) are writable; a named volume inherits the owner.
RUN groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app registry \
    && mkdir -p /app/media /app/spool /app/imports \
    && chown 10001:10001 /app/media /app/spool /app/imports
USER 10001:10001

EXPOSE 8000
# The probe reads GUNICORN_BIND, as deploy/gunicorn.conf.py does, so it follows the port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "registry.wsgi"]
