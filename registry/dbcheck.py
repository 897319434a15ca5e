"""Make sure the configured PostgreSQL database answers, creating it if it is missing.

Run as ``python -m registry.dbcheck`` (the Makefile does) before migrate, so a newcomer
gets one clear sentence instead of a stack trace when no database server is running.
"""

import sys

import dj_database_url
import psycopg
from psycopg import sql

from registry.settings.environment import DEFAULT_DATABASE_URL, env_str


def main() -> int:
    url = env_str("DATABASE_URL", DEFAULT_DATABASE_URL)
    config = dj_database_url.parse(url)
    name = config["NAME"]
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    where = f"{params['host'] or 'local socket'}:{params['port'] or 5432}"
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name!r} on {where}.")
            version = conn.execute("SHOW server_version_num").fetchone()[0]
    except psycopg.OperationalError as exc:
        print(
            f"No PostgreSQL server answered at {where} ({str(exc).strip().splitlines()[0]}).\n"
            "Start PostgreSQL 15 or newer (on Debian: "
            "pg_ctlcluster --skip-systemctl-redirect 15 main start), or set DATABASE_URL to "
            "one you can reach, e.g. postgres://user:password@host:5432/registry.",
            file=sys.stderr,
        )
        return 2
    if int(version) < 150000:
        print(f"PostgreSQL 15 or newer is needed; {where} runs {version}.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
