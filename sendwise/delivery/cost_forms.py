"""Forms for the costs of provision and the provision map's filters: shape only; the services
in ``cost_services`` read the money and check the rules (with the messages they give)."""

from __future__ import annotations

from django import forms

from sendwise.core.forms import BoundedForm, IsoDateInput, Radios
from sendwise.delivery import cost_services as services
from sendwise.delivery.cost_models import FundingSource, PayBand

MONEY_HELP = "In pounds, such as 18.50"


def _money(label: str, help_text: str = MONEY_HELP) -> forms.CharField:
    # Text, not a number field: the service reads "£1,200" as well as "1200", with its messages.
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=20)


class StaffRatesForm(BoundedForm):
    """The hourly cost of each pay band, on one form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for band, words in PayBand.choices:
            self.fields[band] = _money(f"{words} (£ an hour)")


class StaffBandForm(BoundedForm):
    staff = forms.ModelChoiceField(
        label="Member of staff",
        queryset=None,
        empty_label="Choose a member of staff",
        error_messages={"required": services.NOT_STAFF, "invalid_choice": services.NOT_STAFF},
    )
    band = forms.ChoiceField(
        label="Pay band",
        choices=[("", "Follow their role")] + PayBand.choices,
        required=False,
        error_messages={"invalid_choice": services.BAND_INVALID},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class RunningCostForm(BoundedForm):
    intervention = forms.ModelChoiceField(
        label="Intervention",
        queryset=None,
        empty_label="Choose an intervention",
        error_messages={
            "required": services.INTERVENTION_UNKNOWN,
            "invalid_choice": services.INTERVENTION_UNKNOWN,
        },
    )
    per_pupil = _money("Per pupil (£)", "Workbooks or materials each pupil uses up, such as 12.50")
    per_year = _money("Per school year (£)", "A licence or subscription, such as 300")
    one_off = _money("Bought once (£)", "A kit or training paid for once, such as 450")
    one_off_on = forms.DateField(
        label="Date the one-off cost was paid",
        help_text="It is counted in the term it was paid",
        required=False,
        widget=IsoDateInput(),
        error_messages={"invalid": "The date the one-off cost was paid must be a real date"},
    )
    note = forms.CharField(
        label="What they are (optional)",
        required=False,
        max_length=services.NOTE_MAX,
        error_messages={"max_length": services.NOTE_TOO_LONG},
    )

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions

    @staticmethod
    def initial_for(row) -> dict:
        """The form filled with an intervention's saved materials and licences, to change."""
        return {
            "intervention": row.intervention_id,
            "per_pupil": row.per_pupil,
            "per_year": row.per_year,
            "one_off": row.one_off,
            "one_off_on": row.one_off_on,
            "note": row.note,
        }


class GroupFundingForm(BoundedForm):
    group = forms.ModelChoiceField(
        label="Group",
        queryset=None,
        empty_label="Choose a group",
        error_messages={"required": services.GROUP_WRONG, "invalid_choice": services.GROUP_WRONG},
    )
    source = forms.ChoiceField(
        label="Where the money comes from",
        choices=FundingSource.choices,
        widget=Radios,
        error_messages={
            "required": services.SOURCE_INVALID,
            "invalid_choice": services.SOURCE_INVALID,
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=services.FUNDING_NOTE_MAX,
        error_messages={"max_length": services.FUNDING_NOTE_TOO_LONG},
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class PlacementFundingForm(BoundedForm):
    placement = forms.TypedChoiceField(
        label="Place",
        coerce=int,
        error_messages={
            "required": services.PLACEMENT_WRONG,
            "invalid_choice": services.PLACEMENT_WRONG,
        },
    )
    source = forms.ChoiceField(
        label="Where the money for this place comes from",
        choices=[(services.AS_GROUP, "The same as the group's")] + FundingSource.choices,
        widget=Radios,
        error_messages={
            "required": services.SOURCE_INVALID,
            "invalid_choice": services.SOURCE_INVALID,
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, the EHC plan's section F provision it pays for",
        required=False,
        max_length=services.FUNDING_NOTE_MAX,
        error_messages={"max_length": services.FUNDING_NOTE_TOO_LONG},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].choices = places


TERM_CHOICES = [
    ("", "The whole school year"),
    ("autumn", "Autumn term"),
    ("spring", "Spring term"),
    ("summer", "Summer term"),
]
YEAR_GROUPS = [("", "Every year group"), ("0", "Reception")] + [
    (str(n), f"Year {n}") for n in range(1, 14)
]
#: How many school years back the map can look (records older than this are for archives).
YEARS_BACK = 5
FILTER_INVALID = "Choose from the list"


class MapFilterForm(BoundedForm):
    year = forms.TypedChoiceField(
        label="School year", coerce=int, error_messages={"invalid_choice": FILTER_INVALID}
    )
    term = forms.ChoiceField(
        label="Term",
        choices=TERM_CHOICES,
        required=False,
        error_messages={"invalid_choice": FILTER_INVALID},
    )
    nc_year = forms.TypedChoiceField(
        label="Year group",
        choices=YEAR_GROUPS,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": FILTER_INVALID},
    )

    def __init__(self, *args, this_year: int, pupil_filters: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.this_year = this_year
        self.fields["year"].choices = [
            (str(y), f"{y}/{(y + 1) % 100:02d}")
            for y in range(this_year, this_year - YEARS_BACK, -1)
        ]
        self.fields["year"].initial = str(this_year)
        if not pupil_filters:
            del self.fields["nc_year"]

    def choices(self) -> dict:
        """The chosen period and year group; this school year, every year group when the
        filters are not valid (the page shows why)."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return {
                "year": data["year"],
                "term": data["term"],
                "nc_year": data.get("nc_year"),
            }
        return {"year": self.this_year, "term": "", "nc_year": None}
