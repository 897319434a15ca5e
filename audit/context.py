"""Who is acting: the staff member travels with the transaction as the PostgreSQL setting
``registry.actor_id``, which the audit trigger reads. Empty means the system."""

from contextlib import contextmanager

from django.db import connection, transaction

ACTOR_SETTING = "registry.actor_id"
# Who proposed the change being applied (an approval): set only while an approval
# publishes, so each audit row of it names both the approver and the requester.
REQUESTER_SETTING = "registry.requested_by_id"


def actor_set(staff) -> None:
    """Name ``staff`` (or nobody, for the system) as the actor until the transaction ends.

    Must be called inside a transaction: outside one the setting would last a single
    statement.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true)", [ACTOR_SETTING, str(staff.pk) if staff else ""]
        )


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(current_setting(%s, true), '')", [name])
        return cursor.fetchone()[0]


def _set(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def actor_current_id() -> str:
    return _setting(ACTOR_SETTING)


@contextmanager
def acting_as(staff, *, requested_by=None):
    """Run the block in a transaction whose registry writes are recorded as ``staff``'s,
    and, when given, as proposed by ``requested_by`` (an approval applying a submission).

    For management commands and services; admin requests get the logged-in staff member
    from ActorMiddleware. Nested use restores the outer actor and requester on exit.
    ``staff=None`` records the writes as the system's.
    """
    with transaction.atomic():
        previous = actor_current_id(), _setting(REQUESTER_SETTING)
        actor_set(staff)
        _set(REQUESTER_SETTING, str(requested_by.pk) if requested_by else "")
        yield
        # On an error the (sub)transaction rolls back, and PostgreSQL restores the settings.
        _set(ACTOR_SETTING, previous[0])
        _set(REQUESTER_SETTING, previous[1])


@contextmanager
def audit_suspended_for_synthetic_data():
    """Skip the per-row audit triggers until the block ends, for synthetic demo data only.

    Millions of made-up rows would each cost an audit row (and its search index entry),
    turning a minutes-long demo load into a much longer one, for a history nobody needs.
    Never use it for real data: the daily import and every other write stay audited.
    Works for raw COPY too: it sets pgtrigger's ignore list for the transaction.
    """
    import pgtrigger

    from .triggers import AUDIT_TRIGGER_NAMES, audited_tables

    pgids = [
        trigger.get_pgid(model)
        for model, trigger in pgtrigger.registered(
            *[f"{label}:{name}" for label, _ in audited_tables() for name in AUDIT_TRIGGER_NAMES]
        )
    ]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(current_setting('pgtrigger.ignore', true), '')")
            previous = cursor.fetchone()[0]
            cursor.execute(
                "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(pgids) + "}"]
            )
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [previous])
