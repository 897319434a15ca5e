"""Snippet edit and inspect views with the record's "Change history" button; the registry's
viewsets use these (snippets/viewsets.py)."""

from wagtail.snippets.views.snippets import EditView, InspectView

from .views import RecordHistoryButtonMixin


class RecordEditView(RecordHistoryButtonMixin, EditView):
    pass


class RecordInspectView(RecordHistoryButtonMixin, InspectView):
    pass
