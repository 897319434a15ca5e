from wagtail import hooks

from .viewsets import PossibleMatchViewSet


@hooks.register("register_admin_viewset")
def register_possible_matches():
    return PossibleMatchViewSet()
