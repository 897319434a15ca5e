"""Synthetic registry records for backup tests (run inside `manage.py shell`)."""

import datetime

from staff.roles import RoleName
from staff.services import roles_ensure
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    DepartmentFactory,
    DischargeFactory,
    EnrollmentFactory,
    IntakeFactory,
    ProgramFactory,
    RestrictionFactory,
    StaffFactory,
)


def populate() -> None:
    roles_ensure()  # the copied test database may have been emptied by a browser test
    StaffFactory(roles=[RoleName.COORDINATOR])
    StaffFactory(roles=[RoleName.ANALYST])
    department = DepartmentFactory(name="Housing")
    shelter = ProgramFactory(department=department, name="Family shelter")
    drop_in = ProgramFactory(department=department, name="Drop-in")
    # Accented and non-Latin names: a restore must bring every byte back.
    for index, (first, last) in enumerate(
        [("Zoë", "Brontë"), ("Nguyễn", "Thị Mai"), ("Ahmad", "القحطاني"), ("Jean-Luc", "Côté")]
    ):
        client = ClientFactory(first_name=first, last_name=last)
        ClientSourceIdFactory(client=client)
        IntakeFactory(client=client, program=shelter)
        EnrollmentFactory(
            client=client, program=shelter, start_date=datetime.date(2026, 1, 5 + index)
        )
    ClientFactory.create_batch(20)
    left = ClientFactory()
    EnrollmentFactory(client=left, program=drop_in)
    DischargeFactory(client=left, program=drop_in)
    RestrictionFactory(client=left)
