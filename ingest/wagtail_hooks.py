from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import can_read_imports


@hooks.register("register_admin_urls")
def register_imports_urls():
    return [path("imports/", include(urls, namespace="ingest"))]


class ImportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_imports(request.user)


@hooks.register("register_admin_menu_item")
def register_imports_menu_item():
    return ImportsMenuItem(
        _("Imports"), reverse("ingest:runs"), name="imports", icon_name="download", order=175
    )
