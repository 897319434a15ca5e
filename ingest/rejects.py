"""The rejects file as a person downloads it: in that person's language.

The import writes the file on the server in English (services._write_rejects): the
columns ``reject_row, reject_reason, reject_message, candidate_client_ids`` (the reason a
stable code, the message an English sentence from ingest.messages), then the row's cells
as they came. The download keeps that layout and the cells as entered, and gives the
four column names, the reason and the message in the downloader's language, so the file
can still be corrected and imported again (the import ignores columns it does not know).
"""

import csv
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import pgettext_lazy

from .contract import reject_label
from .messages import in_reader_language
from .services import REJECT_COLUMNS

BOM = "\ufeff"
COLUMN_LABELS = {
    "reject_row": pgettext_lazy("rejects file column", "reject_row"),
    "reject_reason": pgettext_lazy("rejects file column", "reject_reason"),
    "reject_message": pgettext_lazy("rejects file column", "reject_message"),
    "candidate_client_ids": pgettext_lazy("rejects file column", "candidate_client_ids"),
}


class _Echo:
    def write(self, value):
        return value


def rejects_in_reader_language(path: Path) -> Iterator[bytes]:
    """The file's lines, UTF-8 with a byte-order mark (so a spreadsheet reads accents),
    one at a time: memory stays flat however many rows it has. A file not in the import's
    layout (older or made by hand) is given unchanged."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or header[: len(REJECT_COLUMNS)] != REJECT_COLUMNS:
            handle.seek(0)
            while block := handle.read(1 << 16):
                yield block.encode()
            return
        writer = csv.writer(_Echo())
        named = [str(COLUMN_LABELS[name]) for name in REJECT_COLUMNS]
        yield (BOM + writer.writerow(named + header[len(REJECT_COLUMNS) :])).encode()
        for row in reader:
            if len(row) >= 3:
                row[1] = reject_label(row[1])
                row[2] = in_reader_language(row[2])
            yield writer.writerow(row).encode()
