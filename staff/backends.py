from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    """Django's backend, except that permissions come only from the staff member's roles.

    Permissions granted to a single user (auth's user_permissions) are ignored, so the
    roles screen in the Wagtail user admin is the whole truth about who may do what.
    """

    def _get_user_permissions(self, user_obj):
        return Permission.objects.none()
