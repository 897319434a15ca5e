import django_filters
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors
from .fields import field_label
from .models import MatchKind, PossibleMatch

EMPTY_VALUES = (None, "", [], {})
AGES = [
    ("1", _("Older than a day")),
    ("7", _("Older than a week")),
    ("30", _("Older than 30 days")),
]


class PossibleMatchFilterSet(django_filters.FilterSet):
    """The filters of "Possible matches". Applied by selectors.possible_matches_waiting."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MatchKind.choices, empty_label=_("Rows and records")
    )
    source = django_filters.ChoiceFilter(label=_("Source"), empty_label=_("Any source"))
    run = django_filters.ModelChoiceFilter(
        label=_("Import run"),
        queryset=lambda request: selectors.runs_waiting(),
        empty_label=_("Any import run"),
    )
    older_than = django_filters.ChoiceFilter(label=_("Age"), choices=AGES, empty_label=_("Any age"))
    score_band = django_filters.ChoiceFilter(
        label=_("Score"),
        choices=[(key, label) for key, (label, _, _) in selectors.SCORE_BANDS.items()],
        empty_label=_("Any score"),
    )

    class Meta:
        model = PossibleMatch
        fields = ["kind", "source", "run", "older_than", "score_band"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["source"].extra["choices"] = [(s, s) for s in selectors.sources_waiting()]

    def selector_filters(self) -> dict:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return {
            "kind": data.get("kind") or None,
            "source": data.get("source") or None,
            "run_id": data["run"].pk if data.get("run") else None,
            "older_than_days": int(data["older_than"]) if data.get("older_than") else None,
            "score_band": data.get("score_band") or None,
        }


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the decision, for whoever looks at it later."),
    )


class MergeForm(forms.Form):
    """Which record survives, and for each field the two records disagree on, whose value
    to keep."""

    survivor = forms.ChoiceField(label=_("The record that stays"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why these are one person"), widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, first, second, differing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.second = first, second
        self.fields["survivor"].choices = [
            (str(first.pk), gettext("This one")),
            (str(second.pk), gettext("The other")),
        ]
        self.fields["survivor"].initial = str(first.pk)
        for name in differing:
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=field_label(name),
                choices=[("first", _("This one's")), ("second", _("The other's"))],
                # No default: unless chosen, the record that stays keeps its own value
                # (or takes the other's when its own is empty), whichever record stays.
                widget=forms.RadioSelect,
                # Not chosen: see merge_arguments.
                required=False,
            )

    def merge_arguments(self) -> dict:
        """survivor_id, merged_id and the per-field choices for services.clients_merge."""
        data = self.cleaned_data
        first_survives = data["survivor"] == str(self.first.pk)
        survivor, merged = (
            (self.first, self.second) if first_survives else (self.second, self.first)
        )
        choices = {}
        for key, side in data.items():
            if not key.startswith("keep_"):
                continue
            name = key.removeprefix("keep_")
            if side:
                kept = self.first if side == "first" else self.second
            else:  # not chosen: an empty answer never wins over the other record's
                kept = merged if getattr(survivor, name) in EMPTY_VALUES else survivor
            choices[name] = "survivor" if kept is survivor else "merged"
        return {
            "survivor_id": survivor.pk,
            "merged_id": merged.pk,
            "choices": choices,
            "reason": data["reason"],
        }
