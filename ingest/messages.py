"""The sentences the import stores: the detail of each rejected row (the rejects file) and
why a run failed (IngestRun.error).

They are written at import time, with no reader yet, so they are stored in English, the
language of the code and of the CSV contract, filled in from one of the templates below.
Shown to a person (the Imports screen, the rejects file they download), a stored sentence
is matched back to its template and given in that person's language with the same values
(``in_reader_language``). Sentences stored before this module existed are the same
English ones, so they translate too; a sentence no template matches (a database error's
own words) is shown as stored.

Templates are marked with ``gettext_noop``: makemessages puts them in the catalogue, and
nothing is translated when they are written.
"""

import functools
import re

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

# --- A row's reject detail (contract.py checks each row; sql.py matches them) ----------
MALFORMED_ROW = gettext_noop("The row has %(cells)s cells; the header has %(width)s.")
NUL_CHARACTER = gettext_noop(
    "%(name)s holds a NUL character (a zero byte), which no text may contain."
)
CELL_TOO_LONG = gettext_noop(
    "%(name)s is %(length)s characters long; no cell may exceed %(limit)s."
)
REQUIRED_EMPTY = gettext_noop("The required cell %(name)s is empty.")
VALUE_TOO_LONG = gettext_noop("%(name)s is longer than %(limit)s characters.")
LANGUAGE_TOO_LONG = gettext_noop("A language is longer than %(limit)s characters.")
NOT_ISO_DATE = gettext_noop("%(name)s is not a date in the form YYYY-MM-DD.")
NOT_A_REAL_DATE = gettext_noop("%(name)s is not a real date (%(value)s).")
DOB_OUT_OF_RANGE = gettext_noop("dob is before 1900-01-01 or in the future.")
END_WITHOUT_START = gettext_noop(
    "enrollment_end is given without enrollment_start, which identifies the enrollment."
)
END_BEFORE_START = gettext_noop("enrollment_end is before enrollment_start.")
REASON_WITHOUT_DISCHARGE = gettext_noop(
    "discharge_reason is given without discharge_date, which identifies the discharge."
)
UNKNOWN_PROGRAM = gettext_noop("No live program has this name.")
PROGRAM_MISSING = gettext_noop("Service dates are given but program is empty.")
UNKNOWN_IMMIGRATION_STATUS = gettext_noop(
    "immigration_status is not on the registry's list (see docs/ingest.md)."
)
DUPLICATE_ROW = gettext_noop("The same row appears earlier in the file.")
SOURCE_ID_OTHER_PERSON = gettext_noop(
    "The client with this id from this source has other names and date of birth; a person "
    "must decide."
)
PERHAPS_A_CLIENT = gettext_noop(
    "Perhaps an existing client (see the candidates); a person must decide."
)
IDS_SHARE_A_CLIENT = gettext_noop(
    "Rows with different ids from this source match the same client; a person must choose."
)
SAME_PERSON_SEVERAL_IDS = gettext_noop(
    "Several rows in this file have this name and date of birth with different ids; a person "
    "must decide."
)
ID_SPLIT = gettext_noop(
    "Rows with this id lead to different clients (or one was rejected); a person must decide."
)

# --- Why a whole file or run was refused (FileFault, IngestRun.error) -------------------
NOT_CSV_NEAR_ROW = gettext_noop(
    "The file is not valid CSV near row %(row)s: %(error)s. Nothing was imported."
)
NOT_UTF8 = gettext_noop(
    "%(path)s is not UTF-8 text (invalid byte at position %(position)s). Export the file as "
    "UTF-8 (CSV UTF-8 in Excel)."
)
CANNOT_READ = gettext_noop("Cannot read %(path)s: %(error)s.")
EMPTY_FILE = gettext_noop("%(path)s is empty: there is no header and no rows.")
HEADER_NOT_CSV = gettext_noop("The header row of %(path)s is not valid CSV: %(error)s.")
DUPLICATE_COLUMNS = gettext_noop("The header names these columns more than once: %(columns)s.")
MISSING_COLUMNS = gettext_noop(
    "The header lacks the required column(s) %(missing)s; it has: %(columns)s."
)
NO_COLUMNS = gettext_noop("nothing")
NO_ROWS = gettext_noop("%(path)s has a header but no rows.")
BAD_SOURCE_NAME = gettext_noop(
    "--source must be a system name in capitals such as SMIS, not %(source)s."
)
UNKNOWN_SOURCE = gettext_noop(
    "%(source)s is not a known source system; the known ones are %(known)s (an Administrator "
    "adds one under Settings > Source systems)."
)
UNEXPECTED_ERROR = gettext_noop("The import stopped on an error and wrote nothing: %(error)s")

TEMPLATES = tuple(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
# Values a template may hold whose words are the template's own (not data).
WORDS = (NO_COLUMNS,)


def text(template: str, **params) -> str:
    """The sentence to store: ``template`` filled in, in English. Whole numbers are
    written with thousands separators ("10,000"), as the reader's language writes them
    again when shown."""
    return template % {
        key: f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in params.items()
    }


def in_reader_language(stored: str) -> str:
    """A stored sentence in the active language, with the values it holds; one that no
    template matches (or an empty one) as it is."""
    if not stored:
        return stored
    for template, pattern in _patterns():
        match = pattern.fullmatch(stored)
        if match:
            return gettext(template) % {
                key: _value_in_reader_language(value) for key, value in match.groupdict().items()
            }
    return stored


def _value_in_reader_language(value: str) -> str:
    if re.fullmatch(r"\d{1,3}(,\d{3})+", value):
        return number_format(int(value.replace(",", "")), force_grouping=True)
    if value in WORDS:
        return gettext(value)
    return value


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Each template as a pattern whose groups are its values; the templates with the most
    fixed words first, so "A language is longer than …" wins over "%(name)s is longer than
    …"."""
    compiled = []
    for template in TEMPLATES:
        if "%(" not in template:
            compiled.append((template, re.compile(re.escape(template))))
            continue
        pattern, seen, position = "", set(), 0
        for placeholder in re.finditer(r"%\((\w+)\)s", template):
            pattern += re.escape(template[position : placeholder.start()])
            name = placeholder.group(1)
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
            position = placeholder.end()
        pattern += re.escape(template[position:])
        compiled.append((template, re.compile(pattern, re.DOTALL)))
    fixed = {t: len(re.sub(r"%\(\w+\)s", "", t)) for t in TEMPLATES}
    return sorted(compiled, key=lambda item: -fixed[item[0]])


def sql_literal(template: str) -> str:
    """A template with no values as an SQL string literal (sql.py writes these itself)."""
    assert "%" not in template, template
    return "'" + template.replace("'", "''") + "'"
