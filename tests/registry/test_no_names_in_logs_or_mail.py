"""Client names never reach the process log or an e-mail (issue 12 item 7): through the
real admin, as a Coordinator and a Manager use it."""

import logging

import pytest
from django.core import mail

from staff.roles import RoleName
from tests.admin_forms import post_edit
from tests.factories import ClientFactory, StaffFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zenobia", "Quillfeather"


def test_editing_and_publishing_a_client_logs_its_type_and_id_not_its_name(client, caplog):
    record = ClientFactory(first_name=FIRST, last_name=LAST)
    client.force_login(StaffFactory(roles=[RoleName.COORDINATOR]))
    caplog.set_level(logging.INFO, logger="wagtail")

    saved = post_edit(client, record, {"last_name": f"{LAST}-Ade"})
    published = post_edit(client, record, {"first_name": f"{FIRST}a"}, action="publish")

    assert saved.status_code == 302 and published.status_code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "wagtail"]
    assert any(line.startswith(f"Edited: client pk={record.pk}") for line in lines), lines
    assert any(line.startswith(f"Published: client pk={record.pk}") for line in lines), lines
    for line in [r.getMessage() for r in caplog.records]:
        assert FIRST not in line and LAST not in line, line


def test_the_coordinators_approval_mail_names_the_record_by_id_and_links_to_it(client):
    manager = StaffFactory(roles=[RoleName.MANAGER])
    # One of the Manager's clients (need to know: tests/access/).
    record = ClientFactory(first_name=FIRST, last_name=LAST, created_by=manager)
    coordinator = StaffFactory(roles=[RoleName.COORDINATOR])
    client.force_login(manager)

    sent = post_edit(client, record, {"last_name": f"{LAST}-Ade"}, action="submit")

    assert sent.status_code == 302
    to_coordinator = [m for m in mail.outbox if coordinator.email in m.to]
    assert to_coordinator, [m.to for m in mail.outbox]
    for message in mail.outbox:
        text = message.subject + message.body
        assert FIRST not in text and LAST not in text, text
    message = to_coordinator[0]
    assert message.subject == f"Client {record.pk}: a change was sent to a Coordinator for approval"
    assert f"/admin/snippets/snippets/client/edit/{record.pk}/" in message.body
    assert "/approvals/" in message.body
