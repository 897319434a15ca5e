from django.urls import include, path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import urls
from .models import AccessException
from .views import AccessExceptionViewSet, AdministratorsOnlyPolicy

register_permission_policy(AccessException, AdministratorsOnlyPolicy(AccessException))


@hooks.register("register_admin_urls")
def register_access_urls():
    return [path("access/", include(urls, namespace="access"))]


@hooks.register("register_admin_viewset")
def register_access_exceptions():
    return AccessExceptionViewSet("access_exceptions")
