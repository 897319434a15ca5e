from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    default = True
    verbose_name = _("Staff and roles")

    def ready(self):
        # The admin sidebar and the rest of the page frame, cached for what they depend on.
        from . import admin_frame

        admin_frame.install()


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, using the Staff forms (email login, roles, no superuser flag)."""

    default = False
    user_viewset = "staff.viewsets.StaffViewSet"
    group_viewset = "staff.viewsets.RoleGroupViewSet"
