"""Which database backups to keep: the agency's retention rule as a pure function.

The rule (issue 7, ticket 21):
- every backup is kept for ``daily_days`` days (35 by default);
- the first backup of each calendar month (UTC) is kept for ``monthly_years`` years, at
  least 10: records about clients must be recoverable for ten years;
- the newest backup is never deleted, however old it is.

It takes only timestamps and the current time, so it can be checked over a simulated
twelve years without any storage.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

MINIMUM_DAILY_DAYS = 35
MINIMUM_MONTHLY_YEARS = 10


@dataclass(frozen=True)
class RetentionPolicy:
    daily_days: int = MINIMUM_DAILY_DAYS
    monthly_years: int = MINIMUM_MONTHLY_YEARS

    def __post_init__(self):
        # The minimums are the agency's obligations, not preferences: refuse a shorter rule
        # rather than quietly delete what must be kept.
        if self.daily_days < MINIMUM_DAILY_DAYS:
            raise ValueError(
                gettext("Nightly backups must be kept at least %(minimum)s days, not %(days)s.")
                % {"minimum": MINIMUM_DAILY_DAYS, "days": self.daily_days}
            )
        if self.monthly_years < MINIMUM_MONTHLY_YEARS:
            raise ValueError(
                gettext("Monthly backups must be kept at least %(minimum)s years, not %(years)s.")
                % {"minimum": MINIMUM_MONTHLY_YEARS, "years": self.monthly_years}
            )


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same calendar day and time ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def backups_to_keep(
    *,
    taken_at: Iterable[datetime.datetime],
    now: datetime.datetime,
    policy: RetentionPolicy,
) -> set[datetime.datetime]:
    """The subset of ``taken_at`` (aware datetimes) that ``policy`` keeps at ``now``.

    Everything not returned may be deleted. Backups dated after ``now`` (a clock set
    wrong) are kept, since nothing is known about them.
    """
    taken = sorted(set(taken_at))
    if not taken:
        return set()
    keep = {taken[-1]}  # the newest, always
    daily_from = now - datetime.timedelta(days=policy.daily_days)
    monthly_from = years_before(now, policy.monthly_years)
    first_of_month: dict[tuple[int, int], datetime.datetime] = {}
    for moment in taken:
        utc = moment.astimezone(datetime.UTC)
        first_of_month.setdefault((utc.year, utc.month), moment)
        if moment >= daily_from:
            keep.add(moment)
    keep.update(moment for moment in first_of_month.values() if moment >= monthly_from)
    return keep
