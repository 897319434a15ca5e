"""The one CSV writer for every report export.

- UTF-8 with a byte-order mark, so Excel opens accented names and "—" correctly.
- Cells a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
  return that hides one) are prefixed with an apostrophe; numbers are written as numbers,
  so a negative vacancy stays a number.
- Streamed: rows are written as they are produced, so memory stays flat however long the
  report is.
"""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A value made safe for a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterable[str]:
    """Encoded CSV lines (BOM first) for ``rows``, produced one at a time."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(*, filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Stream ``rows`` as a CSV download named ``filename``."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Reports hold figures about people: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
