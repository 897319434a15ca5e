from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.display import entity_label
from staff.models import Staff

from .models import ChangeStatus
from .services import registry_record_models

AGE_CHOICES = [
    ("", _("Any age")),
    ("1", _("Over a day")),
    ("7", _("Over a week")),
    ("30", _("Over a month")),
]


class PendingChangeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ChangeStatus.choices],
        required=False,
        initial="pending",
    )
    entity = forms.ChoiceField(label=_("Record type"), required=False)
    requested_by = forms.ModelChoiceField(
        label=_("Requested by"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )
    older_than = forms.ChoiceField(label=_("Waiting"), choices=AGE_CHOICES, required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", ChangeStatus.PENDING)
        super().__init__(data, **kwargs)
        self.fields["entity"].choices = [("", gettext("Any record type"))] + [
            (m._meta.model_name, entity_label(m._meta.model_name)) for m in registry_record_models()
        ]
        self.fields["requested_by"].queryset = Staff.objects.filter(
            submitted_changes__isnull=False
        ).distinct()


class DeclineForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. The requester sees it with their submission."),
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Comment (optional)")
    )
