"""The Imports screen: every run of the daily import, and its rejects file to download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from staff.roles import RoleName

from . import selectors
from .contract import reject_label
from .models import IngestRun
from .rejects import rejects_in_reader_language

# Rejects files hold names and dates of birth: only roles allowed to see personal data.
IMPORT_READER_ROLES = (RoleName.ADMINISTRATOR, RoleName.COORDINATOR)


def can_read_imports(user) -> bool:
    return user.is_authenticated and user.groups.filter(name__in=IMPORT_READER_ROLES).exists()


class ImportRunsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "ingest/runs.html"
    page_title = gettext_lazy("Imports")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_read_imports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": _("Imports")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.import_runs(), selectors.RUNS_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context["page"] = page
        context["rows"] = [
            {
                "run": run,
                "outcomes": selectors.outcome_counts(run),
                "reasons": [
                    (reject_label(code), count)
                    for code, count in sorted(
                        (run.summary or {}).get("rejected_by_reason", {}).items()
                    )
                ],
            }
            for run in page
        ]
        return context


class RejectsDownloadView(View):
    """The run's rejects file, to people allowed to read it; never a public URL."""

    def get(self, request, run_id):
        if not can_read_imports(request.user):
            raise PermissionDenied
        run = get_object_or_404(IngestRun, pk=run_id)
        path = selectors.rejects_file(run)
        if path is None:
            messages.warning(
                request,
                _(
                    "This run's rejects file is not on the server (it had no rejects, or the "
                    "file was removed or never finished writing)."
                ),
            )
            return redirect(reverse("ingest:runs"))
        # Headers, reasons and messages in the downloader's language; cells as entered.
        response = StreamingHttpResponse(
            rejects_in_reader_language(path), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, path.name)
        # The rows hold names and dates of birth: never in a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response
