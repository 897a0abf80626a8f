"""The form for recording a score. It checks shape; `services.score_add` checks the rules."""

from django import forms
from django.utils import timezone

from sendwise.core.bounds import HAPPENED
from sendwise.core.forms import BoundedForm, PlausibleDateField
from sendwise.monitoring.group_forms import ScoreField, check_on, measure_label


class ScoreForm(BoundedForm):
    measure = forms.ModelChoiceField(
        label="Measure",
        queryset=None,
        empty_label="Choose a measure",
        error_messages={
            "required": "Choose the measure the score is on",
            "invalid_choice": "Choose a measure from the list",
        },
    )
    # The measure's own range is checked in clean(), once the measure is known.
    value = ScoreField(
        later=True,
        label="Score",
        help_text="Within the measure's range, shown beside its name",
        # A text box, not type=number: GOV.UK advises against number inputs for values like these.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the score",
            "invalid": "Enter the score as a number, like 85 or 12.5",
        },
    )
    taken_on = PlausibleDateField(
        label="Date taken",
        window=HAPPENED,
        what="the date taken",
        error_messages={
            "required": "Enter the date the assessment was taken",
            "invalid": "Date taken must be a real date",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="For example, the test form used or anything that affected the result",
        error_messages={"max_length": "Note must be 300 characters or fewer"},
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = measure_label
        self.fields["taken_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        measure, value = data.get("measure"), data.get("value")
        problem = check_on(measure, value) if value is not None else None
        if problem:
            self.add_error("value", problem)
        return data


class DecisionFilterForm(BoundedForm):
    """Filters and sort of the pupils who need a decision (a GET form: bad values are ignored
    and said so, never a 500)."""

    # Long lists (a large school's classes) are cheap: the project's form renderer writes
    # every select in Python (core.form_renderer).
    reason = forms.ChoiceField(label="Reason", required=False)
    class_group = forms.TypedChoiceField(
        label="Class", required=False, coerce=int, empty_value=None
    )
    intervention = forms.TypedChoiceField(
        label="Intervention", required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label="Sort by", required=False)

    def __init__(self, *args, reasons, sorts, classes, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Any reason"), *reasons]
        self.fields["sort"].choices = sorts
        # classes and interventions: (id, name) pairs.
        self.fields["class_group"].choices = [("", "Any class"), *classes]
        self.fields["intervention"].choices = [("", "Any intervention"), *interventions]
        for name in ("reason", "class_group", "intervention", "sort"):
            self.fields[name].error_messages["invalid_choice"] = "Choose an option from the list"
