"""Delivery forms: shape only (a day is a weekday, a time is a time); the services check the
rules (clashes, full groups, who may join). Rows of slots and windows are numbered fields, so
the error summary can link to the row a service error is about."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.bounds import HAPPENED
from sendwise.core.forms import BoundedForm, Checkboxes, PlausibleDateField, Radios, dose
from sendwise.delivery import services
from sendwise.delivery.models import Adaptation, Weekday
from sendwise.delivery.selectors import AdaptationFilters

SLOT_ROWS = 4
WINDOW_ROWS = 5
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DAY_CHOICES = [("", "No day")] + Weekday.choices


def _day(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=DAY_CHOICES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": services.DAY_INVALID},
    )


def _time(label: str, invalid: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=TIME_WIDGET,
        error_messages={"invalid": invalid},
    )


def _date(label: str, *, what: str, required_message: str, invalid: str) -> forms.DateField:
    return PlausibleDateField(
        label=label,
        window=HAPPENED,
        what=what,
        error_messages={"required": required_message, "invalid": invalid},
    )


@dataclass(frozen=True)
class Row:
    """One numbered row of fields, for the delivery/_row.html partial."""

    legend: str
    items: list  # (short label, bound field, extra input class)

    @property
    def has_errors(self) -> bool:
        return any(field.errors for _, field, _ in self.items)


def _renamed(
    error: ValidationError, names: dict[str, str], prefixes: dict[str, str] | None = None
) -> ValidationError:
    """The service's error with its keys renamed to this form's fields (``slot_0`` is the first
    field of slot row 0), so ``errors_onto`` links each message to a field it can focus; a row's
    messages start with the row's name ("Session 2: ...") so the summary says which row."""
    if not hasattr(error, "error_dict"):
        return error
    prefixes = prefixes or {}
    renamed: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        prefix = prefixes.get(key, "")
        renamed.setdefault(names.get(key, key), []).extend(f"{prefix}{m}" for m in messages)
    return ValidationError(renamed)


class GroupForm(BoundedForm):
    intervention = forms.ModelChoiceField(
        label="Intervention",
        queryset=None,
        empty_label="Choose an intervention",
        error_messages={
            "required": services.INTERVENTION_UNKNOWN,
            "invalid_choice": services.INTERVENTION_UNKNOWN,
        },
    )
    # Name and places are checked by the service, with the timetable, so every problem is
    # listed at once.
    name = forms.CharField(
        label="Group name",
        help_text="For example, Year 4 reading, Tuesday and Thursday",
        required=False,
        max_length=100,
    )
    deliverer = forms.ModelChoiceField(
        label="Who runs it",
        queryset=None,
        required=False,
        empty_label="Not decided yet",
        error_messages={"invalid_choice": services.NOT_STAFF},
    )
    room = forms.CharField(label="Room (optional)", required=False, max_length=100)
    places = forms.IntegerField(
        label="Places",
        help_text="How many pupils the group can take",
        required=False,
        error_messages={"invalid": services.PLACES_REQUIRED},
        max_value=services.MAX_PLACES,
        min_value=1,
    )

    def __init__(self, *args, interventions, staff, slot_rows: int = SLOT_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        self.fields["deliverer"].queryset = staff
        self.fields["deliverer"].label_from_instance = lambda u: u.full_name
        self.slot_rows = slot_rows
        for n in range(slot_rows):
            number = n + 1
            self.fields[f"slot_{n}_weekday"] = _day(f"Session {number} day")
            self.fields[f"slot_{n}_time"] = _time(
                f"Session {number} time",
                f"Session {number}: enter the time as hours and minutes, like 09:10",
            )
            self.fields[f"slot_{n}_minutes"] = dose(
                "minutes_per_session",
                f"Session {number} minutes",
                error_messages={
                    "invalid": f"Session {number}: enter the length in whole minutes, like 30"
                },
            )

    def slots(self) -> list[Row]:
        return [
            Row(
                f"Session {n + 1}",
                [
                    ("Day", self[f"slot_{n}_weekday"], ""),
                    ("Time", self[f"slot_{n}_time"], ""),
                    ("Minutes", self[f"slot_{n}_minutes"], "govuk-input--width-3"),
                ],
            )
            for n in range(self.slot_rows)
        ]

    def slot_inputs(self) -> list[services.SlotInput]:
        data = self.cleaned_data
        return [
            services.SlotInput(
                weekday=data.get(f"slot_{n}_weekday"),
                starts_at=data.get(f"slot_{n}_time"),
                minutes=data.get(f"slot_{n}_minutes"),
            )
            for n in range(self.slot_rows)
        ]

    def service_error(self, error: ValidationError) -> ValidationError:
        """Row errors go to the row's day; timetable clashes to the first session given."""
        names = {f"slot_{n}": f"slot_{n}_weekday" for n in range(self.slot_rows)}
        filled = [
            n
            for n in range(self.slot_rows)
            if any(self.data.get(f"slot_{n}_{part}") for part in ("weekday", "time", "minutes"))
        ]
        names["slots"] = f"slot_{filled[0] if filled else 0}_weekday"
        prefixes = {f"slot_{n}": f"Session {n + 1}: " for n in range(self.slot_rows)}
        return _renamed(error, names, prefixes)

    @staticmethod
    def initial_for(group) -> dict:
        initial = {
            "intervention": group.intervention_id,
            "name": group.name,
            "deliverer": group.deliverer_id,
            "room": group.room,
            "places": group.places,
        }
        for n, slot in enumerate(group.slots.all()):
            initial[f"slot_{n}_weekday"] = slot.weekday
            initial[f"slot_{n}_time"] = slot.starts_at
            initial[f"slot_{n}_minutes"] = slot.minutes
        return initial


class MemberAddForm(BoundedForm):
    placement = forms.TypedChoiceField(
        label="Pupil",
        help_text="Pupils whose current plan includes this intervention",
        coerce=int,
        error_messages={"required": "Choose a pupil", "invalid_choice": "Choose a pupil"},
    )
    joined_on = _date(
        "Date they joined",
        what="the date the pupil joined",
        required_message=services.JOINED_REQUIRED,
        invalid="The date the pupil joined must be a real date",
    )

    def __init__(self, *args, placements, **kwargs):
        kwargs.setdefault("initial", {"joined_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["placement"].choices = [("", "Choose a pupil")] + [
            (p.pk, f"{p.plan.pupil.full_name} ({p.plan.pupil.nc_year_label})") for p in placements
        ]


class IdChoices(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses ids no database could hold before looking them
    up (SQLite raises OverflowError on an integer over 64 bits, which would be a 500)."""

    def _check_values(self, value):
        for v in value:
            text = str(v)
            if not (text.isascii() and text.isdigit() and len(text) <= 18):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value"
                )
        return super()._check_values(value)


class StaffDeliveryForm(BoundedForm):
    interventions = IdChoices(
        label="Trained to deliver",
        help_text="Select every intervention this person is trained to run.",
        queryset=None,
        required=False,
        widget=Checkboxes,
        error_messages={
            "invalid_choice": services.INTERVENTION_UNKNOWN,
            "invalid_pk_value": services.INTERVENTION_UNKNOWN,
        },
    )

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interventions"].queryset = interventions

        for n in range(WINDOW_ROWS):
            number = n + 1
            self.fields[f"window_{n}_weekday"] = _day(f"Weekly time {number} day")
            self.fields[f"window_{n}_from"] = _time(
                f"Weekly time {number} from",
                f"Weekly time {number}: enter when it starts, like 13:15",
            )
            self.fields[f"window_{n}_until"] = _time(
                f"Weekly time {number} until",
                f"Weekly time {number}: enter when it ends, like 14:45",
            )

    def windows(self) -> list[Row]:
        return [
            Row(
                f"Weekly time {n + 1}",
                [
                    ("Day", self[f"window_{n}_weekday"], ""),
                    ("From", self[f"window_{n}_from"], ""),
                    ("Until", self[f"window_{n}_until"], ""),
                ],
            )
            for n in range(WINDOW_ROWS)
        ]

    def window_inputs(self) -> list[services.TimeWindow]:
        data = self.cleaned_data
        return [
            services.TimeWindow(
                weekday=data.get(f"window_{n}_weekday"),
                starts_at=data.get(f"window_{n}_from"),
                ends_at=data.get(f"window_{n}_until"),
            )
            for n in range(WINDOW_ROWS)
        ]

    def service_error(self, error: ValidationError) -> ValidationError:
        names = {f"window_{n}": f"window_{n}_weekday" for n in range(WINDOW_ROWS)}
        names["intervention"] = "interventions"
        names["staff"] = "interventions"
        prefixes = {f"window_{n}": f"Weekly time {n + 1}: " for n in range(WINDOW_ROWS)}
        return _renamed(error, names, prefixes)

    @staticmethod
    def initial_for(trainings, times) -> dict:
        initial: dict = {"interventions": [t.intervention_id for t in trainings]}
        for n, t in enumerate(times[:WINDOW_ROWS]):
            initial[f"window_{n}_weekday"] = t.weekday
            initial[f"window_{n}_from"] = t.starts_at
            initial[f"window_{n}_until"] = t.ends_at
        return initial


class StaffChooseForm(BoundedForm):
    staff = forms.TypedChoiceField(
        label="Member of staff",
        coerce=int,
        error_messages={
            "required": services.NOT_STAFF,
            "invalid_choice": services.NOT_STAFF,
        },
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "Choose a member of staff")] + [
            (u.pk, u.full_name) for u in staff
        ]


class BudgetForm(BoundedForm):
    # Text, not a number field: the service reads "£2,500" as well as "2500".
    amount = forms.CharField(
        label="Budget for interventions (£)",
        help_text="For example, 12000 or £12,000.50",
        required=False,
        max_length=20,
    )


class CostForm(BoundedForm):
    intervention = forms.ModelChoiceField(
        label="Intervention",
        queryset=None,
        empty_label="Choose an intervention",
        error_messages={
            "required": services.INTERVENTION_UNKNOWN,
            "invalid_choice": services.INTERVENTION_UNKNOWN,
        },
    )
    per_pupil = forms.CharField(
        label="Cost per pupil (£)",
        help_text="Staff time, materials and licences for one pupil's place, such as 120.50",
        required=False,
        max_length=20,
    )
    note = forms.CharField(
        label="How it is worked out (optional)",
        help_text="For example, 10 weeks of 3 × 30 minutes of a teaching assistant's time",
        required=False,
        max_length=300,
    )

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions


class AdaptationForm(BoundedForm):
    kind = forms.ChoiceField(
        label="What did you adapt?",
        choices=Adaptation.Kind.choices,
        widget=Radios,
        error_messages={
            "required": services.KIND_REQUIRED,
            "invalid_choice": services.KIND_REQUIRED,
        },
    )
    what = forms.CharField(
        label="What you changed",
        help_text="For example, cut sessions to 20 minutes and added a movement break",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    why = forms.CharField(
        label="Why you changed it",
        help_text="What you noticed about the pupils or the sessions",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    result = forms.ChoiceField(
        label="What happened?",
        choices=Adaptation.Result.choices,
        widget=Radios,
        error_messages={
            "required": services.RESULT_REQUIRED,
            "invalid_choice": services.RESULT_REQUIRED,
        },
    )
    group = forms.ModelChoiceField(
        label="Which group (optional)",
        queryset=None,
        required=False,
        empty_label="Not one group",
    )
    recorded_on = _date(
        "Date",
        what="the date",
        required_message="Enter the date",
        invalid="The date must be a real date",
    )

    def __init__(self, *args, groups, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("recorded_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].error_messages["invalid_choice"] = (
            "Choose one of the groups listed, or no group"
        )


class GroupFilterForm(BoundedForm):
    q = forms.CharField(label="Search groups", required=False, max_length=100)
    intervention = forms.TypedChoiceField(
        label="Intervention", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].choices = [("", "Any intervention")] + [
            (i.pk, i.name) for i in interventions
        ]

    def filters(self) -> tuple[int | None, str]:
        if not self.is_valid():
            return None, ""
        return self.cleaned_data["intervention"], self.cleaned_data["q"].strip()


class AdaptationFilterForm(BoundedForm):
    intervention = forms.TypedChoiceField(
        label="Intervention", required=False, coerce=int, empty_value=None
    )
    result = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Any result")] + Adaptation.Result.choices,
    )

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].choices = [("", "Any intervention")] + [
            (i.pk, i.name) for i in interventions
        ]

    def filters(self) -> AdaptationFilters:
        if not self.is_valid():
            return AdaptationFilters()
        return AdaptationFilters(
            intervention_id=self.cleaned_data["intervention"], result=self.cleaned_data["result"]
        )
