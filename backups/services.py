"""Writes: make a backup, restore one, prune old ones.

django-dbbackup's PostgreSQL connector runs pg_dump (custom format) and pg_restore with
the same connection settings, TLS options and password handling as the ORM; we use it
for that. Its commands and storage wrapper do not fit: they record no checksum, never
read an upload back, keep "the last N files" rather than our ten-year rule, and can
overwrite a database without asking. Those parts are ours, below.
"""

import datetime
import hashlib
import logging
import tempfile
import time
from dataclasses import dataclass, field

import psycopg
from botocore.exceptions import BotoCoreError, ClientError
from dbbackup.db.exceptions import CommandConnectorError
from dbbackup.db.postgresql import PgDumpBinaryConnector
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext
from psycopg import sql

from .retention import backups_to_keep
from .selectors import (
    CHECKSUM_SUFFIX,
    BackupError,
    backup_name_for,
    backup_storage,
    backups_list,
    object_key,
    retention_policy,
    s3_failure,
)

logger = logging.getLogger(__name__)
# dbbackup logs each command line at DEBUG on a logger it forces to DEBUG; the lines name
# the database server, which has no place in cron mail.
logging.getLogger("dbbackup.command").setLevel(logging.WARNING)

CHUNK_SIZE = 1024 * 1024


@dataclass
class BackupMade:
    name: str
    size: int
    sha256: str
    seconds: float
    pruned: list[str] = field(default_factory=list)


@dataclass
class BackupRestored:
    name: str
    database: str
    size: int
    seconds: float
    tables: int


def _sha256_of(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _stored_sha256(storage, name: str) -> tuple[str, int]:
    """Read the stored object back from the bucket and hash it, without keeping a copy."""
    body = storage.bucket.Object(object_key(storage, name)).get()["Body"]
    try:
        return _sha256_of(body)
    finally:
        body.close()


def _pg_failure(exc: CommandConnectorError, *, doing: str) -> BackupError:
    # The connector's message starts with the command line (no password: that travels
    # in PGPASSWORD) followed by the tool's own error output. PostgreSQL's DETAIL and
    # CONTEXT lines can quote row values (a duplicate key, a COPY line), so they are
    # dropped: this message ends up in cron mail.
    detail = [
        line
        for line in str(exc).splitlines()[1:]
        if line.strip() and "DETAIL:" not in line and "CONTEXT:" not in line
    ]
    reason = " ".join(detail[:3]) or gettext("see the database server's log")
    return BackupError(gettext("%(doing)s failed: %(reason)s") % {"doing": doing, "reason": reason})


def backup_create(*, now: datetime.datetime | None = None, prune: bool = True) -> BackupMade:
    """Dump the registry database to the backup bucket and record its SHA-256 beside it.

    Writes ``registry-<UTC time>.dump`` (pg_dump custom format) and, once the uploaded
    object has been read back and matches, ``<name>.sha256`` (sha256sum format). Then,
    with ``prune``, deletes what the retention rule no longer keeps.

    Raises BackupError if the bucket cannot be reached, pg_dump fails or the upload does
    not read back identically; earlier backups are never touched in those cases, and a
    damaged upload is removed.
    """
    started = time.monotonic()
    now = now or datetime.datetime.now(datetime.UTC)
    storage = backup_storage()
    retention_policy()  # a retention rule below the minimum stops us before any work
    name = backup_name_for(now)
    try:
        # Reach the bucket before a long dump, and never replace an existing backup.
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        if storage.exists(name) or storage.exists(f"{name}{CHECKSUM_SUFFIX}"):
            raise BackupError(
                gettext("A backup called %(name)s already exists; nothing was written.")
                % {"name": name}
            )
    except (BotoCoreError, ClientError) as exc:
        raise s3_failure(exc, doing=gettext("checking the bucket before the backup")) from None

    connector = PgDumpBinaryConnector(DEFAULT_DB_ALIAS)
    try:
        dump = connector.create_dump()
    except CommandConnectorError as exc:
        raise _pg_failure(exc, doing="pg_dump") from None
    try:
        dump.seek(0)
        sha256, size = _sha256_of(dump)
        dump.seek(0)
        try:
            storage.save(name, File(dump, name=name))
            stored_sha256, stored_size = _stored_sha256(storage, name)
        except (BotoCoreError, ClientError) as exc:
            _delete_quietly(storage, name)
            raise s3_failure(exc, doing=gettext("uploading %(name)s") % {"name": name}) from None
    finally:
        dump.close()

    if (stored_sha256, stored_size) != (sha256, size):
        _delete_quietly(storage, name)
        raise BackupError(
            gettext(
                "The uploaded copy of %(name)s did not read back identically (%(stored)s of "
                "%(size)s bytes, checksum %(checksum)s); it was removed and does not count as "
                "a backup. Earlier backups are untouched."
            )
            % {
                "name": name,
                "stored": stored_size,
                "size": size,
                "checksum": gettext("matches") if stored_sha256 == sha256 else gettext("differs"),
            }
        )
    try:
        storage.save(
            f"{name}{CHECKSUM_SUFFIX}",
            ContentFile(f"{sha256}  {name}\n".encode(), name=f"{name}{CHECKSUM_SUFFIX}"),
        )
    except (BotoCoreError, ClientError) as exc:
        _delete_quietly(storage, name)
        raise s3_failure(
            exc, doing=gettext("recording the checksum of %(name)s") % {"name": name}
        ) from None

    made = BackupMade(name=name, size=size, sha256=sha256, seconds=0.0)
    if prune:
        made.pruned = backups_prune(now=now, dry_run=False)
    made.seconds = time.monotonic() - started
    return made


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except (BotoCoreError, ClientError):
        logger.warning("Could not remove the incomplete upload %s; it does not count.", name)


def backups_prune(*, now: datetime.datetime | None = None, dry_run: bool) -> list[str]:
    """Delete the backups the retention rule no longer keeps; return their names.

    Only complete backups take part in the rule. An incomplete dump (no checksum: an
    interrupted run) is deleted once it is older than the nightly window. With
    ``dry_run`` nothing is deleted. Objects that are not backups are never touched.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    policy = retention_policy()
    backups = backups_list()
    complete = [backup for backup in backups if backup.complete]
    keep = backups_to_keep(taken_at=[b.taken_at for b in complete], now=now, policy=policy)
    daily_from = now - datetime.timedelta(days=policy.daily_days)
    doomed = [
        backup
        for backup in backups
        if (backup.complete and backup.taken_at not in keep)
        or (not backup.complete and backup.taken_at < daily_from)
    ]
    if dry_run:
        return [backup.name for backup in doomed]
    storage = backup_storage()
    deleted = []
    for backup in doomed:
        try:
            # The dump first: a checksum left without its dump is ignored, whereas a dump
            # without its checksum would merely look incomplete.
            storage.delete(backup.name)
            storage.delete(f"{backup.name}{CHECKSUM_SUFFIX}")
        except (BotoCoreError, ClientError) as exc:
            raise s3_failure(
                exc, doing=gettext("deleting %(name)s") % {"name": backup.name}
            ) from None
        deleted.append(backup.name)
    return deleted


class _RestoreConnector(PgDumpBinaryConnector):
    """pg_restore into ``target`` with the default database's server and credentials.

    Ownership and grants are not restored: roles belong to the server, not the
    database, and a restore onto a new server must not fail for want of them.
    """

    pg_options = ["--no-owner", "--no-privileges", "--exit-on-error"]

    def __init__(self, *, target: str):
        super().__init__(DEFAULT_DB_ALIAS)
        self._settings = {**self.settings, "NAME": target}


def _connect(database: str) -> psycopg.Connection:
    config = connections[DEFAULT_DB_ALIAS].settings_dict
    return psycopg.connect(
        dbname=database,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
        connect_timeout=10,
        **{k: v for k, v in (config.get("OPTIONS") or {}).items() if k.startswith("ssl")},
    )


def _user_relations(database: str) -> int:
    """How many tables, views and sequences ``database`` holds outside PostgreSQL's own
    schemas; 0 for a new, empty database."""
    with _connect(database) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
        ).fetchone()[0]


def _database_exists(database: str) -> bool:
    with _connect("postgres") as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
            is not None
        )


def backup_restore(*, name: str, database: str, replace_existing: bool = False) -> BackupRestored:
    """Restore the backup called ``name`` into the PostgreSQL database ``database`` (on the
    configured server; created if missing, once the dump is known to be sound).

    The dump is downloaded and its SHA-256 checked against the recorded one before the
    database is created or touched; a refused or failed restore into a database that
    did not exist leaves none behind. A database that already holds tables is refused unless
    ``replace_existing``; then the dump's objects replace the existing ones. pg_restore
    runs in one transaction: a failed restore changes nothing.
    """
    started = time.monotonic()
    storage = backup_storage()
    known = {backup.name: backup for backup in backups_list()}
    backup = known.get(name)
    if backup is None:
        raise BackupError(
            gettext("There is no backup called %(name)s; `list_backups` shows them.")
            % {"name": name}
        )
    if not backup.complete:
        raise BackupError(
            gettext(
                "%(name)s has no recorded checksum: its upload never completed, so it is not "
                "a backup and will not be restored."
            )
            % {"name": name}
        )

    connections.close_all()  # we may be restoring into the database Django is using
    # Only looks here: the target is created after the checksum matches, so a refused
    # restore leaves no empty database behind.
    try:
        create_target = not _database_exists(database)
        if not create_target and _user_relations(database) and not replace_existing:
            raise BackupError(
                gettext(
                    "The database %(database)s is not empty; nothing was restored. Restore "
                    "into a new database, or pass --replace-existing-data to overwrite it."
                )
                % {"database": database}
            )
    except psycopg.Error as exc:
        raise BackupError(
            gettext("The target database %(database)s could not be used: %(error)s")
            % {"database": database, "error": exc}
        ) from None

    tmp_dir = getattr(settings, "DBBACKUP_TMP_DIR", None)
    with tempfile.TemporaryFile(dir=tmp_dir) as local:
        try:
            recorded = storage.open(f"{name}{CHECKSUM_SUFFIX}", "rb").read().decode().split()[0]
            body = storage.bucket.Object(object_key(storage, name)).get()["Body"]
            digest, size = hashlib.sha256(), 0
            while chunk := body.read(CHUNK_SIZE):
                digest.update(chunk)
                local.write(chunk)
                size += len(chunk)
        except (BotoCoreError, ClientError) as exc:
            raise s3_failure(exc, doing=gettext("downloading %(name)s") % {"name": name}) from None
        if digest.hexdigest() != recorded:
            raise BackupError(
                gettext(
                    "%(name)s does not match its recorded SHA-256: the stored copy is damaged. "
                    "Nothing was restored into %(database)s; try an earlier backup."
                )
                % {"name": name, "database": database}
            )
        local.seek(0)
        try:
            if create_target:
                with _connect("postgres") as conn:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg.Error as exc:
            raise BackupError(
                gettext("The target database %(database)s could not be created: %(error)s")
                % {"database": database, "error": exc}
            ) from None
        try:
            _RestoreConnector(target=database).restore_dump(local)
        except CommandConnectorError as exc:
            if create_target:  # ours and empty: leave the server as we found it
                with _connect("postgres") as conn:
                    conn.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database))
                    )
            raise _pg_failure(
                exc, doing=gettext("pg_restore into %(database)s") % {"database": database}
            ) from None

    tables = _user_relations(database)
    return BackupRestored(
        name=name,
        database=database,
        size=size,
        seconds=time.monotonic() - started,
        tables=tables,
    )
