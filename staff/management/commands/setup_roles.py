from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from staff.roles import role_label
from staff.services import roles_ensure


class Command(BaseCommand):
    help = (
        "Create the six roles (Administrator, Coordinator, Manager, Leader, Staff, Analyst) "
        "and set their permissions. Run after every migrate; safe to run again."
    )

    def handle(self, *args, **options):
        groups = roles_ensure()
        for name, group in groups.items():
            self.stdout.write(
                gettext("%(role)s: %(count)s permissions")
                % {"role": role_label(name), "count": group.permissions.count()}
            )
        self.stdout.write(self.style.SUCCESS(gettext("Roles are set up.")))
