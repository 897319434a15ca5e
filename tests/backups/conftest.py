"""Buckets and databases for the backup tests (the S3 endpoint itself is in tests/s3.py)."""

import os
import uuid

import pytest
from botocore.config import Config

from tests.databases import database_create, database_drop, database_url, manage
from tests.s3 import KEYS, REGION


def bucket_create(s3) -> str:
    name = f"h7-backups-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def bucket(s3):
    return bucket_create(s3)


def backup_env_for(s3_endpoint: str, bucket: str) -> dict[str, str]:
    """The environment an operator sets for backups (see .env.example)."""
    return {
        "BACKUP_S3_BUCKET": bucket,
        "BACKUP_S3_ENDPOINT_URL": s3_endpoint,
        "BACKUP_S3_REGION": REGION,
        "BACKUP_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "BACKUP_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        "BACKUP_S3_PREFIX": "registry-backups",
        "BACKUP_S3_SERVER_SIDE_ENCRYPTION": "AES256",
        "BACKUP_RETENTION_DAILY_DAYS": "35",
        "BACKUP_RETENTION_MONTHLY_YEARS": "10",
    }


@pytest.fixture
def backup_env(s3_endpoint, bucket):
    return backup_env_for(s3_endpoint, bucket)


def backup_settings_for(settings, s3_endpoint: str, bucket: str):
    """The same configuration for commands run inside the test process."""
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "location": "registry-backups",
                "object_parameters": {"ServerSideEncryption": "AES256"},
                "client_config": Config(retries={"max_attempts": 1}),
            },
        },
    }
    settings.BACKUP_RETENTION_DAILY_DAYS = 35
    settings.BACKUP_RETENTION_MONTHLY_YEARS = 10
    return settings


@pytest.fixture
def backup_settings(settings, s3_endpoint, bucket):
    return backup_settings_for(settings, s3_endpoint, bucket)


def stored_names(s3, bucket) -> set[str]:
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="registry-backups/")
    return {item["Key"].removeprefix("registry-backups/") for item in listing.get("Contents", [])}


@pytest.fixture(scope="session")
def registry_database(registry_template):
    """A registry database with sample records, copied from the migrated test database
    and filled through the factories by `manage.py shell`, as its own database so that
    pg_dump sees committed rows. Yields its name; dropped at the end."""
    name = f"h7_source_{os.getpid()}"
    database_drop(name)
    database_create(name, template=registry_template)
    try:
        manage(
            "shell",
            "-c",
            "from tests.backups.sample_registry import populate; populate()",
            env={"DATABASE_URL": database_url(name)},
            check=True,
        )
        yield name
    finally:
        database_drop(name)


@pytest.fixture
def restore_target():
    """The name of a database to restore into; dropped afterwards."""
    name = f"h7_restore_{uuid.uuid4().hex[:10]}"
    yield name
    database_drop(name)
