"""Forms for a group's scores and for correcting or withdrawing a score. They check shape (a
number, a real date, a reason's length); the services check the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.bounded_forms import EXPONENT
from sendwise.core.bounds import HAPPENED, NUMBER_EXPONENT, SCORE_MAGNITUDE
from sendwise.core.forms import BoundedForm, PlausibleDateField
from sendwise.monitoring.correction_services import MAX_REASON, REASON_TOO_LONG
from sendwise.monitoring.group_services import RowInput

NOT_A_NUMBER = "Enter the score as a number, like 85 or 12.5"
#: "1e2" in a score box: the message names the score, not the box's label (a pupil's name,
#: which the group form puts before every message of its row, as written).
SCORE_EXPONENT = NUMBER_EXPONENT.format(what="the score")
#: A score on no measure yet (the measure not chosen, or not valid): the widest plausible range.
SCORE_TOO_LARGE = (
    f"The score must be between -{SCORE_MAGNITUDE:,} and {SCORE_MAGNITUDE:,}: no measure reports "
    "a number that large, so check for a typing slip"
)


class ScoreField(forms.FloatField):
    """A score: a number, not in exponent form, within ``measure``'s own range (the one rule
    for scores, ``Measure.score_problem``, so a 60-digit number gets "between 25 and 175 on
    ...", not a general bound, and 5.5 on a measure reported in whole numbers is refused). With no measure, within ``SCORE_MAGNITUDE``, unless ``later``:
    a form whose measure is another of its fields checks the range in its ``clean`` with
    ``check_on``, once the measure is known."""

    # The bounds are the measure's, applied here: core.bounded_forms leaves this field alone.
    _bounded = True

    def __init__(self, *, measure=None, later: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.measure, self.later = measure, later

    def to_python(self, value):
        if isinstance(value, str) and EXPONENT.fullmatch(value.strip().replace(",", "")):
            raise ValidationError(SCORE_EXPONENT, code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is None or (self.later and self.measure is None):
            return
        problem = check_on(self.measure, value)
        if problem:
            raise ValidationError(problem, code="out_of_range")


def check_on(measure, value: float) -> str | None:
    """Why ``value`` cannot be a score on ``measure`` (or on any measure, when None)."""
    if measure is not None:
        return measure.score_problem(value)
    return SCORE_TOO_LARGE if abs(value) > SCORE_MAGNITUDE else None


def score_field(
    label: str, *, required: bool = True, hint: str = "", measure=None
) -> forms.FloatField:
    # A text box, not type=number: GOV.UK advises against number inputs for values like these.
    return ScoreField(
        measure=measure,
        label=label,
        required=required,
        help_text=hint,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
        ),
        error_messages={"required": "Enter the score", "invalid": NOT_A_NUMBER},
    )


def date_field(label: str = "Date taken") -> forms.DateField:
    return PlausibleDateField(
        label=label,
        window=HAPPENED,
        what="the date taken",
        error_messages={
            "required": "Enter the date the assessment was taken",
            "invalid": "Date taken must be a real date",
        },
    )


def measure_label(measure) -> str:
    """The measure's name with its range (``Measure.name_with_range``)."""
    return measure.name_with_range


def row_hint(last, bounds: str) -> str:
    """What is shown under a member's box: their last score on the measure, and the range."""
    said = (
        f"Last score {last.value:g} on {last.taken_on:%-d %b %Y}"
        if last is not None
        else "No score on this measure yet"
    )
    return f"{said}. {bounds}" if bounds else said


class GroupScoresForm(BoundedForm):
    """One date and one box a member (``member_<id>``); blank boxes are skipped."""

    taken_on = date_field()

    def __init__(self, *args, rows, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [r for r in rows if r.shown]
        self.fields["taken_on"].initial = timezone.localdate()
        bounds = f"Allowed: {measure.range_hint.lower()}" if measure and measure.range_hint else ""
        for row in self.rows:
            self.fields[row.field_name] = score_field(
                row.pupil.name, required=False, hint=row_hint(row.last, bounds), measure=measure
            )

    def clean(self):
        # A box that is not a number says whose it is, in the error summary as by the box.
        for row in self.rows:
            if row.field_name in self._errors:
                self._errors[row.field_name] = self.error_class(
                    [f"{row.pupil.name}: {message}" for message in self._errors[row.field_name]]
                )
        return super().clean()

    def row_inputs(self) -> list[RowInput]:
        return [
            RowInput(member_id=row.member.pk, value=self.cleaned_data.get(row.field_name))
            for row in self.rows
        ]

    def row_fields(self):
        """(row, bound field) for each row the reader may see, in the page's order."""
        return [(row, self[row.field_name]) for row in self.rows]


class ReasonField(forms.CharField):
    def __init__(self, label: str, required_message: str):
        super().__init__(
            label=label,
            max_length=MAX_REASON,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": required_message, "max_length": REASON_TOO_LONG},
        )


class ScoreCorrectForm(BoundedForm):
    value = score_field("Score")
    taken_on = date_field()
    reason = ReasonField("Why are you correcting it?", "Say why the score is being corrected")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, score, **kwargs):
        kwargs.setdefault(
            "initial",
            {"value": f"{score.value:g}", "taken_on": score.taken_on, "version": score.version},
        )
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = score.measure.range_hint
        self.fields["value"].measure = score.measure


class ScoreWithdrawForm(BoundedForm):
    reason = ReasonField("Why are you withdrawing it?", "Say why the score is being withdrawn")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
