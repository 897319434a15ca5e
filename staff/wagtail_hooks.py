from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import lockouts
from .admin_menu import without_cms_leftovers


@hooks.register("construct_main_menu")
def hide_cms_menu_items(request, menu_items):
    without_cms_leftovers(menu_items)


@hooks.register("register_admin_urls")
def register_lockouts_urls():
    return [
        path(
            "sign-in-lockouts/",
            include((lockouts.urlpatterns, "staff_lockouts"), namespace="staff_lockouts"),
        )
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return lockouts.can_lift_lockouts(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(
        _("Sign-in lockouts"),
        reverse("staff_lockouts:index"),
        name="sign-in-lockouts",
        icon_name="lock",
        order=620,
    )
