"""`python -m registry.dbcheck`, run by `make run`: a clear sentence when no database answers."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest


def run_dbcheck(database_url):
    return subprocess.run(
        [sys.executable, "-m", "registry.dbcheck"],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_server_gives_a_clear_message_and_nonzero_exit():
    result = run_dbcheck("postgres://postgres@127.0.0.1:1/registry")
    assert result.returncode == 2
    assert "No PostgreSQL server answered at 127.0.0.1:1" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_missing_database_is_created():
    name = f"dbcheck_{uuid.uuid4().hex[:8]}"
    try:
        result = run_dbcheck(f"postgres://postgres@127.0.0.1:5432/{name}")
        assert result.returncode == 0, result.stderr
        assert f"Created database '{name}'" in result.stdout
        again = run_dbcheck(f"postgres://postgres@127.0.0.1:5432/{name}")
        assert again.returncode == 0 and again.stdout == ""
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
