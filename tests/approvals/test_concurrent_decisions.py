"""Two Coordinators approving the same change at the same moment: exactly one wins.

The data is committed and each approval is a real HTTP request on its own database
connection (its own thread), so the row lock is exercised, not simulated.
"""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from approvals.models import PendingChange
from audit.models import AuditLog
from staff.roles import RoleName
from staff.services import roles_ensure
from tests.admin_forms import post_edit
from tests.factories import ProgramFactory, StaffFactory


def _waiting_on_locks(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_of_one_change_exactly_one_wins():
    roles_ensure()
    program = ProgramFactory(capacity_current=20)
    manager = StaffFactory(roles=[RoleName.MANAGER])
    coordinators = [StaffFactory(roles=[RoleName.COORDINATOR]) for _ in range(2)]
    requester = Client()
    requester.force_login(manager)
    post_edit(requester, program, {"capacity_current": "30"}, action="submit")
    change = PendingChange.objects.get(entity_id=program.pk)

    settings = connection.settings_dict
    dsn = (
        f"host={settings['HOST']} port={settings['PORT'] or 5432} "
        f"user={settings['USER']} dbname={settings['NAME']}"
    )
    # A third connection holds the change's row lock, so both approvals are certainly
    # in flight together, queued on the same lock, when it is released.
    holder = psycopg.connect(dsn)
    holder.execute("SELECT 1 FROM pending_changes WHERE change_id = %s FOR UPDATE", [change.pk])

    outcomes, browsers = {}, {}

    def approve(coordinator):
        try:
            browser = browsers[coordinator.pk] = Client()
            browser.force_login(coordinator)
            response = browser.post(reverse("approvals:approve", args=[change.pk]))
            outcomes[coordinator.pk] = response["Location"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(c,)) for c in coordinators]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while _waiting_on_locks(dsn) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_locks(dsn) == 2, "both approvals should be waiting on the lock"
    holder.rollback()
    holder.close()
    for thread in threads:
        thread.join(timeout=30)

    change.refresh_from_db()
    winner = change.reviewed_by
    loser = next(c for c in coordinators if c != winner)
    assert change.status == "approved"
    assert outcomes[winner.pk] == reverse("approvals:index")
    assert outcomes[loser.pk] == reverse("approvals:detail", args=[change.pk])
    told = browsers[loser.pk].get(outcomes[loser.pk]).content.decode()
    assert f"This change was already approved by {winner}" in told
    program.refresh_from_db()
    assert program.capacity_current == 30
    updates = AuditLog.objects.filter(entity_id=program.pk, action="update")
    assert [entry.changed_by for entry in updates] == [winner]
