"""Plan forms: shape only; the services check the school's rules."""

from django import forms

from sendwise.core.bounds import HAPPENED, PLANNED
from sendwise.core.forms import BoundedForm, dose, plausible_date

SMART_HINT = (
    "Specific, measurable, achievable, relevant and time-bound. For example: By 20 March, Sam "
    "will read 60 words correctly a minute on a Year 3 passage (now 38), with fewer than 3 errors."
)


def _date(label: str, window=PLANNED, required: bool = True) -> forms.DateField:
    return plausible_date(label, window, required=required)


class PlanForm(BoundedForm):
    start_date = _date("Start date")
    review_date = _date("Review date")
    pupil_contribution = forms.CharField(
        label="What the pupil said (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent_contribution = forms.CharField(
        label="What parents or carers said (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(BoundedForm):
    text = forms.CharField(
        label="Outcome",
        help_text=SMART_HINT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the outcome"},
    )
    measure = forms.ModelChoiceField(
        label="Measured on (optional)", queryset=None, required=False, empty_label="No measure"
    )
    baseline = forms.FloatField(
        label="Baseline score",
        required=False,
        help_text="Within the measure's range, shown beside its name",
        error_messages={"invalid": "The baseline must be a number"},
    )
    baseline_date = _date("Baseline date", HAPPENED, required=False)
    target = forms.FloatField(
        label="Target score",
        required=False,
        help_text="Within the measure's range, shown beside its name",
        error_messages={"invalid": "The target must be a number"},
    )
    target_date = _date("Target date", PLANNED, required=False)
    placement = forms.ModelChoiceField(
        label="The goal of (optional)",
        help_text=(
            "The intervention this outcome measures. The school's results for an intervention "
            "count only its own outcomes, so a reading score is never credited to a "
            "social skills group."
        ),
        queryset=None,
        required=False,
        empty_label="The plan as a whole",
        error_messages={"invalid_choice": "Choose an intervention of this plan"},
    )

    def __init__(self, *args, measures, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: m.name_with_range
        self.fields["placement"].queryset = placements
        self.fields["placement"].label_from_instance = lambda p: p.intervention.name


class PlacementForm(BoundedForm):
    sessions_per_week = dose("sessions_per_week", "Sessions a week")
    minutes_per_session = dose("minutes_per_session", "Minutes a session")
    weeks = dose("weeks", "Weeks")
    deliverer = forms.ModelChoiceField(
        label="Who delivers it", queryset=None, required=False, empty_label="Not decided yet"
    )
    why_chosen = forms.CharField(
        label="Why this was chosen", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outside_age_reason = forms.CharField(
        label="Why it is right outside its age range (only if it is)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverer"].queryset = staff


class WithdrawForm(BoundedForm):
    """Why an outcome or a placement entered by mistake is withdrawn (the service checks it)."""

    reason = forms.CharField(
        label="Why are you withdrawing it?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why it is being withdrawn",
            "max_length": "Keep the reason to 300 characters or fewer",
        },
    )
