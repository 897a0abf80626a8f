"""Forms check shape; services check the catalogue's rules."""

from django import forms

from sendwise.core.codes import NC_YEAR_CHOICES, Area, Need
from sendwise.core.forms import BoundedForm, Checkboxes, dose
from sendwise.evidence.codes import DeliveredBy, Format, Kind, Strength
from sendwise.evidence.selectors import CatalogueFilters
from sendwise.evidence.services import AREA_REQUIRED, MESSAGES_REQUIRED, MessageEdit

MESSAGE_MAX = 500
NEW_MESSAGE_SLOTS = 2


class MessageSearchForm(BoundedForm):
    q = forms.CharField(
        label="Search the key messages",
        required=False,
        max_length=100,
        help_text="Words in a message, or the name of an intervention",
    )

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class CatalogueFilterForm(BoundedForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Name, provider or words in the key messages",
    )
    area = forms.ChoiceField(
        label="Broad area of need", required=False, choices=[("", "Any area")] + Area.choices
    )
    need = forms.ChoiceField(
        label="Type of need",
        required=False,
        choices=[("", "Any need")] + [(c, f"{c}: {label}") for c, label in Need.choices],
    )
    skill = forms.ChoiceField(label="Skill", required=False)
    year = forms.TypedChoiceField(
        label="Year group",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any year")] + NC_YEAR_CHOICES,
    )
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "Any format")] + Format.choices
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Interventions and strategies")] + Kind.choices
    )
    strength = forms.ChoiceField(
        label="Evidence", required=False, choices=[("", "Any evidence")] + Strength.choices
    )
    has_cost = forms.BooleanField(label="Only entries with cost information", required=False)
    max_cost = forms.DecimalField(
        label="Costs us at most (£ a pupil)",
        help_text="Uses the costs your school has recorded",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
    )

    def __init__(self, *args, skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", "Any skill")] + list(skills)

    def filters(self) -> CatalogueFilters:
        """The filters to apply; none when the query string is invalid (nothing breaks)."""
        if not self.is_valid():
            return CatalogueFilters()
        data = self.cleaned_data
        return CatalogueFilters(
            q=data["q"].strip(),
            area=data["area"],
            need=data["need"],
            skill=data["skill"],
            year=data["year"],
            format=data["format"],
            kind=data["kind"],
            strength=data["strength"],
            has_cost=data["has_cost"],
            max_cost=data["max_cost"],
        )


class InterventionForm(BoundedForm):
    """A school's own practice-based intervention. Rules are checked by intervention_create."""

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the intervention's name"}
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Kind.choices,
        initial=Kind.TARGETED,
        error_messages={"required": "Choose the kind of support"},
    )
    provider = forms.CharField(
        label="Who developed it (optional)",
        required=False,
        max_length=200,
        help_text="For example, our speech and language team",
    )
    broad_areas = forms.MultipleChoiceField(
        label="Broad areas of need",
        choices=Area.choices,
        widget=Checkboxes,
        error_messages={"required": AREA_REQUIRED},
    )
    need_codes = forms.MultipleChoiceField(
        label="Types of need it suits (optional)",
        required=False,
        widget=Checkboxes,
        choices=[(c, f"{c}: {label}") for c, label in Need.choices if c != Need.NSA],
    )
    skills = forms.CharField(
        label="Skills it targets (optional)",
        required=False,
        max_length=300,
        help_text="Separate skills with commas, for example decoding, reading fluency",
    )
    nc_year_min = forms.TypedChoiceField(
        label="Youngest year group",
        coerce=int,
        choices=NC_YEAR_CHOICES,
        error_messages={"required": "Choose the youngest year group"},
    )
    nc_year_max = forms.TypedChoiceField(
        label="Oldest year group",
        coerce=int,
        choices=NC_YEAR_CHOICES,
        error_messages={"required": "Choose the oldest year group"},
    )
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "Not set")] + Format.choices
    )
    group_size = forms.IntegerField(
        label="Largest group (optional)",
        required=False,
        min_value=1,
        max_value=60,
        error_messages={
            "invalid": "Largest group must be a whole number",
            "min_value": "Largest group must be at least 1",
            "max_value": "Largest group must be 60 or fewer",
        },
    )
    sessions_per_week = dose("sessions_per_week", "Sessions a week")
    minutes_per_session = dose("minutes_per_session", "Minutes a session")
    weeks = dose("weeks", "Number of weeks")
    delivered_by = forms.ChoiceField(
        label="Delivered by", required=False, choices=[("", "Not set")] + DeliveredBy.choices
    )
    training = forms.CharField(
        label="Training needed (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    cost_note = forms.CharField(
        label="Cost (optional)",
        required=False,
        max_length=500,
        help_text="For example, £40 of materials per group; staff time",
    )
    guidance = forms.CharField(
        label="How to run it well (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What must stay the same, and what staff may adapt",
    )
    key_message = forms.CharField(
        label="Key message (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        help_text="What your own practice has shown, in a sentence or two",
    )


class KeyMessagesForm(BoundedForm):
    """The live key messages of one intervention, each changeable, plus blanks to add more.

    A message emptied is removed (archived: its history stays).
    """

    def __init__(self, *args, messages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots: list[tuple[int | None, str, str]] = []
        for number, message in enumerate(messages, start=1):
            self._add(number, message.pk, message.text, (message.sources or [""])[0])
        for extra in range(NEW_MESSAGE_SLOTS):
            self._add(len(messages) + extra + 1, None, "", "")

    def _add(self, number: int, pk, text: str, source: str) -> None:
        name = f"message_{number}"
        self.fields[name] = forms.CharField(
            label=f"Key message {number}",
            required=False,
            initial=text,
            max_length=MESSAGE_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                "max_length": f"Key message {number} must be {MESSAGE_MAX} characters or fewer"
            },
        )
        self.fields[f"source_{number}"] = forms.CharField(
            label=f"Source of key message {number} (optional)",
            required=False,
            initial=source,
            max_length=300,
            error_messages={
                "max_length": f"Source of key message {number} must be 300 characters or fewer"
            },
        )
        self.slots.append((pk, name, f"source_{number}"))

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for _, name, _ in self.slots):
            self.add_error(self.slots[0][1], MESSAGES_REQUIRED)
        return data

    def rows(self):
        """(message field, source field) pairs in order, for the template."""
        return [(self[name], self[source]) for _, name, source in self.slots]

    def edits(self) -> list[MessageEdit]:
        return [
            MessageEdit(
                id=pk,
                text=self.cleaned_data.get(name) or "",
                source=self.cleaned_data.get(source) or "",
            )
            for pk, name, source in self.slots
        ]
