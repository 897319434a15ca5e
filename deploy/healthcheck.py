"""The image's HEALTHCHECK: exit 0 when the registry answers /healthz on GUNICORN_BIND.

It reads the same variable as deploy/gunicorn.conf.py, so moving gunicorn to another
port moves the probe with it. A wildcard bind (0.0.0.0, [::]) is probed on loopback.
"""

import os
import sys
import urllib.request


def probe_url(bind: str) -> str:
    """The /healthz address for a gunicorn bind such as ``0.0.0.0:8000``."""
    bind = bind.split(",")[0].strip()
    if bind.startswith("tcp://"):
        bind = bind[len("tcp://") :]
    host, _, port = bind.rpartition(":")
    if host in {"", "0.0.0.0", "*"}:
        host = "127.0.0.1"
    elif host == "[::]":
        host = "[::1]"
    return f"http://{host}:{port or '8000'}/healthz"


def main() -> int:
    url = probe_url(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000"))
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"healthcheck: {url} did not answer: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
