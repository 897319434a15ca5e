"""Back up a registry database to S3 and restore it, through the management commands an
operator runs, against a real S3 HTTP endpoint."""

import hashlib

import pytest

from tests.backups.conftest import stored_names
from tests.databases import (
    connect,
    database_exists,
    database_url,
    manage,
    table_fingerprints,
)


@pytest.fixture
def backed_up(registry_database, backup_env, s3, bucket):
    """One backup of the sample registry; returns (backup name, command output)."""
    env = {**backup_env, "DATABASE_URL": database_url(registry_database)}
    result = manage("backup_database", env=env)
    assert result.returncode == 0, result.stderr
    [name] = [n for n in stored_names(s3, bucket) if n.endswith(".dump")]
    return name, result.stdout


def test_backup_restores_into_a_fresh_database_with_identical_tables(
    backed_up, registry_database, restore_target, backup_env
):
    name, output = backed_up
    assert f"Backed up to {name}" in output

    result = manage(
        "restore_database",
        name,
        "--database",
        restore_target,
        env={**backup_env, "DATABASE_URL": database_url(registry_database)},
    )

    assert result.returncode == 0, result.stderr
    assert f"Restored {name}" in result.stdout
    original = table_fingerprints(registry_database)
    assert original["snippets_client"][0] >= 25  # the sample records are there to compare
    assert table_fingerprints(restore_target) == original


def test_backup_records_its_sha256_beside_the_dump_and_is_encrypted(backed_up, s3, bucket):
    name, output = backed_up
    key = f"registry-backups/{name}"
    dump = s3.get_object(Bucket=bucket, Key=key)
    checksum = s3.get_object(Bucket=bucket, Key=f"{key}.sha256")["Body"].read().decode()

    content = dump["Body"].read()
    assert content.startswith(b"PGDMP")  # pg_dump's custom format
    assert checksum == f"{hashlib.sha256(content).hexdigest()}  {name}\n"  # sha256sum -c
    assert dump["ServerSideEncryption"] == "AES256"
    assert hashlib.sha256(content).hexdigest() in output


def test_output_of_backup_and_restore_names_no_client(
    backed_up, registry_database, restore_target, backup_env
):
    _, backup_output = backed_up
    restore = manage(
        "restore_database",
        backed_up[0],
        "--database",
        restore_target,
        env={**backup_env, "DATABASE_URL": database_url(registry_database)},
    )
    for text in (backup_output, restore.stdout, restore.stderr):
        for name in ("Zoë", "Brontë", "Nguyễn", "Côté", "Amina"):
            assert name not in text


def test_restore_refuses_a_database_that_holds_tables_unless_told_to_replace_it(
    backed_up, registry_database, restore_target, backup_env
):
    name, _ = backed_up
    env = {**backup_env, "DATABASE_URL": database_url(registry_database)}
    assert manage("restore_database", name, "--database", restore_target, env=env).returncode == 0
    with connect(restore_target) as conn:
        conn.execute("CREATE TABLE notes_kept_by_hand (line text)")
        conn.execute("INSERT INTO notes_kept_by_hand VALUES ('do not lose me')")
        conn.execute("DELETE FROM snippets_clientsourceid")

    refused = manage("restore_database", name, "--database", restore_target, env=env)

    assert refused.returncode != 0
    assert "is not empty; nothing was restored" in refused.stderr
    with connect(restore_target) as conn:
        assert conn.execute("SELECT count(*) FROM snippets_clientsourceid").fetchone()[0] == 0
        assert conn.execute("SELECT line FROM notes_kept_by_hand").fetchone()[0] == "do not lose me"

    replaced = manage(
        "restore_database", name, "--database", restore_target, "--replace-existing-data", env=env
    )

    assert replaced.returncode == 0, replaced.stderr
    fingerprints = table_fingerprints(restore_target)
    fingerprints.pop("notes_kept_by_hand")  # not in the backup, so left as it was
    assert fingerprints == table_fingerprints(registry_database)


def test_restore_refuses_a_backup_whose_stored_copy_no_longer_matches_its_checksum(
    backed_up, registry_database, restore_target, backup_env, s3, bucket
):
    name, _ = backed_up
    key = f"registry-backups/{name}"
    damaged = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    damaged[len(damaged) // 2] ^= 0xFF
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(damaged))

    result = manage(
        "restore_database",
        name,
        "--database",
        restore_target,
        env={**backup_env, "DATABASE_URL": database_url(registry_database)},
    )

    assert result.returncode != 0
    assert "does not match its recorded SHA-256" in result.stderr
    with connect(restore_target) as conn:  # created empty, and left empty
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_restore_refuses_an_upload_that_never_completed_and_an_unknown_name(
    registry_database, restore_target, backup_env, s3, bucket
):
    # What an interrupted run could leave: a dump without its checksum file.
    s3.put_object(
        Bucket=bucket, Key="registry-backups/registry-20260101T023000Z.dump", Body=b"PGDMP..."
    )
    env = {**backup_env, "DATABASE_URL": database_url(registry_database)}

    incomplete = manage(
        "restore_database", "registry-20260101T023000Z.dump", "--database", restore_target, env=env
    )
    unknown = manage(
        "restore_database", "registry-20250101T023000Z.dump", "--database", restore_target, env=env
    )
    listing = manage("list_backups", env=env)

    assert incomplete.returncode != 0
    assert "has no recorded checksum" in incomplete.stderr
    assert unknown.returncode != 0
    assert "There is no backup called registry-20250101T023000Z.dump" in unknown.stderr
    assert not database_exists(restore_target)
    assert "registry-20260101T023000Z.dump" in listing.stdout
    assert "INCOMPLETE" in listing.stdout
