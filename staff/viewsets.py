from django.utils.translation import pgettext_lazy
from wagtail.users.views.users import UserViewSet

from .forms import StaffCreationForm, StaffEditForm


class StaffViewSet(UserViewSet):
    menu_label = pgettext_lazy("people", "Staff")

    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm
