"""Wagtail's labels that name its CMS ("snippets", "pages"), in the agency's words."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction


class DeleteRecordsBulkAction(DeleteBulkAction):
    aria_label = _("Delete selected records")
