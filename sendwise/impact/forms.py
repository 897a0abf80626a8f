"""The impact page's filters: an academic year the school has results in, a term, a sort."""

from django import forms

from sendwise.core.forms import BoundedForm
from sendwise.impact.models import Term
from sendwise.impact.school_selectors import SORTS

YEAR_UNKNOWN = "Choose a year the school has results in"


class ImpactFilterForm(BoundedForm):
    year = forms.TypedChoiceField(
        label="School year", required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": YEAR_UNKNOWN},
    )  # fmt: skip
    term = forms.ChoiceField(
        label="Term", required=False, choices=[("", "Every term"), *Term.choices],
        error_messages={"invalid_choice": "Choose autumn, spring, summer or every term"},
    )  # fmt: skip
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=list(SORTS.items()),
        error_messages={"invalid_choice": "Choose how to sort from the list"},
    )  # fmt: skip

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Every year")] + [
            (y, f"{y}/{str(y + 1)[-2:]}") for y in years
        ]
