"""A real S3 HTTP endpoint on loopback: moto's server mode, started once per test session
(fixtures registered in tests/conftest.py)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "registry-test", "aws_secret_access_key": "registry-test-secret"}


def free_port() -> int:
    """A loopback port nothing listens on now (the system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, what: str, *, tries: int = 300):
    """Poll ``url`` until it answers 2xx; fail clearly if ``process`` exits or never answers.

    A readiness poll for the servers tests start, not a timing assertion.
    """
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if 200 <= response.status < 300:
                    return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited at start") from None
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer")


def closed_port_url() -> str:
    """An address on loopback where nothing listens: an unreachable S3 endpoint."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    moto = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/moto-api/", process, "moto_server")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def s3(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        config=Config(retries={"max_attempts": 1}),
        **KEYS,
    )
