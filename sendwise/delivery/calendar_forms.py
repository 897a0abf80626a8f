"""The closure form: shape only (a date is a date, a kind is one of the kinds);
``calendar_services`` checks the rules (the range, the order, overlaps, the name)."""

from __future__ import annotations

from django import forms

from sendwise.core.bounds import CALENDAR
from sendwise.core.forms import BoundedForm, PlausibleDateField, Radios
from sendwise.delivery import calendar_services as services
from sendwise.delivery.models import Closure


class ClosureForm(BoundedForm):
    name = forms.CharField(
        label="Name",
        help_text=f"For example, Autumn half-term (up to {services.NAME_MAX} characters)",
        max_length=services.NAME_MAX,
        error_messages={"required": services.NAME_REQUIRED, "max_length": services.NAME_TOO_LONG},
    )
    kind = forms.ChoiceField(
        label="Kind of closure",
        choices=Closure.Kind.choices,
        widget=Radios,
        error_messages={
            "required": services.KIND_REQUIRED,
            "invalid_choice": services.KIND_REQUIRED,
        },
    )
    first_day = PlausibleDateField(
        label="First day closed",
        window=CALENDAR,
        what="the first day closed",
        error_messages={
            "required": services.FIRST_REQUIRED,
            "invalid": "The first day closed must be a real date",
        },
    )
    last_day = PlausibleDateField(
        label="Last day closed",
        window=CALENDAR,
        what="the last day closed",
        help_text="Leave empty for a single day",
        required=False,
        error_messages={"invalid": "The last day closed must be a real date"},
    )

    @classmethod
    def initial_for(cls, closure: Closure) -> dict:
        return {
            "name": closure.name,
            "kind": closure.kind,
            "first_day": closure.first_day,
            "last_day": closure.last_day,
        }

    def closure_input(self) -> services.ClosureInput:
        data = self.cleaned_data
        return services.ClosureInput(
            first_day=data["first_day"],
            last_day=data["last_day"],
            kind=data["kind"],
            name=data["name"],
        )
