from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import can_read_audit


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include(urls, namespace="audit"))]


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_audit(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditLogMenuItem(
        _("Audit log"), reverse("audit:index"), name="audit-log", icon_name="history", order=170
    )
