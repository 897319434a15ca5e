from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .models import ClientRecordAccess, ServiceRestriction, SourceSystem
from .viewsets import (
    ClientRecordAccessViewSet,
    ClientViewSet,
    DemographicQuestionViewSet,
    DepartmentViewSet,
    EnrollmentGroup,
    NoDeletePermissionPolicy,
    ProgramViewSet,
    ReadOnlyPermissionPolicy,
    RestrictionPermissionPolicy,
    RestrictionViewSet,
    SourceSystemViewSet,
)

register_permission_policy(ServiceRestriction, RestrictionPermissionPolicy(ServiceRestriction))
register_permission_policy(ClientRecordAccess, ReadOnlyPermissionPolicy(ClientRecordAccess))
register_permission_policy(SourceSystem, NoDeletePermissionPolicy(SourceSystem))

register_snippet(ClientViewSet)
register_snippet(ProgramViewSet)
register_snippet(DepartmentViewSet)
register_snippet(EnrollmentGroup)
register_snippet(RestrictionViewSet)


@hooks.register("register_admin_viewset")
def register_demographic_questions():
    return DemographicQuestionViewSet("demographic_questions")


@hooks.register("register_admin_viewset")
def register_source_systems():
    return SourceSystemViewSet("source_systems")


@hooks.register("register_admin_viewset")
def register_client_record_access_log():
    return ClientRecordAccessViewSet("client_record_access")
