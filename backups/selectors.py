"""Reads from the backup bucket: which backups exist and whether each one is complete."""

import datetime
import re
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import InvalidStorageError, storages
from django.utils.translation import gettext

from .retention import RetentionPolicy

BACKUP_NAME_PREFIX = "registry-"
BACKUP_NAME_SUFFIX = ".dump"
CHECKSUM_SUFFIX = ".sha256"
_BACKUP_NAME = re.compile(r"^registry-(?P<stamp>\d{8}T\d{6}Z)\.dump$")
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


class BackupError(Exception):
    """A backup, restore or prune that did not happen. The message is for the operator:
    it says what went wrong and what was left untouched. It never contains client data."""


@dataclass(frozen=True)
class StoredBackup:
    name: str
    taken_at: datetime.datetime
    size: int
    # A dump counts as a backup only once its checksum file exists: the checksum is
    # written last, after the uploaded copy was read back and matched.
    complete: bool


def backup_name_for(moment: datetime.datetime) -> str:
    stamp = moment.astimezone(datetime.UTC).strftime(_STAMP_FORMAT)
    return f"{BACKUP_NAME_PREFIX}{stamp}{BACKUP_NAME_SUFFIX}"


def backup_taken_at(name: str) -> datetime.datetime | None:
    """When the backup called ``name`` was taken, or None if it is not a backup's name."""
    match = _BACKUP_NAME.match(name)
    if not match:
        return None
    return datetime.datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=datetime.UTC)


def backup_storage():
    """The django-storages S3 storage for backups (STORAGES["backups"])."""
    try:
        return storages["backups"]
    except InvalidStorageError:
        raise BackupError(
            gettext(
                "No backup bucket is configured: set BACKUP_S3_BUCKET and its endpoint, "
                "region and keys (see .env.example)."
            )
        ) from None


def retention_policy() -> RetentionPolicy:
    try:
        return RetentionPolicy(
            daily_days=settings.BACKUP_RETENTION_DAILY_DAYS,
            monthly_years=settings.BACKUP_RETENTION_MONTHLY_YEARS,
        )
    except ValueError as exc:
        raise BackupError(
            gettext("%(problem)s Fix BACKUP_RETENTION_* in the environment.") % {"problem": exc}
        ) from None


def object_key(storage, name: str) -> str:
    """The S3 key of ``name`` inside the storage's location (prefix)."""
    return storage._normalize_name(name)


def s3_failure(exc: Exception, *, doing: str) -> BackupError:
    """A clear message for an S3 failure; boto's text names the endpoint and the error
    code, never the keys."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BackupError(
        gettext("The backup bucket could not be used while %(doing)s: %(reason)s")
        % {"doing": doing, "reason": reason}
    )


def backups_list() -> list[StoredBackup]:
    """Every backup in the bucket, oldest first. Objects that are not backups are ignored."""
    storage = backup_storage()
    prefix = f"{storage.location.strip('/')}/" if storage.location else ""
    sizes: dict[str, int] = {}
    try:
        for summary in storage.bucket.objects.filter(Prefix=prefix):
            sizes[summary.key[len(prefix) :]] = summary.size
    except (BotoCoreError, ClientError) as exc:
        raise s3_failure(exc, doing=gettext("listing backups")) from None
    backups = []
    for name, size in sizes.items():
        taken_at = backup_taken_at(name)
        if taken_at is None:
            continue
        backups.append(
            StoredBackup(
                name=name,
                taken_at=taken_at,
                size=size,
                complete=f"{name}{CHECKSUM_SUFFIX}" in sizes,
            )
        )
    return sorted(backups, key=lambda backup: backup.taken_at)
