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

# The ports this engineer's services may use on the shared machine.
PORT_RANGE = range(8107, 8120)
REGION = "us-east-1"
KEYS = {"aws_access_key_id": "registry-test", "aws_secret_access_key": "registry-test-secret"}


def free_port() -> int:
    for port in PORT_RANGE:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}.")


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
        for _ in range(150):  # readiness poll, not a timing assertion
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("moto_server exited at start") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto_server did not answer")
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
