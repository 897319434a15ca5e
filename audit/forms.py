from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from staff.models import Staff

from .display import entity_label
from .models import AuditAction
from .triggers import audited_tables

SYSTEM = "system"


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    entity = forms.ChoiceField(label=_("Record type"), required=False)
    record = forms.UUIDField(label=_("Record id"), required=False)
    changed_by = forms.ChoiceField(label=_("Changed by"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any action")), *AuditAction.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entities = [label.split(".")[1].lower() for label, _ in audited_tables()]
        self.fields["entity"].choices = [("", gettext("Any record type"))] + [
            (e, entity_label(e)) for e in entities
        ]
        staff = Staff.objects.order_by("last_name", "first_name").values_list(
            "pk", "first_name", "last_name"
        )
        self.fields["changed_by"].choices = [
            ("", gettext("Anyone")),
            (SYSTEM, gettext("The system (imports, scripts)")),
            *[(str(pk), f"{first} {last}") for pk, first, last in staff],
        ]

    def selector_filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        who = data.get("changed_by") or ""
        return {
            "search": data.get("q") or None,
            "entity": data.get("entity") or None,
            "record_id": data.get("record"),
            "changed_by": who if who and who != SYSTEM else None,
            "system_only": who == SYSTEM,
            "action": data.get("action") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
