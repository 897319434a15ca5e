from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    default = True
    verbose_name = _("Staff and roles")


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, using the Staff forms (email login, roles, no superuser flag)."""

    default = False
    user_viewset = "staff.viewsets.StaffViewSet"
