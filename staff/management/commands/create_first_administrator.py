import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from staff.models import Staff
from staff.roles import RoleName
from staff.services import staff_create

ENVIRONMENT = {
    "email": "REGISTRY_ADMIN_EMAIL",
    "password": "REGISTRY_ADMIN_PASSWORD",
    "first_name": "REGISTRY_ADMIN_FIRST_NAME",
    "last_name": "REGISTRY_ADMIN_LAST_NAME",
}


class Command(BaseCommand):
    help = (
        "Create the first Administrator from REGISTRY_ADMIN_EMAIL, REGISTRY_ADMIN_PASSWORD, "
        "REGISTRY_ADMIN_FIRST_NAME and REGISTRY_ADMIN_LAST_NAME, unless an active "
        "Administrator already exists. Safe to run on every start; run setup_roles first."
    )

    def handle(self, *args, **options):
        if Staff.objects.filter(is_active=True, groups__name=RoleName.ADMINISTRATOR).exists():
            self.stdout.write(gettext("An Administrator already exists; nobody was created."))
            return
        values = {field: os.environ.get(name, "").strip() for field, name in ENVIRONMENT.items()}
        if not values["email"]:
            # Not an error: the container still starts, and the message says what to do.
            self.stderr.write(
                gettext(
                    "No Administrator exists yet. Set REGISTRY_ADMIN_EMAIL and "
                    "REGISTRY_ADMIN_PASSWORD (see .env.example) and restart, or run "
                    "`manage.py createsuperuser`."
                )
            )
            return
        missing = [ENVIRONMENT[field] for field, value in values.items() if not value]
        if missing:
            raise CommandError(
                gettext("To create the first Administrator, also set %(variables)s.")
                % {"variables": ", ".join(missing)}
            )
        candidate = Staff(
            email=values["email"], first_name=values["first_name"], last_name=values["last_name"]
        )
        try:
            validate_password(values["password"], user=candidate)
        except ValidationError as exc:
            raise CommandError(
                gettext("REGISTRY_ADMIN_PASSWORD is too weak: %(problems)s")
                % {"problems": " ".join(exc.messages)}
            ) from None
        staff = staff_create(
            email=values["email"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            password=values["password"],
            roles=[RoleName.ADMINISTRATOR],
        )
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Created the first Administrator, %(email)s. Remove "
                    "REGISTRY_ADMIN_PASSWORD from the environment now that it has been used."
                )
                % {"email": staff.email}
            )
        )
