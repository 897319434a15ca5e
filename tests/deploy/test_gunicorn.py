"""The web container's process, short of Docker: static files collected as the image
build does, then gunicorn with deploy/gunicorn.conf.py and the production settings."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.databases import PROJECT_DIR, database_url
from tests.deploy.conftest import PRODUCTION_ENV, serve_gunicorn
from tests.s3 import free_port


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, **headers) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def web(deployed_database, tmp_path_factory):
    env = {**PRODUCTION_ENV, "DATABASE_URL": database_url(deployed_database)}
    with serve_gunicorn(env, static_root=tmp_path_factory.mktemp("static")) as url:
        yield url


def test_the_health_check_answers_the_containers_own_probe(web):
    status, _, body = fetch(f"{web}/healthz")

    assert (status, body) == (200, "ok\n")


def test_plain_http_from_outside_the_proxy_is_sent_to_https(web):
    status, headers, _ = fetch(f"{web}/admin/login/", Host="registry.example.org")

    assert status == 301
    assert headers["Location"] == "https://registry.example.org/admin/login/"


def test_sign_in_page_behind_the_proxy_has_the_security_headers_and_its_static_files(web):
    status, headers, html = fetch(
        f"{web}/admin/login/", Host="registry.example.org", **{"X-Forwarded-Proto": "https"}
    )

    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    cookie = headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie
    # WhiteNoise serves the hashed stylesheet the page links to, cacheable for good.
    stylesheet = next(
        part.split('"')[0]
        for part in html.split('href="')[1:]
        if part.split('"')[0].endswith(".css")
    )
    status, headers, _ = fetch(
        f"{web}{stylesheet}", Host="registry.example.org", **{"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]


def test_a_host_not_in_allowed_hosts_is_refused(web):
    status, _, _ = fetch(
        f"{web}/admin/login/", Host="evil.example.com", **{"X-Forwarded-Proto": "https"}
    )

    assert status == 400


def run_healthcheck(bind: str) -> subprocess.CompletedProcess:
    """The image's HEALTHCHECK command, with the container's GUNICORN_BIND."""
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "deploy" / "healthcheck.py")],
        env={**os.environ, "GUNICORN_BIND": bind},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_image_health_check_follows_gunicorn_bind(web):
    port = web.rsplit(":", 1)[1]

    # gunicorn listens on the custom port, not 8000: the probe follows the variable ...
    assert run_healthcheck(f"127.0.0.1:{port}").returncode == 0
    # ... also when the bind is the container's wildcard address.
    assert run_healthcheck(f"0.0.0.0:{port}").returncode == 0
    # Nothing answers on another port: the container is reported unhealthy, with why.
    refused = run_healthcheck(f"0.0.0.0:{free_port()}")
    assert refused.returncode == 1
    assert "did not answer" in refused.stderr
