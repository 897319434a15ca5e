"""The Wagtail user admin's forms for Staff: email login, roles, no superuser switch."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Role, Staff
from .roles import role_label

STAFF_FIELDS = ["email", "first_name", "last_name", "groups"]


class RoleFieldMixin(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            # Only the registry's six roles, whatever other groups exist.
            self.fields["groups"].queryset = Role.objects.registry_roles().order_by("name")
            self.fields["groups"].label = gettext_lazy("Roles")
            self.fields["groups"].label_from_instance = lambda role: role_label(role.name)
            self.fields["groups"].help_text = gettext_lazy(
                "What this person may do. Administrator: everything. Coordinator: edit, publish "
                "and approve. Manager and Leader: propose changes for approval. Staff and "
                "Analyst: read only."
            )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = Staff.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A staff member with this email already exists."))
        return email


class StaffCreationForm(RoleFieldMixin, UserCreationForm):
    # Wagtail's "Administrator" (superuser) switch would bypass roles: the role is the switch.
    is_superuser = None

    class Meta(UserCreationForm.Meta):
        model = Staff
        fields = STAFF_FIELDS
        widgets = {"groups": forms.CheckboxSelectMultiple}


class StaffEditForm(RoleFieldMixin, UserEditForm):
    is_superuser = None

    class Meta(UserEditForm.Meta):
        model = Staff
        fields = [*STAFF_FIELDS, "is_active"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, editing_self=False, **kwargs):
        # UserEditForm would delete an is_superuser field we don't have; handle self-edits
        # here: nobody deactivates themselves or changes their own roles.
        super().__init__(*args, **kwargs)
        if editing_self:
            del self.fields["is_active"]
            del self.fields["groups"]
