from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import selectors, services, urls
from .views import listing_rows


@hooks.register("register_admin_urls")
def register_approvals_urls():
    return [path("approvals/", include(urls, namespace="approvals"))]


class ApprovalsMenuItem(MenuItem):
    def is_shown(self, request):
        return services.can_decide(request.user)


@hooks.register("register_admin_menu_item")
def register_approvals_menu_item():
    return ApprovalsMenuItem(
        _("Approvals"), reverse("approvals:index"), name="approvals", icon_name="tasks", order=150
    )


class MySubmissionsPanel(Component):
    """On the dashboard of anyone who has submitted changes: where each one stands."""

    name = "my_submissions"
    order = 160
    template_name = "approvals/my_submissions_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        changes = list(selectors.submissions_of(staff=self.request.user)[:10])
        return {"rows": listing_rows(changes), "mine_url": reverse("approvals:mine")}

    def render_html(self, parent_context=None):
        if not selectors.submissions_of(staff=self.request.user).exists():
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_my_submissions_panel(request, panels):
    panels.append(MySubmissionsPanel(request))
