"""The reports' inputs. Bad input is a message on the page, never a server error."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The registry holds no records outside these years; a date beyond them is a typo (and
# 9999-12-31 is what the reports use internally to mean "no end yet").
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)
LONGEST_PERIOD_YEARS = 10


def _sane_day(day: datetime.date | None, label: str) -> None:
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise forms.ValidationError(
            _("%(label)s: choose a date from %(earliest)s to %(latest)s.")
            % {
                "label": label,
                "earliest": f"{EARLIEST_DAY:%Y-%m-%d}",
                "latest": f"{LATEST_DAY:%Y-%m-%d}",
            }
        )


def _hide_small_label() -> str:
    threshold = settings.REGISTRY_SUPPRESSION_THRESHOLD
    return _("Hide counts below %(threshold)s (for sharing outside the agency)") % {
        "threshold": threshold
    }


class HideSmallCountsField(forms.BooleanField):
    def __init__(self, **kwargs):
        # Lazy: the threshold is a setting, read when the form is shown.
        super().__init__(label=lazy(_hide_small_label, str)(), required=False, **kwargs)


class OrgSummaryForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=gettext_lazy("To"), widget=DATE_INPUT)
    hide_small = HideSmallCountsField()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        _sane_day(date_from, _("From"))
        _sane_day(date_to, _("To"))
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(
                _(
                    "The “From” date is after the “To” date. Choose a period that starts on or "
                    "before the day it ends."
                )
            )
        if date_from and date_to:
            try:
                limit = date_from.replace(year=date_from.year + LONGEST_PERIOD_YEARS)
            except ValueError:  # 29 February
                limit = date_from.replace(year=date_from.year + LONGEST_PERIOD_YEARS, day=28)
            if date_to >= limit:
                raise forms.ValidationError(
                    _("The period is longer than %(years)s years. Choose a shorter one.")
                    % {"years": LONGEST_PERIOD_YEARS}
                )
        return cleaned


class VacancyTrackerForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DATE_INPUT, required=False)
    hide_small = HideSmallCountsField()

    def clean_as_of(self):
        # An empty date means today, in the agency's time zone.
        day = self.cleaned_data.get("as_of") or timezone.localdate()
        _sane_day(day, _("As of"))
        return day


def default_period(today: datetime.date) -> dict:
    """The form's starting values: the current calendar year to date."""
    return {"date_from": today.replace(month=1, day=1), "date_to": today}
