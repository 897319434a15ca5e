"""The CSV contract of the daily import (docs/ingest.md): its columns, what makes a file or a
row unacceptable, and the reasons a row is rejected. Reading and checking happen here, in
Python, row by row; matching and writing happen set-based in SQL (sql.py)."""

import codecs
import csv
import datetime
import functools
import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from snippets.models import CLIENT_FIELDS, CLIENT_MATCHING_FIELDS, ImmigrationStatus
from snippets.models.client import normalise_phone, normalise_postal_code

from . import messages

REQUIRED_COLUMNS = ("first_name", "last_name", "dob")
# The file's client columns are the client's own (snippets.models.CLIENT_FIELDS), after the
# source's id, then the optional evidence for matching (CLIENT_MATCHING_FIELDS).
CLIENT_COLUMNS = ("uid_external", *CLIENT_FIELDS, *CLIENT_MATCHING_FIELDS)
SERVICE_COLUMNS = (
    "program",
    "enrollment_start",
    "enrollment_end",
    "intake_date",
    "discharge_date",
    "discharge_reason",
)
KNOWN_COLUMNS = CLIENT_COLUMNS + SERVICE_COLUMNS
DATE_COLUMNS = ("dob", "enrollment_start", "enrollment_end", "intake_date", "discharge_date")
SERVICE_DATE_COLUMNS = DATE_COLUMNS[1:]
# The registry's column sizes; a longer cell is refused rather than cut short.
MAX_LENGTHS = {
    "uid_external": 100,
    "first_name": 150,
    "last_name": 150,
    "gender": 100,
    "sexual_orientation": 100,
    "discharge_reason": 300,
    "middle_name": 150,
    "postal_code": 20,
    "street_address": 300,
    "phone": 30,
}
LANGUAGE_MAX_LENGTH = 100
# Any cell, in any column (unknown ones too), longer than this rejects its row. The csv
# module's own cap (131,072) would instead stop reading the file at that row. The reader
# holds one cell at a time, so the cap is lifted for our readers; the import never holds
# the file whole (it streams it, a chunk of rows at a time).
MAX_CELL_LENGTH = 10_000
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
EARLIEST_DOB = datetime.date(1900, 1, 1)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Rows are checked and sent to the database this many at a time: memory stays the same
# whatever the file's size (a chunk's rows, not the file's).
CHUNK_ROWS = 10_000
# Bytes read at a time by the file-level checks.
READ_BLOCK = 1 << 20


class Reject:
    """Why a row was not taken: a stable code (for the rejects file and the summary)."""

    MALFORMED_ROW = "malformed_row"
    DUPLICATE_ROW = "duplicate_row"
    MISSING_REQUIRED = "missing_required"
    BAD_DATE = "bad_date"
    END_BEFORE_START = "end_before_start"
    END_WITHOUT_START = "end_without_start"
    PROGRAM_MISSING = "program_missing"
    UNKNOWN_PROGRAM = "unknown_program"
    UNKNOWN_IMMIGRATION_STATUS = "unknown_immigration_status"
    REASON_WITHOUT_DISCHARGE = "reason_without_discharge"
    TOO_LONG = "too_long"
    BAD_CHARACTER = "bad_character"
    AMBIGUOUS = "ambiguous"
    POSSIBLE_MATCH = "possible_match"


# The reject reasons as people read them (the Imports screen); the codes above stay in
# the rejects file and the summary.
REJECT_LABELS = {
    Reject.MALFORMED_ROW: _("Malformed row"),
    Reject.DUPLICATE_ROW: _("Duplicate row"),
    Reject.MISSING_REQUIRED: _("Required cell empty"),
    Reject.BAD_DATE: _("Bad date"),
    Reject.END_BEFORE_START: _("End before start"),
    Reject.END_WITHOUT_START: _("End without start"),
    Reject.PROGRAM_MISSING: _("Program missing"),
    Reject.UNKNOWN_PROGRAM: _("Unknown program"),
    Reject.UNKNOWN_IMMIGRATION_STATUS: _("Unknown immigration status"),
    Reject.REASON_WITHOUT_DISCHARGE: _("Discharge reason without a discharge date"),
    Reject.TOO_LONG: _("Value too long"),
    Reject.BAD_CHARACTER: _("Character not allowed"),
    Reject.AMBIGUOUS: _("Ambiguous match"),
    Reject.POSSIBLE_MATCH: _("Possible match, for a person to review"),
}


def reject_label(code: str) -> str:
    """The reason ``code`` in words; an unknown code as it is."""
    return str(REJECT_LABELS.get(code, code))


class FileFault(Exception):
    """The whole file is refused: nothing is written. The message names the problem."""


@dataclass
class StagedRow:
    """One data row, checked and typed, ready for COPY into the staging table.

    ``digest`` identifies the row's trimmed cells: the database finds rows that appear
    earlier in the file (duplicate_row) across the whole file, so the reader keeps no
    memory of the rows it has passed. None when the row was rejected before its cells were
    compared (malformed, a NUL byte, an over-long cell), as such a row is never a duplicate.
    """

    row_number: int
    cells: list[str]
    values: dict = field(default_factory=dict)
    reject_reason: str | None = None
    reject_message: str | None = None
    digest: str | None = None

    def reject(self, reason: str, message: str) -> None:
        # The first fault found is the one reported: fix it and the next one shows.
        if self.reject_reason is None:
            self.reject_reason, self.reject_message = reason, message


@dataclass
class CsvFile:
    """A file that passed the file-level checks, with the columns it carries. It holds no
    rows: each pass over them reads the file again from disk."""

    path: str
    sha256: str
    header: list[str]
    columns: dict[str, int]  # known column name -> position
    unknown_columns: list[str]

    @functools.cached_property
    def positions(self) -> list[tuple[str, int | None]]:
        """Each known column with its position in the file (None when it is absent)."""
        return [(name, self.columns.get(name)) for name in KNOWN_COLUMNS]

    def chunks(
        self, *, programs: dict[str, str], size: int = CHUNK_ROWS
    ) -> Iterator[list[StagedRow]]:
        """The data rows, checked, ``size`` at a time (the last chunk may be shorter).
        ``programs`` maps a program's lower-case name to its id. Raises FileFault when the
        CSV quoting breaks (the caller's transaction then rolls back what was sent)."""
        rows = self.raw_rows()
        while chunk := list(itertools.islice(rows, size)):
            staged = []
            for row_number, cells in chunk:
                row = StagedRow(row_number=row_number, cells=cells)
                _check_row(row, self, programs=programs)
                staged.append(row)
            yield staged

    def raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) of each data row, as written, read from the file as it goes.
        The header is row 1, as in a spreadsheet; blank lines are not rows and have no
        number."""
        with open(self.path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            row_number = 1
            try:
                next(reader)  # the header, checked by read_csv_file
                for cells in reader:
                    if not cells or cells == [""]:
                        continue
                    row_number += 1
                    yield row_number, cells
            except csv.Error as exc:
                raise FileFault(
                    messages.text(messages.NOT_CSV_NEAR_ROW, row=row_number + 1, error=exc)
                ) from exc


def read_csv_file(path: str) -> CsvFile:
    """Check ``path`` as a whole: readable, UTF-8, a header with the required columns and no
    duplicates, at least one row. Raises FileFault otherwise.

    One pass over the bytes, a block at a time (SHA-256 and UTF-8 together), then the
    header: the file is never held in memory. Broken quoting further down is found while
    the rows are read (CsvFile.chunks), inside the import's transaction.
    """
    sha256 = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    position, has_text = 0, False
    try:
        with open(path, "rb") as handle:
            while True:
                block = handle.read(READ_BLOCK)
                try:
                    text = decoder.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    raise FileFault(
                        messages.text(
                            messages.NOT_UTF8, path=path, position=str(position + exc.start)
                        )
                    ) from exc
                if not block:
                    break
                sha256.update(block)
                has_text = has_text or (bool(text) and not text.isspace())
                position += len(block)
    except OSError as exc:
        raise FileFault(
            messages.text(messages.CANNOT_READ, path=path, error=exc.strerror or exc)
        ) from exc
    if not has_text:
        raise FileFault(messages.text(messages.EMPTY_FILE, path=path))

    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle, strict=True))
        except csv.Error as exc:
            raise FileFault(messages.text(messages.HEADER_NOT_CSV, path=path, error=exc)) from exc
        # Anything but blank lines after the header (the rows are checked as they are read).
        has_rows = any(not line.isspace() for line in handle)
    names = [name.strip().lower() for name in header]
    duplicates = sorted({name for name in names if name and names.count(name) > 1})
    if duplicates:
        raise FileFault(messages.text(messages.DUPLICATE_COLUMNS, columns=", ".join(duplicates)))
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise FileFault(
            messages.text(
                messages.MISSING_COLUMNS,
                missing=", ".join(missing),
                columns=", ".join(n for n in names if n) or messages.NO_COLUMNS,
            )
        )
    columns = {name: i for i, name in enumerate(names) if name in KNOWN_COLUMNS}
    unknown = [
        header[i].strip() or gettext("(unnamed column %(number)s)") % {"number": i + 1}
        for i, n in enumerate(names)
    ]
    unknown = [u for u, n in zip(unknown, names, strict=True) if n not in KNOWN_COLUMNS]
    if not has_rows:
        raise FileFault(messages.text(messages.NO_ROWS, path=path))
    return CsvFile(
        path=path,
        sha256=sha256.hexdigest(),
        header=header,
        columns=columns,
        unknown_columns=unknown,
    )


def immigration_status_codes() -> dict[str, str]:
    """Accepted spellings, lower-cased: the stored code or the label shown in the admin."""
    codes = {}
    for value, label in ImmigrationStatus.choices:
        codes[value.lower()] = value
        codes[str(label).lower()] = value
    return codes


IMMIGRATION_STATUS_CODES = immigration_status_codes()


def _check_row(row: StagedRow, csv_file: CsvFile, *, programs) -> None:
    """Fill row.values from the cells, or mark the row rejected with the first fault."""
    width = len(csv_file.header)
    if len(row.cells) != width:
        row.reject(
            Reject.MALFORMED_ROW,
            messages.text(messages.MALFORMED_ROW, cells=len(row.cells), width=width),
        )
        return
    for position, cell in enumerate(row.cells):
        # PostgreSQL text cannot hold NUL, so such a cell would abort the whole import.
        name = csv_file.header[position].strip() or f"column {position + 1}"
        if "\x00" in cell:
            row.reject(Reject.BAD_CHARACTER, messages.text(messages.NUL_CHARACTER, name=name))
            return
        if len(cell) > MAX_CELL_LENGTH:
            row.reject(
                Reject.TOO_LONG,
                messages.text(
                    messages.CELL_TOO_LONG, name=name, length=len(cell), limit=MAX_CELL_LENGTH
                ),
            )
            return
    cells = [c.strip() for c in row.cells]
    # 16 bytes, written as a uuid: the staging table compares rows by it (sql.py).
    row.digest = hashlib.blake2b("\x1f".join(cells).encode(), digest_size=16).hexdigest()

    # An empty cell never erases data: it means "no value", as does a missing column.
    values = {
        name: (cells[position] or None) if position is not None else None
        for name, position in csv_file.positions
    }
    for name in REQUIRED_COLUMNS:
        if values[name] is None:
            row.reject(Reject.MISSING_REQUIRED, messages.text(messages.REQUIRED_EMPTY, name=name))
    for name, limit in MAX_LENGTHS.items():
        if values[name] is not None and len(values[name]) > limit:
            row.reject(
                Reject.TOO_LONG, messages.text(messages.VALUE_TOO_LONG, name=name, limit=limit)
            )

    for name in DATE_COLUMNS:
        raw = values[name]
        if raw is None:
            continue
        if not ISO_DATE.match(raw):
            row.reject(Reject.BAD_DATE, messages.text(messages.NOT_ISO_DATE, name=name))
            continue
        try:
            values[name] = datetime.date.fromisoformat(raw)
        except ValueError:
            row.reject(
                Reject.BAD_DATE, messages.text(messages.NOT_A_REAL_DATE, name=name, value=raw)
            )
    dob = values["dob"]
    if isinstance(dob, datetime.date) and not EARLIEST_DOB <= dob <= datetime.date.today():
        row.reject(Reject.BAD_DATE, messages.DOB_OUT_OF_RANGE)

    start, end = values["enrollment_start"], values["enrollment_end"]
    if end is not None and start is None:
        row.reject(Reject.END_WITHOUT_START, messages.END_WITHOUT_START)
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        row.reject(Reject.END_BEFORE_START, messages.END_BEFORE_START)
    if values["discharge_reason"] is not None and values["discharge_date"] is None:
        row.reject(Reject.REASON_WITHOUT_DISCHARGE, messages.REASON_WITHOUT_DISCHARGE)

    program = values.pop("program")
    values["program_id"] = None
    if program is not None:
        values["program_id"] = programs.get(program.lower())
        if values["program_id"] is None:
            row.reject(Reject.UNKNOWN_PROGRAM, messages.UNKNOWN_PROGRAM)
    elif any(values[name] is not None for name in SERVICE_DATE_COLUMNS):
        row.reject(Reject.PROGRAM_MISSING, messages.PROGRAM_MISSING)

    status = values["immigration_status"]
    if status is not None:
        values["immigration_status"] = IMMIGRATION_STATUS_CODES.get(status.lower())
        if values["immigration_status"] is None:
            row.reject(Reject.UNKNOWN_IMMIGRATION_STATUS, messages.UNKNOWN_IMMIGRATION_STATUS)

    if values["postal_code"] is not None:
        values["postal_code"] = normalise_postal_code(values["postal_code"])
    if values["phone"] is not None:
        values["phone"] = normalise_phone(values["phone"]) or None

    languages = values["languages"]
    if languages is not None:
        parts = list(dict.fromkeys(p.strip() for p in languages.split(";") if p.strip()))
        if any(len(p) > LANGUAGE_MAX_LENGTH for p in parts):
            row.reject(
                Reject.TOO_LONG,
                messages.text(messages.LANGUAGE_TOO_LONG, limit=LANGUAGE_MAX_LENGTH),
            )
        values["languages"] = parts or None
    row.values = values
