"""Forms check shape (a date is a date, a choice is on the list); services check the rules."""

from django import forms
from django.utils import timezone

from sendwise.concerns import services
from sendwise.concerns.models import Area, Concern, Rating
from sendwise.concerns.selectors import ConcernFilters
from sendwise.core.bounds import HAPPENED, PLANNED, DateWindow
from sendwise.core.codes import NC_YEAR_CHOICES, Need
from sendwise.core.forms import BoundedForm, Checkboxes, PlausibleDateField, Radios


def _date_field(
    label: str,
    window: DateWindow,
    *,
    what: str,
    required_message: str,
    invalid: str,
    required=True,
    help_text="",
):
    return PlausibleDateField(
        label=label,
        window=window,
        what=what,
        required=required,
        help_text=help_text,  # no example date: the browser's date box shows its own format
        error_messages={"required": required_message, "invalid": invalid},
    )


class ConcernFilterForm(BoundedForm):
    q = forms.CharField(label="Pupil's name", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")],
    )
    year = forms.TypedChoiceField(
        label="Year group",
        required=False,
        choices=[("", "Any year")] + NC_YEAR_CHOICES,
        coerce=int,
        empty_value=None,
    )

    def filters(self) -> ConcernFilters:
        """The filters to apply; open concerns of any year when the query string is invalid."""
        if not self.is_valid():
            return ConcernFilters()
        data = self.cleaned_data
        status = data["status"] or Concern.Status.OPEN
        return ConcernFilters(
            status="" if status == "all" else status, year=data["year"], q=data["q"].strip()
        )


class ConcernRaiseForm(BoundedForm):
    areas = forms.MultipleChoiceField(
        label="What are you worried about?",
        help_text="Select all that apply.",
        choices=Area.choices,
        widget=Checkboxes,
        error_messages={
            "required": services.AREAS_REQUIRED,
            "invalid_choice": services.AREA_UNKNOWN,
        },
    )
    what_seen = forms.CharField(
        label="What have you seen?",
        help_text="Describe what the pupil does or finds hard, when, and how often. "
        "Say what you have already tried in class.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": services.WHAT_SEEN_REQUIRED},
    )
    raised_on = _date_field(
        "When did you notice this?",
        HAPPENED,
        what="the date you noticed this",
        required_message=services.RAISED_ON_REQUIRED,
        invalid="The date you noticed this must be a real date",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"raised_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ObservationAskForm(BoundedForm):
    teachers = forms.ModelMultipleChoiceField(
        label="Who should add observations?",
        help_text="Teachers and intervention specialists of the school; those who work with "
        "the pupil's class come first. Select all that apply.",
        queryset=None,
        widget=Checkboxes,
        error_messages={
            "required": services.TEACHERS_REQUIRED,
            "invalid_choice": services.TEACHER_NOT_ALLOWED,
            "invalid_pk_value": services.TEACHER_NOT_ALLOWED,
        },
    )
    message = forms.CharField(
        label="Message to staff (optional)",
        help_text="For example, what to look out for. Staff do not see the original concern, "
        "so their observations are their own.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers
        self.fields["teachers"].label_from_instance = _observer_label


def _observer_label(user) -> str:
    if getattr(user, "works_with_pupil", False):
        return f"{user.full_name} (works with the pupil's class)"
    return user.full_name


class ObservationForm(BoundedForm):
    """A rating and an example for every area; fields `<area>_rating` and `<area>_example`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in Area:
            label = area.label.lower()
            self.fields[f"{area.value}_rating"] = forms.ChoiceField(
                label=area.label,
                choices=Rating.choices,
                widget=Radios,
                error_messages={
                    "required": services.RATING_REQUIRED.format(area=label),
                    "invalid_choice": services.RATING_UNKNOWN.format(area=label),
                },
            )
            self.fields[f"{area.value}_example"] = forms.CharField(
                label=f"Example for {label}",
                help_text="Needed for some or significant concern.",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def areas(self):
        """(area, rating field, example field) in the order of `Area`, for the template."""
        return [
            (area, self[f"{area.value}_rating"], self[f"{area.value}_example"]) for area in Area
        ]

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            area.value: (
                data.get(f"{area.value}_rating", ""),
                data.get(f"{area.value}_example", ""),
            )
            for area in Area
        }


class ParentsInformedForm(BoundedForm):
    informed_on = _date_field(
        "When were the parents told?",
        HAPPENED,
        what="the date the parents were told",
        required_message=services.INFORMED_ON_REQUIRED,
        invalid="The date the parents were told must be a real date",
    )
    how = forms.ChoiceField(
        label="How were they told?",
        choices=Concern.ParentContact.choices,
        widget=Radios,
        error_messages={
            "required": services.INFORMED_HOW_REQUIRED,
            "invalid_choice": services.INFORMED_HOW_REQUIRED,
        },
    )
    response = forms.CharField(
        label="What did the parents say?",
        help_text="Their view of the concern, what they see at home, and any questions.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": services.RESPONSE_REQUIRED},
    )


class ConcernCloseForm(BoundedForm):
    outcome = forms.ChoiceField(
        label="What is the outcome?",
        choices=Concern.Outcome.choices,
        widget=Radios,
        error_messages={
            "required": services.OUTCOME_REQUIRED,
            "invalid_choice": services.OUTCOME_REQUIRED,
        },
    )
    primary_need = forms.ChoiceField(
        label="Primary type of need",
        required=False,
        choices=[("", "Choose a type of need")] + Need.choices,
        error_messages={"invalid_choice": services.NEED_UNKNOWN},
    )
    secondary_need = forms.ChoiceField(
        label="Secondary type of need (optional)",
        required=False,
        choices=[("", "None")] + Need.choices,
        error_messages={"invalid_choice": services.NEED_UNKNOWN},
    )
    review_on = _date_field(
        "Review date",
        PLANNED,
        what="the review date",
        required=False,
        required_message=services.REVIEW_DATE_REQUIRED,
        invalid="The review date must be a real date",
        help_text="When to look at this pupil's progress again.",
    )
    # Not required here: the service checks it with the outcome's other rules, so every missing
    # answer is listed at once.
    reasons = forms.CharField(
        label="Reasons for this decision",
        help_text="What the observations, the pupil's progress and the parents' views show.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
