"""Two Coordinators deciding the same row at the same moment: one decision wins, the other
is refused, and the row's services are recorded once."""

import threading

import pytest
from django.db import connection, transaction

from identity import services
from identity.models import MatchStatus, PossibleMatch
from snippets.models import Client, ClientProgramEnrollment
from staff.roles import RoleName
from staff.services import roles_ensure
from tests.factories import StaffFactory
from tests.identity.test_review_queue import flagged_row


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_simultaneous_decisions_is_refused():
    roles_ensure()  # a committing test starts from the restored snapshot, without roles
    item, person = flagged_row()
    first, second = (StaffFactory(roles=[RoleName.COORDINATOR]) for _ in range(2))
    locked, outcome = threading.Event(), {}

    def second_coordinator():
        locked.wait(10)
        try:
            services.possible_match_new_person(
                possible_match_id=item.pk, staff=second, note="Looks new to me"
            )
            outcome["second"] = "decided"
        except services.DecisionRefused as refusal:
            outcome["second"] = str(refusal)
        finally:
            connection.close()

    other = threading.Thread(target=second_coordinator)
    other.start()
    with transaction.atomic():
        # The first Coordinator's decision holds the row's lock while the second arrives.
        PossibleMatch.objects.select_for_update().get(pk=item.pk)
        locked.set()
        other.join(1)
        assert other.is_alive(), "the second decision must wait for the first"
        services.possible_match_link(
            possible_match_id=item.pk, client_id=person.pk, staff=first, note="Same person"
        )
    other.join(10)
    assert "already decided by" in outcome["second"]
    item.refresh_from_db()
    assert item.status == MatchStatus.LINKED and item.decided_by == first
    assert Client.objects.count() == 1
    assert ClientProgramEnrollment.objects.count() == 1
