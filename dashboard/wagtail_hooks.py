from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .panels import home_panels
from .wording import DeleteRecordsBulkAction


@hooks.register("construct_homepage_panels")
def construct_home_panels(request, panels):
    home_panels(request, panels)


@hooks.register("insert_global_admin_css")
def registry_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("dashboard/registry-admin.css"))


@hooks.register("register_admin_urls")
def register_help_urls():
    return [path("help/", include(urls, namespace="dashboard"))]


@hooks.register("register_admin_menu_item")
def register_help_menu_item():
    return MenuItem(
        _("Help"), reverse("dashboard:help"), name="help", icon_name="help", order=99000
    )


# Registered after Wagtail's own (order=1), so it replaces the "delete" bulk action.
hooks.register("register_bulk_action", DeleteRecordsBulkAction, order=1)
