"""Back up a registry database to S3 and restore it, through the management commands an
operator runs, against a real S3 HTTP endpoint. The full runs go through `manage.py` in a
subprocess, as from cron; refusals run in-process (call_command) because they stop before
pg_restore and are quicker to check that way."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from tests.backups.conftest import (
    backup_env_for,
    backup_settings_for,
    bucket_create,
    stored_names,
)
from tests.databases import connect, database_exists, database_url, manage, table_fingerprints

CLIENT_NAMES = ("Zoë", "Brontë", "Nguyễn", "Côté", "Amina")


@pytest.fixture(scope="module")
def backed_up(registry_database, s3_endpoint, s3):
    """One backup of the sample registry in a bucket of its own: (bucket, name, output)."""
    bucket = bucket_create(s3)
    env = {**backup_env_for(s3_endpoint, bucket), "DATABASE_URL": database_url(registry_database)}
    result = manage("backup_database", env=env)
    assert result.returncode == 0, result.stderr
    [name] = [n for n in stored_names(s3, bucket) if n.endswith(".dump")]
    return bucket, name, result.stdout


@pytest.fixture
def shared_backup_settings(settings, s3_endpoint, backed_up):
    return backup_settings_for(settings, s3_endpoint, backed_up[0])


def test_backup_restores_into_a_fresh_database_with_identical_tables(
    backed_up, registry_database, restore_target, s3_endpoint
):
    bucket, name, backup_output = backed_up
    assert f"Backed up to {name}" in backup_output

    result = manage(
        "restore_database",
        name,
        "--database",
        restore_target,
        env={
            **backup_env_for(s3_endpoint, bucket),
            "DATABASE_URL": database_url(registry_database),
        },
    )

    assert result.returncode == 0, result.stderr
    assert f"Restored {name}" in result.stdout
    original = table_fingerprints(registry_database)
    assert original["snippets_client"][0] >= 25  # the sample records are there to compare
    assert table_fingerprints(restore_target) == original
    # Personal data stays out of what cron mails and logs keep.
    for text in (backup_output, result.stdout, result.stderr):
        assert not any(client in text for client in CLIENT_NAMES)


def test_backup_records_its_sha256_beside_the_dump_and_is_encrypted(backed_up, s3):
    bucket, name, output = backed_up
    key = f"registry-backups/{name}"
    dump = s3.get_object(Bucket=bucket, Key=key)
    checksum = s3.get_object(Bucket=bucket, Key=f"{key}.sha256")["Body"].read().decode()

    content = dump["Body"].read()
    assert content.startswith(b"PGDMP")  # pg_dump's custom format
    assert checksum == f"{hashlib.sha256(content).hexdigest()}  {name}\n"  # sha256sum -c
    assert dump["ServerSideEncryption"] == "AES256"
    assert hashlib.sha256(content).hexdigest() in output


def test_restore_refuses_a_database_that_holds_tables_unless_told_to_replace_it(
    backed_up, registry_database, restore_target, shared_backup_settings
):
    _, name, _ = backed_up
    call_command("restore_database", name, database=restore_target)
    with connect(restore_target) as conn:
        conn.execute("CREATE TABLE notes_kept_by_hand (line text)")
        conn.execute("INSERT INTO notes_kept_by_hand VALUES ('do not lose me')")
        conn.execute("DELETE FROM snippets_clientsourceid")

    with pytest.raises(CommandError, match="is not empty; nothing was restored"):
        call_command("restore_database", name, database=restore_target)

    with connect(restore_target) as conn:
        assert conn.execute("SELECT count(*) FROM snippets_clientsourceid").fetchone()[0] == 0
        assert conn.execute("SELECT line FROM notes_kept_by_hand").fetchone()[0] == "do not lose me"

    call_command("restore_database", name, database=restore_target, replace_existing_data=True)

    fingerprints = table_fingerprints(restore_target)
    fingerprints.pop("notes_kept_by_hand")  # not in the backup, so left as it was
    assert fingerprints == table_fingerprints(registry_database)


def test_restore_refuses_a_backup_whose_stored_copy_no_longer_matches_its_checksum(
    registry_database, restore_target, backup_env, backup_settings, s3, bucket
):
    assert (
        manage(
            "backup_database", env={**backup_env, "DATABASE_URL": database_url(registry_database)}
        ).returncode
        == 0
    )
    [name] = [n for n in stored_names(s3, bucket) if n.endswith(".dump")]
    key = f"registry-backups/{name}"
    damaged = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    damaged[len(damaged) // 2] ^= 0xFF  # one flipped byte: bit rot, or tampering
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(damaged))

    with pytest.raises(CommandError, match="does not match its recorded SHA-256"):
        call_command("restore_database", name, database=restore_target)

    # Checked before anything is created: no empty database is left behind to be
    # mistaken for a restore.
    assert not database_exists(restore_target)


def test_restore_refuses_an_upload_that_never_completed_and_an_unknown_name(
    restore_target, backup_settings, s3, bucket, capsys
):
    # What an interrupted run could leave behind: a dump without its checksum file.
    s3.put_object(
        Bucket=bucket, Key="registry-backups/registry-20260101T023000Z.dump", Body=b"PGDMP..."
    )

    with pytest.raises(CommandError, match="has no recorded checksum"):
        call_command("restore_database", "registry-20260101T023000Z.dump", database=restore_target)
    with pytest.raises(CommandError, match="There is no backup called registry-2025"):
        call_command("restore_database", "registry-20250101T023000Z.dump", database=restore_target)
    call_command("list_backups")

    assert not database_exists(restore_target)
    listing = capsys.readouterr().out
    assert "registry-20260101T023000Z.dump" in listing
    assert "INCOMPLETE (no checksum; cannot be restored)" in listing
