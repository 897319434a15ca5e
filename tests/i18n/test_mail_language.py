"""Issue 15: an approval e-mail is written in its recipient's language (Account ›
Preferences), whatever the sender's: a French-speaking Manager's change notifies a
French-speaking Coordinator in French and an English-speaking one in English."""

import pytest
from django.core import mail
from wagtail.users.models import UserProfile

from staff.roles import RoleName
from tests.admin_forms import post_edit
from tests.factories import ClientFactory, StaffFactory

from .conftest import FRENCH

pytestmark = pytest.mark.django_db


def speaks_french(staff):
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = FRENCH
    profile.save()
    return staff


def test_approval_mail_follows_each_recipients_language(client, settings):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = False
    manager = speaks_french(StaffFactory(roles=[RoleName.MANAGER]))
    record = ClientFactory(created_by=manager)
    french = speaks_french(StaffFactory(roles=[RoleName.COORDINATOR]))
    english = StaffFactory(roles=[RoleName.COORDINATOR])
    client.force_login(manager)

    assert post_edit(client, record, {"gender": "Non-binary"}, action="submit").status_code == 302

    (to_french,) = [m for m in mail.outbox if french.email in m.to]
    (to_english,) = [m for m in mail.outbox if english.email in m.to]
    assert to_english.subject == (
        f"Client {record.pk}: a change was sent to a Coordinator for approval"
    )
    assert "Approvals:" in to_english.body
    assert to_french.subject.startswith(f"Client {record.pk}")
    assert "approbation" in to_french.subject
    for english_words in ("a change was sent", "Approvals:", "Open the record"):
        assert english_words not in to_french.subject + to_french.body, english_words
