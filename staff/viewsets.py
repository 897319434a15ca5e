from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import TitleColumn
from wagtail.users.views.groups import GroupViewSet
from wagtail.users.views.groups import IndexView as GroupIndexView
from wagtail.users.views.users import UserViewSet

from .forms import StaffCreationForm, StaffEditForm
from .roles import role_label


class StaffViewSet(UserViewSet):
    menu_label = pgettext_lazy("people", "Staff")

    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm


class RoleTitleColumn(TitleColumn):
    """A group's name as the reader's language says it (roles are stored in English)."""

    def get_value(self, instance):
        return role_label(instance.name)


class RoleIndexView(GroupIndexView):
    columns = [
        RoleTitleColumn(
            "name", label=_("Name"), sort_key="name", url_name="wagtailusers_groups:edit"
        ),
    ]


class RoleGroupViewSet(GroupViewSet):
    """Wagtail's groups (our roles) listed under their names in the reader's language."""

    index_view_class = RoleIndexView
