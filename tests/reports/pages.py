"""Reading a report as a user sees it: the tables on the page and the rows of the CSV."""

import csv
import io
from html.parser import HTMLParser


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.captions: dict[str, str] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._in_caption = False
        self._skip_header = False
        self._skipping = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            # A report split over several tables with one key (the Vacancy Tracker, one per
            # department) reads as one: the later tables' header rows are left out.
            self._table = attrs["data-table"]
            self._skip_header = self._table in self.tables
            self.tables.setdefault(self._table, [])
        elif self._table and tag == "thead" and self._skip_header:
            self._skipping = True
        elif self._table and tag == "caption":
            self._in_caption = True
            self.captions[self._table] = ""
        elif self._table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "thead":
            self._skipping = False
        elif tag == "caption":
            self._in_caption = False
        elif tag == "tr" and self._row is not None:
            if self._row and self._table and not self._skipping:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.captions[self._table] += data.strip()
        elif self._cell is not None:
            self._cell += data


def screen_tables(response) -> dict[str, list[list[str]]]:
    """Every report table on the page, by its key, as rows of cell texts (header first)."""
    reader = _TableReader()
    reader.feed(response.content.decode())
    return reader.tables


def screen_table(response, key: str) -> dict[str, list[str]]:
    """One table's body rows keyed by their first cell (the header row left out)."""
    rows = screen_tables(response)[key]
    return {row[0]: row[1:] for row in rows[1:]}


def csv_rows(response) -> list[list[str]]:
    """A streamed CSV download read back as text rows, checking the BOM Excel needs."""
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "the CSV must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
