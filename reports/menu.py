"""The "Reports" item in the admin sidebar, after Approvals (150) and before Audit Log."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from .access import user_can_read_reports

REPORTS_MENU_ORDER = 160


class ReportsMenuItem(MenuItem):
    def __init__(self):
        super().__init__(
            _("Reports"), "", name="reports", icon_name="table", order=REPORTS_MENU_ORDER
        )

    def is_shown(self, request):
        return user_can_read_reports(request.user) and self._url() is not None

    def render_component(self, request):
        # The index page's URL is looked up per request: it depends on the site tree.
        self.url = self._url()
        return super().render_component(request)

    @staticmethod
    def _url():
        from .models import ReportsIndexPage

        index = ReportsIndexPage.objects.live().first()
        return index.url if index is not None else None
