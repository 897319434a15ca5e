"""Writes to registry data made by the admin screens (beyond Wagtail's own save/publish)."""

from .models import Client, ClientRecordAccess


def client_access_record(*, staff, client: Client, view: str) -> ClientRecordAccess:
    """Log that ``staff`` opened ``client``'s record (``view``: record or edit)."""
    return ClientRecordAccess.objects.create(staff=staff, client=client, view=view)
