import pytest
from django.db import IntegrityError, transaction

from staff.models import Staff, StaffRole
from staff.roles import RoleName
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_staff_emails_are_unique_ignoring_case():
    StaffFactory(email="ada@agency.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        Staff.objects.create(email="ada@agency.test", first_name="A", last_name="B")
    # Mixed case cannot sneak past the unique index: emails are stored in lower case.
    with pytest.raises(IntegrityError), transaction.atomic():
        Staff.objects.create(email="Ada@Agency.test", first_name="A", last_name="B")


def test_create_user_lowercases_so_login_is_case_insensitive(client):
    Staff.objects.create_user(
        "Grace@Agency.test", "correct horse battery", first_name="G", last_name="H"
    )
    assert client.login(username="GRACE@agency.test", password="correct horse battery")


def test_a_role_is_held_once():
    staff = StaffFactory(roles=[RoleName.MANAGER])
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(staff=staff, role=staff.groups.get())


def test_superuser_flag_is_refused_permissions_come_from_roles():
    staff = StaffFactory()
    staff.is_superuser = True
    with pytest.raises(IntegrityError), transaction.atomic():
        staff.save()


def test_createsuperuser_makes_an_administrator():
    staff = Staff.objects.create_superuser(
        "boss@agency.test", "correct horse battery", first_name="B", last_name="C"
    )
    assert staff.role_names == [RoleName.ADMINISTRATOR]
    assert not staff.is_superuser
    assert staff.has_perm("snippets.delete_client")
    assert not staff.has_perm("snippets.delete_servicerestriction")
