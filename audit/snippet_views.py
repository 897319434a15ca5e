"""The "Change history" button on registry records' edit and inspect pages; the registry's
viewsets apply it to whatever edit/inspect view classes they use (snippets/viewsets.py)."""

from functools import cache

from wagtail.admin.views.generic import EditView, InspectView

from .views import RecordHistoryButtonMixin


@cache
def with_record_history(view_class):
    """``view_class`` with the history button if it is an edit or inspect view."""
    if not issubclass(view_class, (EditView, InspectView)) or issubclass(
        view_class, RecordHistoryButtonMixin
    ):
        return view_class
    return type(view_class.__name__, (RecordHistoryButtonMixin, view_class), {})
