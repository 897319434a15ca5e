"""The need-to-know rule on the choosers of registry records (the modal a form opens to
pick a client, a program, an enrollment...) and on their data endpoints: the chooser
page, its results fragment (what the modal fetches as one searches or pages) and the
"chosen" endpoint (the JSON the form receives for the picked record).

- Clients: without a search the chooser lists the clients in the staff member's scope,
  like the client list. A search finds anyone (the front desk picks the person it is about
  to enroll or restrict), showing only the name and date of birth; picking someone
  outside one's scope gives the form their id and name and a link to the limited card,
  never to the record. Choosing a client is written to the access log ("Chooser").
- Records of a client (enrollments, intakes, discharges, restrictions): only those the
  record type's own list shows (snippets/viewsets.py ``need_to_know``): clients in scope,
  no confidential program the reader does not staff.
- Every chooser needs the record type's view permission (Wagtail's chooser asks none).
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from registry.translation import TranslatedSnippetChooser
from snippets.models import Client, ClientRecordAccess, Department, Program
from snippets.services import client_access_record

from . import selectors


class ClientSearchFilterForm(BaseFilterForm):
    """The chooser's search box, searching with the client list's rule (name with typos,
    date of birth, or an outside system's id)."""

    staff = None  # the reader (ScopedChooseMixin.get_filter_form)

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Name, date of birth or id")}),
        required=False,
    )

    def filter(self, objects):
        from snippets.selectors import client_search  # snippets' viewsets import this module

        query = " ".join((self.cleaned_data.get("q") or "").split())
        if not query:
            # Without a search: only the clients whose record the reader may open.
            return selectors.clients_in_scope(self.staff, objects)
        self.is_searching = True
        self.search_query = query
        return client_search(query=query, queryset=objects)


class NameSearchFilterForm(BaseFilterForm):
    """The chooser's search box for records picked by name (programs, departments): a
    city's 2,000 programs are found by a few letters of the name, not paged through."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = " ".join((self.cleaned_data.get("q") or "").split())
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(name__icontains=query)
        return objects


def scoped_records(request, model):
    """The records of ``model`` a chooser may offer ``request.user``."""
    if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    queryset = model.objects.all()
    if model is Client:
        return selectors.with_scope_flag(request.user, queryset)
    viewset = getattr(model, "snippet_viewset", None)
    return viewset.need_to_know(request, queryset) if viewset is not None else queryset


class ScopedChooseMixin:
    def get_object_list(self):
        return scoped_records(self.request, self.model_class)

    def get_filter_form_class(self):
        if self.model_class is Client:
            return ClientSearchFilterForm
        if self.model_class in (Program, Department):
            return NameSearchFilterForm
        return super().get_filter_form_class()

    def get_filter_form(self):
        form = super().get_filter_form()
        form.staff = self.request.user
        return form

    @property
    def columns(self):
        columns = super().columns
        if self.model_class is Client:
            # Two people of the same name are told apart by their birthday, which the
            # limited card shows too.
            columns.insert(1, Column("dob", label=_("Date of birth")))
        return columns


class ScopedChooseView(ScopedChooseMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseMixin, ChooseResultsView):
    pass


class ScopedChosenMixin:
    """The picked record, if the reader may pick it; logged when it names a client."""

    def get_object(self, pk):
        try:
            return scoped_records(self.request, self.model_class).get(pk=pk)
        except (self.model_class.DoesNotExist, ValueError, ValidationError) as missing:
            raise Http404 from missing

    def get_objects(self, pks):
        return scoped_records(self.request, self.model_class).filter(pk__in=pks)

    def get_chosen_response_data(self, item):
        person = item if isinstance(item, Client) else getattr(item, "client", None)
        if person is not None:
            client_access_record(
                staff=self.request.user, client=person, view=ClientRecordAccess.View.CHOOSER
            )
        data = super().get_chosen_response_data(item)
        if isinstance(item, Client) and not getattr(item, "in_scope", True):
            from .views import limited_card_url

            data["edit_url"] = limited_card_url(item)
        return data


class ScopedChosenView(ScopedChosenMixin, SnippetChosenView):
    pass


class ScopedChosenMultipleView(ScopedChosenMixin, SnippetChosenMultipleView):
    pass


class ScopedChooserViewSet(SnippetChooserViewSet):
    """The chooser of every registry record type (RegistryViewSet.chooser_viewset_class)."""

    choose_view_class = ScopedChooseView
    base_widget_class = TranslatedSnippetChooser  # its buttons in the reader's language
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
