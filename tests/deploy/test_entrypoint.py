"""The container's entrypoint, run on this machine against PostgreSQL: it waits for the
database, migrates, sets up roles, creates the first Administrator, then hands over to the
container's command (here a stand-in that records how it was called)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.databases import PROJECT_DIR, connect, database_url, operator_environ
from tests.deploy.conftest import PRODUCTION_ENV, migrated_copy
from tests.s3 import closed_port_url

ENTRYPOINT = PROJECT_DIR / "deploy" / "entrypoint.sh"
FIRST_ADMIN = {
    "REGISTRY_ADMIN_EMAIL": "it.lead@agency.example",
    "REGISTRY_ADMIN_PASSWORD": "plum-harbour-lantern-42",
    "REGISTRY_ADMIN_FIRST_NAME": "Robin",
    "REGISTRY_ADMIN_LAST_NAME": "Okafor",
}


def run_entrypoint(database: str, marker: Path, **env) -> subprocess.CompletedProcess:
    # The stand-in for gunicorn writes its arguments, proving `exec "$@"` ran it.
    command = [
        sys.executable,
        "-c",
        "import sys; open(sys.argv[1], 'w').write(' '.join(sys.argv[2:]))",
        str(marker),
        "gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
    ]
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *command],
        cwd="/",  # the script finds the project itself, as in the image
        env={
            **operator_environ(),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            **PRODUCTION_ENV,
            "DATABASE_URL": database_url(database),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def administrators(database: str) -> list[str]:
    with connect(database) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT s.email FROM staff_staff s JOIN staff_roles r ON r.staff_id = s.id "
                "JOIN auth_group g ON g.id = r.role_id WHERE g.name = 'Administrator'"
            )
        ]


@pytest.fixture
def new_database(registry_template):
    """A migrated database nobody has signed in to: no Administrator yet."""
    with migrated_copy(registry_template, f"h7_entry_{os.getpid()}") as name:
        yield name


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "command-ran"


def test_start_up_prepares_the_registry_then_runs_the_command(new_database, marker):
    first = run_entrypoint(new_database, marker, **FIRST_ADMIN)

    assert first.returncode == 0, first.stderr
    assert marker.read_text() == "gunicorn --config deploy/gunicorn.conf.py"
    assert "Roles are set up." in first.stdout
    assert "Reports are at /reports/" in first.stdout
    assert "Created the first Administrator, it.lead@agency.example" in first.stdout
    assert administrators(new_database) == ["it.lead@agency.example"]

    # A restart repeats every step harmlessly.
    marker.unlink()
    second = run_entrypoint(
        new_database, marker, **{**FIRST_ADMIN, "REGISTRY_ADMIN_EMAIL": "other@agency.example"}
    )

    assert second.returncode == 0, second.stderr
    assert marker.exists()
    assert "An Administrator already exists; nobody was created." in second.stdout
    assert administrators(new_database) == ["it.lead@agency.example"]


def test_start_up_gives_up_clearly_when_the_database_never_answers(marker):
    result = run_entrypoint(
        "h7_unreachable",
        marker,
        DATABASE_URL=f"postgres://registry@{closed_port_url().removeprefix('http://')}/registry",
        DATABASE_WAIT_SECONDS="2",
    )

    assert result.returncode == 1
    assert "No PostgreSQL server answered" in result.stderr
    assert "the database did not answer within 2s; giving up." in result.stderr
    assert not marker.exists()


def test_postgres_init_script_creates_the_extensions_the_registry_uses(scratch_database):
    from tests.databases import database_create

    database_create(scratch_database)
    result = subprocess.run(
        [
            "psql",
            database_url(scratch_database),
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-f",
            str(PROJECT_DIR / "deploy" / "postgres" / "initdb" / "01-extensions.sql"),
        ],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    with connect(scratch_database) as conn:
        installed = {row[0] for row in conn.execute("SELECT extname FROM pg_extension")}
    assert {"pg_trgm", "fuzzystrmatch", "unaccent"} <= installed


def test_start_up_refuses_a_root_owned_imports_folder_saying_what_to_run():
    # What Docker does for a bind mount whose host folder is missing: creates it as root.
    # (Outside pytest's tmp_path, which user 10001 may not enter.)
    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    imports = folder / "imports"
    imports.mkdir(mode=0o755)
    marker = folder / "command-ran"
    # A copy of the script user 10001 can read, wherever the checkout lives (a clone in a
    # private temporary folder is not readable by other users).
    script = folder / "entrypoint.sh"
    shutil.copy(ENTRYPOINT, script)
    script.chmod(0o755)
    result = subprocess.run(
        ["setpriv", "--reuid=10001", "--regid=10001", "--clear-groups"]
        + ["sh", str(script), "sh", "-c", f"echo ran > {marker}"],
        cwd="/",
        env={
            "PATH": os.environ["PATH"],
            "REGISTRY_IMPORTS_DIR": str(imports),
            "DATABASE_WAIT_SECONDS": "0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    shutil.rmtree(folder)

    assert result.returncode == 1
    assert not marker.exists()
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"entrypoint: {imports} is not writable by uid 10001; on the host run "
        "`sudo chown 10001:10001 imports` in the folder holding docker-compose.yml, "
        "then start again."
    ]
