"""Form pieces for client demographics (suggestion lists, the agency's extra questions) and
the program's capacity history."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import DemographicQuestion, ProgramCapacity

UNREADABLE_DEMOGRAPHICS = _(
    "The other demographics could not be read (the form was changed outside the registry). "
    "Reload the client's form and enter the answers again."
)


def _answers_or_none(text) -> dict | None:
    """Parsed answers: an object of text answers keyed by question key, or None if the
    text is anything else (not JSON, a list, nested values)."""
    try:
        answers = json.loads(text) if isinstance(text, str) else text
    except (TypeError, ValueError):
        return None
    if not isinstance(answers, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        return None
    return answers


class SuggestingTextInput(forms.TextInput):
    """A free-text input offering common answers (an HTML datalist)."""

    template_name = "snippets/widgets/suggesting_text_input.html"

    def __init__(self, suggestions, attrs=None):
        super().__init__(attrs)
        self.suggestions = list(suggestions)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-suggestions"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["suggestions"] = self.suggestions
        return context


class LanguagesInput(SuggestingTextInput):
    """Several languages in one box, separated by commas, with suggestions."""

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def value_from_datadict(self, data, files, name):
        raw = data.get(name, "")
        # The model's SimpleArrayField splits on commas; semicolons are accepted too.
        return ",".join(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


class DemographicsWidget(forms.Widget):
    """One input per DemographicQuestion; answers travel as a JSON object."""

    template_name = "snippets/widgets/demographics.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A form re-shown after an error may carry unreadable input: show no answers.
        answers = _answers_or_none(value or "{}") or {}
        context["widget"]["questions"] = [
            {
                "question": question,
                "input_name": f"{name}__{question.key}",
                "input_id": f"id_{name}__{question.key}",
                "value": answers.get(question.key, ""),
            }
            for question in DemographicQuestion.objects.all()
        ]
        # Answers to questions since removed are kept, and shown, never silently dropped.
        known = {q.key for q in DemographicQuestion.objects.all()}
        context["widget"]["orphans"] = {k: v for k, v in answers.items() if k not in known}
        context["widget"]["orphans_json"] = json.dumps(context["widget"]["orphans"])
        return context

    def value_from_datadict(self, data, files, name):
        answers = {}
        prefix = f"{name}__"
        for key, value in data.items():
            if key.startswith(prefix) and key != f"{name}__orphans":
                cleaned = str(value).strip()
                if cleaned:
                    answers[key[len(prefix) :]] = cleaned
        orphans = data.get(f"{name}__orphans")
        if orphans:
            kept = _answers_or_none(orphans)
            if kept is None:
                # Not JSON on purpose: the form field refuses it with UNREADABLE_DEMOGRAPHICS.
                return "<unreadable>"
            for key, value in kept.items():
                answers.setdefault(key, value)
        return json.dumps(answers)

    def value_omitted_from_data(self, data, files, name):
        return False


def _source_system_choices():
    from .selectors import source_system_codes

    return [("", "---------")] + [(code, code) for code in source_system_codes()]


class SourceSystemSelect(forms.Select):
    """The source id's system: the agency's active source systems, read when the form is
    shown (an Administrator's new system appears without a restart). A stored id of a
    system since made inactive keeps its value."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=_source_system_choices)

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        offered = {option["value"] for _, options, _ in groups for option in options}
        for code in value:
            if code and code not in offered:
                groups.append((None, [self.create_option(name, code, code, True, len(groups))], 0))
        return groups


class RestrictionScopeSelect(forms.Select):
    """The scope drop-down; its script shows the program only for program restrictions and
    refuses to submit a program restriction without one (the server checks it too)."""

    class Media:
        js = ["snippets/js/restriction-form.js"]


class ClientForm(WagtailAdminModelForm):
    """The client form: unreadable "other demographics" get a message saying what to do
    (Client.clean refuses answers to questions the agency never asked)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "extra_demographics" in self.fields:
            self.fields["extra_demographics"].error_messages["invalid"] = UNREADABLE_DEMOGRAPHICS


def _periods_overlap(first, second) -> bool:
    """Two inclusive periods ``(from, to)``, an empty bound unbounded, share a day."""
    (start, end), (other_start, other_end) = first, second
    return (start is None or other_end is None or start <= other_end) and (
        other_start is None or end is None or other_start <= end
    )


def _overlap_message():
    """The exclusion constraint's own sentence, so the form and the database say one thing."""
    return next(
        c.violation_error_message
        for c in ProgramCapacity._meta.constraints
        if c.name == "program_capacity_periods_do_not_overlap"
    )


class ProgramForm(WagtailAdminModelForm):
    """The program's form. Its capacity history's periods are checked against each other
    here, so that two periods covering one day are a message beside the period rather than
    the database's refusal (the exclusion constraint ``program_capacity_periods_do_not_overlap``,
    which stays the rule) as a server error after the other changes were half applied."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("capacity_history")
        if formset is None or not formset.is_valid():
            return cleaned  # each period's own errors (an inverted period) come first
        seen = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or formset._should_delete_form(form) or data.get("capacity") is None:
                continue
            period = (data.get("effective_from"), data.get("effective_to"))
            if any(_periods_overlap(period, earlier) for earlier in seen):
                form.add_error("effective_from", _overlap_message())
            seen.append(period)
        if any(form.errors for form in formset.forms):
            raise forms.ValidationError(_overlap_message())
        return cleaned
