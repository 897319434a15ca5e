from django.core.management.base import BaseCommand

from staff.services import roles_ensure


class Command(BaseCommand):
    help = (
        "Create the six roles (Administrator, Coordinator, Manager, Leader, Staff, Analyst) "
        "and set their permissions. Run after every migrate; safe to run again."
    )

    def handle(self, *args, **options):
        groups = roles_ensure()
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
