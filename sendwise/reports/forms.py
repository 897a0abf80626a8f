"""Forms of the reports: which academic year a summary covers, which pupils a pack holds."""

from datetime import date

from django import forms
from django.utils import timezone

from sendwise.core.codes import NC_YEAR_CHOICES
from sendwise.core.forms import BoundedForm
from sendwise.reports.governor_selectors import academic_year

YEAR_RANGE = (
    "Choose a school year from {first} to {last}: this school's records in SENDwise begin on "
    "{begun}, so an earlier year cannot be counted honestly (pupils who had left by then were "
    "never recorded), and a later year has not started."
)
CLASS_OR_YEAR = "Choose a class or a year group (one of the two), not both."


def _label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


class YearForm(BoundedForm):
    """The school year of the governors' summary (the year that starts in September): from the
    year the school's records in SENDwise begin (``records_begin``, today when there are none)
    to this one."""

    year = forms.TypedChoiceField(label="School year", coerce=int, required=False)

    def __init__(self, *args, records_begin: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        begun = min(records_begin or today, today)
        first, last = academic_year(begun), academic_year(today)
        self.fields["year"].choices = [(y, _label(y)) for y in range(last, first - 1, -1)]
        self.fields["year"].error_messages["invalid_choice"] = YEAR_RANGE.format(
            first=_label(first), last=_label(last), begun=f"{begun.day} {begun:%B %Y}"
        )

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
