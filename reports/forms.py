"""The reports' inputs. Bad input is a message on the page, never a server error."""

import datetime

from django import forms
from django.utils import timezone

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HideSmallCountsField(forms.BooleanField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Hide counts below 5 (for sharing outside the agency)", required=False, **kwargs
        )


class OrgSummaryForm(forms.Form):
    date_from = forms.DateField(label="From", widget=DATE_INPUT)
    date_to = forms.DateField(label="To", widget=DATE_INPUT)
    hide_small = HideSmallCountsField()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(
                "The “From” date is after the “To” date. Choose a period that starts on or "
                "before the day it ends."
            )
        return cleaned


class VacancyTrackerForm(forms.Form):
    as_of = forms.DateField(label="As of", widget=DATE_INPUT, required=False)
    hide_small = HideSmallCountsField()

    def clean_as_of(self):
        # An empty date means today, in the agency's time zone.
        return self.cleaned_data.get("as_of") or timezone.localdate()


def default_period(today: datetime.date) -> dict:
    """The form's starting values: the current calendar year to date."""
    return {"date_from": today.replace(month=1, day=1), "date_to": today}
