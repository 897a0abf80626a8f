"""The filter of the trust and authority impact pages: which school year, which intervention.

Shape only: whether the year has results and the intervention ran is the selector's business
(it falls back to the newest year and to no comparison, and the page says so)."""

from django import forms

from sendwise.core.forms import BoundedForm

YEAR_MIN, YEAR_MAX = 2000, 2100
BAD_YEAR = "Choose a school year from the list"
BAD_INTERVENTION = "Choose an intervention from the list"


class AcrossFilterForm(BoundedForm):
    year = forms.IntegerField(
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": BAD_YEAR,
            "min_value": BAD_YEAR,
            "max_value": BAD_YEAR,
        },
    )
    intervention = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "invalid": BAD_INTERVENTION,
            "min_value": BAD_INTERVENTION,
            "max_value": BAD_INTERVENTION,
        },
    )

    def choice(self, name: str) -> int | None:
        """The value asked for, or None when none was asked for or it was not a valid choice."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name)
