"""Pruning by the retention rule, in a real bucket: what the dry run lists is exactly what
the real run deletes, and nothing the rule keeps is touched."""

import datetime

import pytest
from django.core.management import call_command

from tests.backups.conftest import stored_names

UTC = datetime.UTC


def _put_backup(s3, bucket, moment: datetime.datetime, *, complete: bool = True) -> str:
    name = f"registry-{moment:%Y%m%dT%H%M%SZ}.dump"
    s3.put_object(Bucket=bucket, Key=f"registry-backups/{name}", Body=b"PGDMP")
    if complete:
        s3.put_object(Bucket=bucket, Key=f"registry-backups/{name}.sha256", Body=b"x  y\n")
    return name


@pytest.fixture
def eleven_years(s3, bucket):
    """Backups as a bucket holds them after years of use, from the 1st and 15th of each of
    the last 132 months, and every night of the last 50 days; plus leftovers."""
    now = datetime.datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    moments = {midnight - datetime.timedelta(days=n, hours=-7, minutes=-30) for n in range(1, 51)}
    year, month = now.year, now.month
    for _ in range(132):
        moments |= {datetime.datetime(year, month, day, 7, 30, tzinfo=UTC) for day in (1, 15)}
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    moments = {moment for moment in moments if moment < now}
    names = {moment: _put_backup(s3, bucket, moment) for moment in moments}
    stale = _put_backup(s3, bucket, now - datetime.timedelta(days=40, hours=1), complete=False)
    fresh = _put_backup(s3, bucket, now - datetime.timedelta(days=2, hours=1), complete=False)
    s3.put_object(Bucket=bucket, Key="registry-backups/README.txt", Body=b"not a backup")

    ten_years_ago = now.replace(year=now.year - 10)
    thirty_five_days_ago = now - datetime.timedelta(days=35)
    expected_deleted = {
        name
        for moment, name in names.items()
        if moment < thirty_five_days_ago and not (moment.day == 1 and moment >= ten_years_ago)
    } | {stale}
    return {"expected_deleted": expected_deleted, "fresh_incomplete": fresh}


def test_dry_run_lists_what_the_rule_would_delete_and_deletes_nothing(
    backup_settings, eleven_years, s3, bucket, capsys
):
    before = stored_names(s3, bucket)

    call_command("prune_backups", dry_run=True)

    output = capsys.readouterr().out
    listed = {line.removeprefix("Would delete ") for line in output.splitlines()[:-1]}
    assert listed == eleven_years["expected_deleted"]
    assert stored_names(s3, bucket) == before


def test_pruning_deletes_exactly_those_with_their_checksums_and_nothing_else(
    backup_settings, eleven_years, s3, bucket
):
    before = stored_names(s3, bucket)
    doomed = eleven_years["expected_deleted"]

    call_command("prune_backups")

    after = stored_names(s3, bucket)
    assert after == before - doomed - {f"{name}.sha256" for name in doomed}
    assert "README.txt" in after
    assert eleven_years["fresh_incomplete"] in after  # may still be finishing
    monthly = sorted(name for name in after if name.endswith("01T073000Z.dump"))
    assert len(monthly) == 120  # ten years of monthly backups


def test_a_successful_backup_prunes_afterwards(backup_settings, eleven_years, s3, bucket, capsys):
    call_command("backup_database")

    output = capsys.readouterr().out
    pruned = {
        line.removeprefix("Pruned ").removesuffix(" (past its retention).")
        for line in output.splitlines()
        if line.startswith("Pruned ")
    }
    assert pruned == eleven_years["expected_deleted"]
    new = [name for name in stored_names(s3, bucket) if name not in pruned]
    assert any(output.startswith(f"Backed up to {name}") for name in new)
