"""Forms for correcting an outcome, a placement or a plan's review date: the fields of adding
one, the reason, and the version the form showed (the services check the rules)."""

from django import forms

from sendwise.core.bounds import PLANNED
from sendwise.core.forms import BoundedForm, plausible_date
from sendwise.planning.correction_services import MAX_REASON, REASON_REQUIRED, REASON_TOO_LONG
from sendwise.planning.forms import OutcomeForm, PlacementForm


def reason_field() -> forms.CharField:
    return forms.CharField(
        label="Why are you correcting it?",
        help_text="Kept in the record's history, with your name and the time",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED, "max_length": REASON_TOO_LONG},
    )


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class OutcomeCorrectForm(OutcomeForm):
    reason = reason_field()
    version = version_field()

    def __init__(self, *args, outcome, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "text": outcome.text,
                "measure": outcome.measure_id,
                "baseline": None if outcome.baseline is None else f"{outcome.baseline:g}",
                "baseline_date": outcome.baseline_date,
                "target": None if outcome.target is None else f"{outcome.target:g}",
                "target_date": outcome.target_date,
                "placement": outcome.placement_id,
                "version": outcome.version,
            },
        )
        super().__init__(*args, **kwargs)


class PlacementCorrectForm(PlacementForm):
    reason = reason_field()
    version = version_field()

    def __init__(self, *args, placement, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "sessions_per_week": placement.sessions_per_week,
                "minutes_per_session": placement.minutes_per_session,
                "weeks": placement.weeks,
                "deliverer": placement.deliverer_id,
                "why_chosen": placement.why_chosen,
                "outside_age_reason": placement.outside_age_reason,
                "version": placement.version,
            },
        )
        super().__init__(*args, **kwargs)


class ReviewDateForm(BoundedForm):
    review_date = plausible_date("Review date", PLANNED)
    reason = reason_field()
    version = version_field()

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("initial", {"review_date": plan.review_date, "version": plan.version})
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = "Why is the review date moving?"
