import io

import pytest
from django.core.management import call_command

from snippets.models import (
    Client,
    ClientProgramEnrollment,
    ClientSourceId,
    Department,
    Intake,
    Program,
    ProgramCapacity,
)
from staff.models import Staff
from staff.roles import RoleName

pytestmark = pytest.mark.django_db


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_demo_data_gives_a_working_registry_and_a_login_per_role(client):
    output = seed(clients=120, enrollments=300)
    assert Department.objects.live().count() == 5
    assert 18 <= Program.objects.live().count() <= 22
    assert Client.objects.live().count() == 120
    assert ClientProgramEnrollment.objects.live().count() == 300
    assert Intake.objects.live().exists()
    # Each program with a capacity has it as its capacity history (the Vacancy Tracker
    # reads capacity from there), one open-ended entry each.
    with_capacity = Program.objects.filter(capacity_current__isnull=False)
    assert with_capacity.exists()
    assert sorted(ProgramCapacity.objects.values_list("program_id", "capacity")) == sorted(
        with_capacity.values_list("id", "capacity_current")
    )
    assert not ProgramCapacity.objects.filter(effective_to__isnull=False).exists()
    # Every demo login works and holds exactly its role.
    for role in RoleName:
        staff = Staff.objects.get(email=f"{role.value.lower()}@demo.registry.test")
        assert staff.role_names == [role.value]
        assert f"{role.value.lower()}@demo.registry.test" in output
    assert client.login(username="coordinator@demo.registry.test", password="registry-demo-2026")
    # Demo records open in the admin like any other record.
    person = Client.objects.first()
    response = client.get(f"/admin/snippets/snippets/client/edit/{person.pk}/")
    assert response.status_code == 200


def test_seed_demo_is_idempotent():
    seed(clients=50, enrollments=80)
    counts = (
        Client.objects.count(),
        ClientProgramEnrollment.objects.count(),
        Program.objects.count(),
        Staff.objects.count(),
        ClientSourceId.objects.count(),
        ProgramCapacity.objects.count(),
    )
    seed(clients=50, enrollments=80)
    assert counts == (
        Client.objects.count(),
        ClientProgramEnrollment.objects.count(),
        Program.objects.count(),
        Staff.objects.count(),
        ClientSourceId.objects.count(),
        ProgramCapacity.objects.count(),
    )


def test_seed_demo_tops_up_to_a_larger_size_without_repeating_people():
    seed(clients=40, enrollments=40)
    first = set(Client.objects.values_list("first_name", "last_name", "dob"))
    seed(clients=90, enrollments=100, programs=60)
    assert Client.objects.count() == 90
    added = set(Client.objects.values_list("first_name", "last_name", "dob")) - first
    assert len(added) == 50  # the top-up made new people, not copies of the first 40
    assert ClientProgramEnrollment.objects.count() == 100
    assert Program.objects.count() == 60


def test_demo_logins_are_never_made_outside_dev(settings):
    settings.REGISTRY_DEMO_LOGINS = False
    output = seed(clients=5, enrollments=5)
    assert not Staff.objects.filter(email__endswith="@demo.registry.test").exists()
    assert "password" not in output


def test_output_shows_counts_not_people():
    output = seed(clients=30, enrollments=30)
    names = Client.objects.values_list("last_name", flat=True)
    assert not any(name in output for name in names)


def test_large_loads_leave_every_index_and_constraint_in_place(monkeypatch):
    from django.db import connection

    from snippets.management.commands.seed_demo import Command

    def index_definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'snippets_%' ORDER BY 1"
            )
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text LIKE 'snippets_%' ORDER BY 1, 2"
            )
            return indexes, cursor.fetchall()

    before = index_definitions()
    monkeypatch.setattr(Command, "bulk_threshold", 10)  # take the large-load path
    seed(clients=40, enrollments=60)
    assert index_definitions() == before
    assert ClientProgramEnrollment.objects.count() == 60
