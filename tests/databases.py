"""Helpers for tests that need PostgreSQL databases beside the test database: restore
targets and copies. Every name must start with ``h7_`` and be dropped afterwards."""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

from registry.settings.environment import DEFAULT_DATABASE_URL

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _server() -> dict:
    config = dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    return {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }


def database_url(name: str) -> str:
    """DATABASE_URL for database ``name`` on the test server."""
    server = _server()
    credentials = server["user"] or ""
    if server["password"]:
        credentials += f":{server['password']}"
    return f"postgres://{credentials}@{server['host']}:{server['port'] or 5432}/{name}"


def connect(name: str) -> psycopg.Connection:
    return psycopg.connect(dbname=name, autocommit=True, **_server())


def database_create(name: str, *, template: str | None = None) -> None:
    assert name.startswith("h7_"), name
    with connect("postgres") as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(statement)


def database_drop(name: str) -> None:
    assert name.startswith("h7_"), name
    with connect("postgres") as conn:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(statement.format(sql.Identifier(name)))


def database_exists(name: str) -> bool:
    with connect("postgres") as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def table_fingerprints(name: str) -> dict[str, tuple[int, str]]:
    """Every table in the public schema: its row count and an MD5 over its rows' text,
    in a fixed order. Two databases with equal fingerprints hold the same data."""
    with connect(name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        fingerprints = {}
        for table in tables:
            count, digest = conn.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' "
                    "ORDER BY t::text)), '') FROM {} AS t"
                ).format(sql.Identifier(table))
            ).fetchone()
            fingerprints[table] = (count, digest)
    return fingerprints


def operator_environ() -> dict[str, str]:
    """This process's environment without Django settings, as a fresh shell would have:
    the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves, and a developer's .env
    (exported by make) must not leak into commands run as an operator would."""
    return {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}


def migrated_database_create(name: str) -> None:
    """A new registry database, migrated and with its roles, as `make db` leaves one."""
    database_create(name)
    env = {"DATABASE_URL": database_url(name)}
    manage("migrate", "--no-input", "--verbosity", "0", env=env, check=True)
    manage("setup_roles", env=env, check=True)


def manage(*args: str, env: dict[str, str], check: bool = False) -> subprocess.CompletedProcess:
    """Run ``manage.py`` as an operator would, with ``env`` added to a clean environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**operator_environ(), "DJANGO_SETTINGS_MODULE": "registry.settings.test", **env},
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )
