"""The fields the linkage compares, one declaration: for each, the SQL that gives its
level for a pair (``r`` is the row or first client, ``c`` the candidate client) and the
levels' names as the evidence shows them. Level NULL means a side has no value."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    levels: tuple[str, ...]  # index = level; 0 is "different"
    sql: str = ""
    term_frequency: bool = False  # exact agreement weighed by how common the value is


NAME_LEVELS = ("different", "same initial", "sounds alike", "typo", "exact")
# A first name may also be a usual short form of the other (nicknames.csv): Bob and
# Robert, Sasha and Alexander. It is its own level, between a typo and exact agreement.
FIRST_NAME_LEVELS = ("different", "same initial", "sounds alike", "typo", "nickname", "exact")

FIELDS = (
    Field("first_name", "first name", FIRST_NAME_LEVELS, term_frequency=True),
    Field("last_name", "last name", NAME_LEVELS, term_frequency=True),
    Field(
        "dob",
        "date of birth",
        (
            "different",
            "same year",
            "two digits off",
            "one digit wrong or two swapped",
            "day and month swapped",
            "exact",
        ),
        "registry_dob_level(r.dob, c.dob)",
    ),
    Field(
        "middle_name",
        "middle name",
        ("different", "initial", "exact"),
        "registry_middle_level(r.middle_name, c.middle_name)",
    ),
    Field(
        "postal_code",
        "postal code",
        ("different", "same area", "exact"),
        "registry_postal_level(r.postal_code, c.postal_code)",
    ),
    Field(
        "street_address",
        "street address",
        ("different", "alike", "exact"),
        "registry_street_level(r.street_address, c.street_address)",
    ),
    Field(
        "phone",
        "phone",
        ("different", "last seven digits", "exact"),
        "registry_phone_level(r.phone, c.phone)",
    ),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
BY_NAME = {f.name: f for f in FIELDS}
# What a record side must provide to be compared (the rows table's columns).
RECORD_COLUMNS = (
    "first_name",
    "middle_name",
    "last_name",
    "dob",
    "postal_code",
    "street_address",
    "phone",
)


def evidence_text(evidence: list[dict]) -> str:
    """ "last name: exact, rare; first name: typo; date of birth: day and month swapped"."""
    parts = []
    for item in evidence:
        field = BY_NAME.get(item["field"])
        label = field.label if field else item["field"]
        text = f"{label}: {item['level']}"
        if item.get("note"):
            text += f", {item['note']}"
        parts.append(text)
    return "; ".join(parts)
