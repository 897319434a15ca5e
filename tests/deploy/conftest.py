import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.databases import PROJECT_DIR, database_create, database_drop, manage, operator_environ
from tests.s3 import free_port, wait_until_answering

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "registry.settings.production",
    "DJANGO_SECRET_KEY": "h7-test-" + "k3y-" * 15,
    "DJANGO_ALLOWED_HOSTS": "registry.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://registry.example.org",
    "WAGTAILADMIN_BASE_URL": "https://registry.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
}


@contextmanager
def migrated_copy(template: str, name: str):
    """A migrated registry database of its own, copied from ``template``; dropped after."""
    database_drop(name)
    database_create(name, template=template)
    try:
        yield name
    finally:
        database_drop(name)


@pytest.fixture(scope="session")
def deployed_database(registry_template):
    """The database the gunicorn tests serve."""
    with migrated_copy(registry_template, f"h7_deploy_{os.getpid()}") as name:
        yield name


@pytest.fixture
def scratch_database():
    """The name for a scratch database; dropped afterwards."""
    name = f"h7_scratch_{uuid.uuid4().hex[:10]}"
    yield name
    database_drop(name)


@contextmanager
def serve_gunicorn(env: dict[str, str], *, static_root: Path):
    """Collect static files as the image build does, then serve the registry with gunicorn
    and deploy/gunicorn.conf.py on a free loopback port; yields the base URL."""
    env = {**env, "STATIC_ROOT": str(static_root)}
    collected = manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        + ["registry.wsgi"],
        cwd=PROJECT_DIR,
        env={
            **operator_environ(),
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/healthz", process, "gunicorn")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
