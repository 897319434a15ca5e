"""Roles are managed in Wagtail's user admin, and that screen and the StaffRoles table are
one and the same: what the checkboxes say is what the staff member may do."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from staff.models import Staff, StaffRole
from staff.roles import RoleName
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def role(name):
    return Group.objects.get(name=name)


def test_administrator_creates_staff_with_a_role(client, login):
    login(RoleName.ADMINISTRATOR)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "New.Worker@Agency.test",
            "first_name": "New",
            "last_name": "Worker",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "groups": [role(RoleName.MANAGER).pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    staff = Staff.objects.get(email="new.worker@agency.test")
    assert StaffRole.objects.filter(staff=staff, role__name=RoleName.MANAGER).exists()
    assert staff.has_perm("snippets.change_client")
    assert not staff.has_perm("snippets.publish_client")


def test_changing_roles_in_the_user_admin_changes_permissions_at_once(client, login):
    login(RoleName.ADMINISTRATOR)
    staff = StaffFactory(roles=[RoleName.ANALYST])
    assert not staff.has_perm("snippets.publish_client")
    response = client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]),
        {
            "email": staff.email,
            "first_name": staff.first_name,
            "last_name": staff.last_name,
            "is_active": "on",
            "groups": [role(RoleName.COORDINATOR).pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    staff = Staff.objects.get(pk=staff.pk)  # fresh permission cache
    assert list(StaffRole.objects.filter(staff=staff).values_list("role__name", flat=True)) == [
        RoleName.COORDINATOR
    ]
    assert staff.has_perm("snippets.publish_client")


def test_user_admin_offers_no_superuser_switch(client, login):
    admin = login(RoleName.ADMINISTRATOR)
    other = StaffFactory(roles=[RoleName.STAFF])
    html = client.get(reverse("wagtailusers_users:edit", args=[other.pk])).content.decode()
    assert 'name="is_superuser"' not in html
    assert "Roles" in html
    # Editing oneself: no way to drop one's own roles or deactivate oneself.
    own = client.get(reverse("wagtailusers_users:edit", args=[admin.pk])).content.decode()
    assert 'name="groups"' not in own


def test_duplicate_email_in_user_admin_gets_a_clear_message(client, login):
    login(RoleName.ADMINISTRATOR)
    StaffFactory(email="taken@agency.test")
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "TAKEN@agency.test",
            "first_name": "A",
            "last_name": "B",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 200
    assert "A staff member with this email already exists." in response.content.decode()


@pytest.mark.parametrize(
    "role_name", [RoleName.COORDINATOR, RoleName.MANAGER, RoleName.STAFF, RoleName.ANALYST]
)
def test_only_administrators_manage_staff(client, login, role_name):
    login(role_name)
    response = client.get(reverse("wagtailusers_users:index"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_permissions_granted_to_a_single_user_are_ignored():
    from django.contrib.auth.models import Permission

    staff = StaffFactory(roles=[RoleName.STAFF])
    staff.user_permissions.add(Permission.objects.get(codename="publish_client"))
    staff = Staff.objects.get(pk=staff.pk)
    assert not staff.has_perm("snippets.publish_client")


def test_setup_roles_is_idempotent_and_repairs_drift():
    manager = role(RoleName.MANAGER)
    from django.contrib.auth.models import Permission

    manager.permissions.add(Permission.objects.get(codename="publish_client"))
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not manager.permissions.filter(codename="publish_client").exists()
    assert Group.objects.filter(name__in=RoleName.values).count() == 6


def test_inactive_staff_cannot_log_in(client):
    StaffFactory(email="gone@agency.test", is_active=False)
    assert not client.login(username="gone@agency.test", password="correct horse battery")
