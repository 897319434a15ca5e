"""The retention rule over simulated years of nightly backups (no storage involved)."""

import datetime

import pytest

from backups.retention import RetentionPolicy, backups_to_keep

UTC = datetime.UTC


def nightly(start: datetime.date, end: datetime.date) -> list[datetime.datetime]:
    days = (end - start).days + 1
    return [
        datetime.datetime.combine(start + datetime.timedelta(days=n), datetime.time(7, 30), UTC)
        for n in range(days)
    ]


def test_twelve_years_of_nightly_backups_pruned_every_night_keep_exactly_the_expected_set():
    policy = RetentionPolicy()
    kept: set[datetime.datetime] = set()
    # Twelve years of 02:30 Toronto (07:30 UTC) backups, pruned after each one.
    for moment in nightly(datetime.date(2014, 1, 1), datetime.date(2025, 12, 31)):
        kept = backups_to_keep(taken_at=kept | {moment}, now=moment, policy=policy)

    now = datetime.datetime(2025, 12, 31, 7, 30, tzinfo=UTC)
    last_35_days = set(nightly(datetime.date(2025, 11, 26), datetime.date(2025, 12, 31)))
    first_of_each_month_for_ten_years = {
        datetime.datetime(year, month, 1, 7, 30, tzinfo=UTC)
        for year in range(2016, 2026)
        for month in range(1, 13)
    }
    assert kept == last_35_days | first_of_each_month_for_ten_years
    assert len(last_35_days) == 36 and len(first_of_each_month_for_ten_years) == 120
    assert len(kept) == 155  # 1 December 2025 is in both
    # Pruning once at the end gives the same answer as pruning every night.
    everything = nightly(datetime.date(2014, 1, 1), datetime.date(2025, 12, 31))
    assert backups_to_keep(taken_at=everything, now=now, policy=policy) == kept


def test_a_monthly_backup_is_kept_ten_years_to_the_day_and_then_deleted():
    policy = RetentionPolicy()
    monthly = datetime.datetime(2016, 3, 1, 7, 30, tzinfo=UTC)
    newer = datetime.datetime(2026, 3, 1, 7, 30, tzinfo=UTC)

    on_the_day = backups_to_keep(taken_at=[monthly, newer], now=newer, policy=policy)
    day_after = backups_to_keep(
        taken_at=[monthly, newer], now=newer + datetime.timedelta(days=1), policy=policy
    )

    assert monthly in on_the_day
    assert monthly not in day_after


def test_the_newest_backup_is_kept_however_old_it_is():
    # Backups stopped eleven years ago: the last one is all there is, so it stays.
    old = nightly(datetime.date(2014, 1, 1), datetime.date(2014, 1, 20))
    now = datetime.datetime(2025, 1, 20, tzinfo=UTC)

    assert backups_to_keep(taken_at=old, now=now, policy=RetentionPolicy()) == {old[-1]}


def test_the_first_backup_of_a_month_is_the_monthly_one_even_when_the_first_night_failed():
    taken = nightly(datetime.date(2024, 5, 3), datetime.date(2024, 6, 30))
    now = datetime.datetime(2024, 12, 1, tzinfo=UTC)

    kept = backups_to_keep(taken_at=taken, now=now, policy=RetentionPolicy())

    assert kept == {taken[0], datetime.datetime(2024, 6, 1, 7, 30, tzinfo=UTC), taken[-1]}


def test_retention_can_be_longer_but_never_shorter_than_the_minimum():
    taken = nightly(datetime.date(2012, 1, 1), datetime.date(2025, 12, 31))
    now = taken[-1]
    twelve_years = backups_to_keep(
        taken_at=taken, now=now, policy=RetentionPolicy(daily_days=60, monthly_years=12)
    )
    assert datetime.datetime(2014, 1, 1, 7, 30, tzinfo=UTC) in twelve_years
    assert len([m for m in twelve_years if m.day == 1]) == 12 * 12  # 2014-01 to 2025-12
    assert (
        datetime.datetime(2025, 11, 1, 7, 30, tzinfo=UTC) + datetime.timedelta(days=1)
        in twelve_years
    )  # a plain nightly, 60 days old

    with pytest.raises(ValueError, match="at least 10 years"):
        RetentionPolicy(monthly_years=9)
    with pytest.raises(ValueError, match="at least 35 days"):
        RetentionPolicy(daily_days=30)
