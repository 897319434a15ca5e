"""Who is acting: the staff member travels with the transaction as the PostgreSQL setting
``registry.actor_id``, which the audit trigger reads. Empty means the system."""

from contextlib import contextmanager

from django.db import connection, transaction

ACTOR_SETTING = "registry.actor_id"


def actor_set(staff) -> None:
    """Name ``staff`` (or nobody, for the system) as the actor until the transaction ends.

    Must be called inside a transaction: outside one the setting would last a single
    statement.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true)", [ACTOR_SETTING, str(staff.pk) if staff else ""]
        )


def actor_current_id() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(current_setting(%s, true), '')", [ACTOR_SETTING])
        return cursor.fetchone()[0]


@contextmanager
def acting_as(staff):
    """Run the block in a transaction whose registry writes are recorded as ``staff``'s.

    For management commands and services; admin requests get the logged-in staff member
    from ActorMiddleware. Nested use restores the outer actor on exit. ``staff=None``
    records the writes as the system's.
    """
    with transaction.atomic():
        previous = actor_current_id()
        actor_set(staff)
        yield
        # On an error the (sub)transaction rolls back, and PostgreSQL restores the setting.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [ACTOR_SETTING, previous])
