"""The client fields that say who a person is: compared side by side in "Possible matches"
and chosen one by one when two records are merged.

The optional contact fields (middle name, postal code, street address, phone) come with the
probabilistic matching of issue 11; they are used here only when the Client model has them.
"""

from django.core.exceptions import FieldDoesNotExist

from snippets.models import Client

# In the order a person reads them. Each is both a Client field and a CSV contract column
# (ingest/contract.py), except extra_demographics, which only records carry.
IDENTITY_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "dob",
    "gender",
    "languages",
    "sexual_orientation",
    "immigration_status",
    "postal_code",
    "street_address",
    "phone",
)
# Chosen side by side in a merge: the identity fields and the agency's own questions.
MERGE_FIELDS = (*IDENTITY_FIELDS, "extra_demographics")


def client_has_field(name: str) -> bool:
    try:
        Client._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def identity_fields() -> list[str]:
    """The identity fields this registry's Client model has."""
    return [name for name in IDENTITY_FIELDS if client_has_field(name)]


def merge_fields() -> list[str]:
    return [name for name in MERGE_FIELDS if client_has_field(name)]


def field_label(name: str) -> str:
    return str(Client._meta.get_field(name).verbose_name).capitalize()


def display(client: Client, name: str) -> str:
    """A client's value as a person reads it ("—" when empty)."""
    value = getattr(client, name, None)
    if name == "immigration_status" and value:
        return client.get_immigration_status_display()
    if name == "dob" and value:
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "—"
    return str(value) if value not in (None, "") else "—"


def comparable(text: str) -> str:
    """Case, spaces and punctuation do not make two values differ."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
