"""Paging for admin lists of millions of rows.

An exact COUNT(*) over a city's 5,000,000 enrollments reads every row on every page view,
and so does OFFSET to the last page. The lists count exactly up to ``EXACT_UP_TO`` matches
(a count of at most that many rows, however large the table). Beyond it, or when
PostgreSQL expects far more matches than that, they show PostgreSQL's own estimate ("about
1,000,000 clients") and offer pages only as far as ``PAGES_IN_REACH``: past that, staff
filter or search instead of paging.
"""

import json

from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext
from wagtail.admin.paginator import WagtailPaginator

EXACT_UP_TO = 10_000
# Above this many estimated matches the estimate is shown without counting at all.
TRUST_ESTIMATE_OVER = 5 * EXACT_UP_TO
PAGES_IN_REACH = 200


def about(number: int) -> str:
    """``number`` rounded to two significant figures, with thousands separators."""
    if number < 100:
        return f"{number:,}"
    digits = 10 ** (len(str(number)) - 2)
    return f"{round(number / digits) * digits:,}"


def planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` returns (EXPLAIN, nothing is run)."""
    query = queryset.order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatingPaginator(WagtailPaginator):
    """A Wagtail paginator whose count is exact up to ``EXACT_UP_TO`` and estimated above
    it; ``is_estimate`` says which, and ``items_count_label`` reads "About 1,000,000
    clients" for an estimate."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return len(queryset), False
        # The planner's estimate costs no rows. Well past the limit, it is the answer:
        # even a count stopped at the limit would read the matches by the ten thousand.
        estimate = planner_estimate(queryset)
        if estimate > TRUST_ESTIMATE_OVER:
            return estimate, True
        # COUNT over a LIMIT: never more than EXACT_UP_TO + 1 rows, whatever the filter.
        exact = queryset.order_by().values("pk")[: EXACT_UP_TO + 1].count()
        if exact <= EXACT_UP_TO:
            return exact, False
        return max(estimate, EXACT_UP_TO + 1), True

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def is_estimate(self) -> bool:
        return self._counted[1]

    @cached_property
    def num_pages(self) -> int:
        pages = super().num_pages
        return min(pages, PAGES_IN_REACH) if self.is_estimate else pages

    @cached_property
    def items_count_label(self):
        if not self.is_estimate:
            return super().items_count_label
        return gettext("About %(count)s %(items)s") % {
            "count": about(self.count),
            "items": self.verbose_name_plural,
        }

    @property
    def about_count(self) -> str:
        """The estimated count as the list's heading says it: "1,000,000"."""
        return about(self.count)
