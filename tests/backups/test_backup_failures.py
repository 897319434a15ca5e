"""A backup that fails says so, exits non-zero, and leaves earlier backups untouched."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from storages.backends.s3 import S3Storage

from tests.backups.conftest import backup_settings_for, stored_names
from tests.databases import database_url, manage
from tests.s3 import closed_port_url

EARLIER = "registry-20260101T073000Z.dump"


@pytest.fixture
def earlier_backup(s3, bucket):
    """A backup from an earlier night, which no failure may disturb."""
    s3.put_object(Bucket=bucket, Key=f"registry-backups/{EARLIER}", Body=b"PGDMP earlier")
    s3.put_object(
        Bucket=bucket, Key=f"registry-backups/{EARLIER}.sha256", Body=b"0" * 64 + b"  x\n"
    )
    return stored_names(s3, bucket)


def test_unreachable_storage_fails_clearly_before_dumping(settings, bucket, earlier_backup, s3):
    backup_settings_for(settings, closed_port_url(), bucket)

    with pytest.raises(CommandError) as failure:
        call_command("backup_database")

    message = str(failure.value)
    assert message.startswith("Backup failed. The backup bucket could not be used")
    assert "Could not connect to the endpoint URL" in message
    assert stored_names(s3, bucket) == earlier_backup


def test_a_missing_bucket_fails_clearly(settings, s3_endpoint, s3):
    backup_settings_for(settings, s3_endpoint, f"h7-no-such-bucket-{uuid.uuid4().hex[:8]}")

    with pytest.raises(CommandError, match="Backup failed. The backup bucket could not be used"):
        call_command("backup_database")


def test_pg_dump_failing_exits_non_zero_and_uploads_nothing(backup_env, earlier_backup, s3, bucket):
    missing = f"h7_missing_{uuid.uuid4().hex[:8]}"

    result = manage("backup_database", env={**backup_env, "DATABASE_URL": database_url(missing)})

    assert result.returncode != 0
    assert "Backup failed. pg_dump failed:" in result.stderr
    assert f'database "{missing}" does not exist' in result.stderr
    assert stored_names(s3, bucket) == earlier_backup


def test_a_partial_upload_is_detected_removed_and_never_counts(
    backup_settings, earlier_backup, s3, bucket, monkeypatch
):
    # A connection that drops mid-upload but reports success: S3 receives half the dump.
    real_save = S3Storage._save

    def truncating_save(storage, name, content):
        if name.endswith(".dump"):
            data = content.read()
            content = ContentFile(data[: len(data) // 2], name=name)
        return real_save(storage, name, content)

    monkeypatch.setattr(S3Storage, "_save", truncating_save)

    with pytest.raises(CommandError, match="did not read back identically") as failure:
        call_command("backup_database")

    assert "Earlier backups are untouched" in str(failure.value)
    assert stored_names(s3, bucket) == earlier_backup


def test_a_retention_rule_below_ten_years_is_refused_before_anything_is_written(
    backup_settings, earlier_backup, s3, bucket
):
    backup_settings.BACKUP_RETENTION_MONTHLY_YEARS = 9

    with pytest.raises(CommandError, match="kept at least 10 years, not 9"):
        call_command("backup_database")

    assert stored_names(s3, bucket) == earlier_backup
