from django import forms

from audit.display import entity_label
from staff.models import Staff

from .models import ChangeStatus
from .services import registry_record_models

AGE_CHOICES = [("", "Any age"), ("1", "Over a day"), ("7", "Over a week"), ("30", "Over a month")]


class PendingChangeFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ChangeStatus.choices], required=False, initial="pending"
    )
    entity = forms.ChoiceField(label="Record type", required=False)
    requested_by = forms.ModelChoiceField(
        label="Requested by", queryset=Staff.objects.none(), required=False, empty_label="Anyone"
    )
    older_than = forms.ChoiceField(label="Waiting", choices=AGE_CHOICES, required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", ChangeStatus.PENDING)
        super().__init__(data, **kwargs)
        self.fields["entity"].choices = [("", "Any record type")] + [
            (m._meta.model_name, entity_label(m._meta.model_name)) for m in registry_record_models()
        ]
        self.fields["requested_by"].queryset = Staff.objects.filter(
            submitted_changes__isnull=False
        ).distinct()


class DeclineForm(forms.Form):
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. The requester sees it with their submission.",
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Comment (optional)"
    )
