""" "Possible matches" in the sidebar: the review queue, an item's page, its decisions, and
merging two client records (from a pair in the queue or from a client's record)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import views


class PossibleMatchesMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_decide(request.user)


class PossibleMatchViewSet(ViewSet):
    name = "possible_matches"
    url_prefix = "possible-matches"
    icon = "resubmit"
    menu_label = _("Possible matches")
    # Right after Clients: deciding who is who comes before working with their records.
    menu_order = 101
    add_to_admin_menu = True
    menu_item_class = PossibleMatchesMenuItem

    def get_urlpatterns(self):
        decision = views.DecisionView.as_view
        return [
            path("", views.PossibleMatchIndexView.as_view(), name="index"),
            path("<uuid:pk>/", views.PossibleMatchDetailView.as_view(), name="detail"),
            path("<uuid:pk>/same-person/", decision(decision="same_person"), name="same_person"),
            path("<uuid:pk>/new-person/", decision(decision="new_person"), name="new_person"),
            path("<uuid:pk>/not-sure/", decision(decision="not_sure"), name="not_sure"),
            path(
                "<uuid:pk>/different-people/",
                decision(decision="different_people"),
                name="different_people",
            ),
            path("merge/<uuid:client_id>/", views.MergeChooseView.as_view(), name="merge_choose"),
            path(
                "merge/<uuid:client_id>/<uuid:other_id>/", views.MergeView.as_view(), name="merge"
            ),
            path("merges/<uuid:merge_id>/undo/", views.UnmergeView.as_view(), name="unmerge"),
        ]
