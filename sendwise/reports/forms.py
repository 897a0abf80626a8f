"""Forms of the reports: which academic year a summary covers, which pupils a pack holds."""

from django import forms
from django.utils import timezone

from sendwise.core.codes import NC_YEAR_CHOICES
from sendwise.core.forms import BoundedForm
from sendwise.reports.governor_selectors import academic_year

#: SENDwise holds no records from before this school year; a later year has no data yet.
FIRST_YEAR = 2015
YEAR_RANGE = "Choose a school year from {first}/{first_next:02d} to {last}/{last_next:02d}: SENDwise has no records outside those years."
CLASS_OR_YEAR = "Choose a class or a year group (one of the two), not both."


def _year_message() -> str:
    last = academic_year(timezone.localdate())
    return YEAR_RANGE.format(
        first=FIRST_YEAR, first_next=(FIRST_YEAR + 1) % 100, last=last, last_next=(last + 1) % 100
    )


class YearForm(BoundedForm):
    """The school year of the governors' summary (the year that starts in September)."""

    year = forms.TypedChoiceField(label="School year", coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = academic_year(timezone.localdate())
        self.fields["year"].choices = [
            (y, f"{y}/{(y + 1) % 100:02d}") for y in range(last, FIRST_YEAR - 1, -1)
        ]
        self.fields["year"].error_messages["invalid_choice"] = _year_message()

    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") or None


class PackForm(BoundedForm):
    """Every parent report of one class, or of one year group."""

    class_id = forms.TypedChoiceField(label="Class", coerce=int, required=False, empty_value=None)
    nc_year = forms.TypedChoiceField(
        label="Or a whole year group", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_id"].choices = [("", "Choose a class")] + [
            (c.pk, c.name) for c in classes
        ]
        self.fields["class_id"].error_messages["invalid_choice"] = (
            "Choose one of the school's classes."
        )
        self.fields["nc_year"].choices = [("", "Choose a year group")] + list(NC_YEAR_CHOICES)
        self.fields["nc_year"].error_messages["invalid_choice"] = "Choose one of the year groups."

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("class_id") is None) == (data.get("nc_year") is None):
            raise forms.ValidationError(CLASS_OR_YEAR)
        return data
