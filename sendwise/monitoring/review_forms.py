"""The review meeting form. It checks shape (dates, numbers, lengths); `review_services`
checks the rules (dates against the plan, results and decisions needed to complete)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sendwise.core.bounds import DOSE, HAPPENED, TOO_MANY
from sendwise.core.forms import BoundedForm, PlausibleDateField, Radios, dose
from sendwise.monitoring.models import (
    MAX_ACTION_NOTE,
    MAX_NAME,
    MAX_NOTE,
    MAX_ROLE,
    MAX_SUMMARY,
    MAX_VIEWS,
    OutcomeReview,
    PlacementDecision,
    Review,
)
from sendwise.monitoring.review_services import Attendee, Decision, OutcomeResult
from sendwise.planning.correction_forms import version_field
from sendwise.planning.models import Response

#: Rows for the people at the meeting (a review meeting is rarely larger).
ATTENDEE_ROWS = 8


def _text(label, limit, why, *, rows=4, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"{label.split(' (')[0]} must be {limit} characters or fewer, {why}"
        },
    )


#: A dose box that is not a whole number: which box (its intervention) and what it may hold,
#: not Django's bare "Enter a whole number."
DOSE_NOT_WHOLE = "{What} must be a whole number from {low} to {high}"


def dose_box(part: str, label: str, intervention: str) -> forms.IntegerField:
    """A box of a changed dose, its messages naming the intervention: the review has one set
    of boxes for each, all labelled alike."""
    low, high, why = DOSE[part]
    what = f"{label} for {intervention}"
    field = dose(
        part,
        label,
        error_messages={"invalid": DOSE_NOT_WHOLE.format(What=what, low=low, high=high)},
    )
    field.error_messages["max_value"] = TOO_MANY.format(What=what, high=high, why=why)
    return field


class ReviewForm(BoundedForm):
    held_on = PlausibleDateField(
        label="Date of the meeting",
        window=HAPPENED,
        what="the date of the meeting",
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "The date of the meeting must be a real date",
        },
    )
    pupil_views = _text(
        "What the pupil said",
        MAX_VIEWS,
        "so the record stays readable",
        help_text=(
            "In the pupil's own words where you can: what helps, what is hard, what they want next"
        ),
    )
    parent_views = _text("What parents or carers said", MAX_VIEWS, "so the record stays readable")
    summary = _text(
        "Summary of what was agreed",
        MAX_SUMMARY,
        "so the record stays readable",
        rows=6,
        help_text="Parents read this once you share the review: write it in plain English",
    )
    #: The review's version this form showed (0: no draft saved yet): a save by someone else
    #: in between is refused, not silently overwritten (``review_services.ReviewChanged``).
    version = version_field()

    def __init__(self, *args, outcomes=(), placements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.attendee_rows = []
        for i in range(ATTENDEE_ROWS):
            name, role = f"attendee_name_{i}", f"attendee_role_{i}"
            too_long = "must be {n} characters or fewer, so the record stays readable"
            self.fields[name] = forms.CharField(
                label=f"Name of person {i + 1}",
                required=False,
                max_length=MAX_NAME,
                error_messages={"max_length": f"A name {too_long.format(n=MAX_NAME)}"},
            )
            self.fields[role] = forms.CharField(
                label=f"Role of person {i + 1}",
                required=False,
                max_length=MAX_ROLE,
                error_messages={"max_length": f"A role {too_long.format(n=MAX_ROLE)}"},
            )
            self.attendee_rows.append((self[name], self[role]))
        self.outcome_rows = []
        for n, o in enumerate(outcomes, start=1):
            self.fields[f"result_{o.pk}"] = forms.ChoiceField(
                label=f"Was outcome {n} achieved?",
                choices=OutcomeReview.Result.choices,
                required=False,
                widget=Radios,
            )
            self.fields[f"outcome_note_{o.pk}"] = _text(
                f"Note on outcome {n} (staff only)",
                MAX_NOTE,
                "so the record stays readable",
                rows=2,
            )
            self.outcome_rows.append(o.pk)
        self.placement_rows = []
        for p in placements:
            name = p.intervention.name
            self.fields[f"response_{p.pk}"] = forms.ChoiceField(
                label=f"How did the pupil respond to {name}?",
                choices=[("", "Not judged"), *Response.choices],
                required=False,
            )
            self.fields[f"decision_{p.pk}"] = forms.ChoiceField(
                label=f"What happens next to {name}?",
                choices=PlacementDecision.Decision.choices,
                required=False,
                widget=Radios,
            )
            self.fields[f"sessions_per_week_{p.pk}"] = dose_box(
                "sessions_per_week", "Sessions a week", name
            )
            self.fields[f"minutes_per_session_{p.pk}"] = dose_box(
                "minutes_per_session", "Minutes a session", name
            )
            self.fields[f"weeks_{p.pk}"] = dose_box("weeks", "Weeks", name)
            self.fields[f"note_{p.pk}"] = _text(
                f"Note on {name} (staff only)", MAX_NOTE, "so the record stays readable", rows=2
            )
            self.placement_rows.append(p.pk)

    @classmethod
    def initial_from(cls, review: Review | None) -> dict:
        """What a saved draft said, to carry on editing it."""
        if review is None:
            return {"version": 0}
        initial = {
            "version": review.version,
            "held_on": review.held_on,
            "pupil_views": review.pupil_views,
            "parent_views": review.parent_views,
            "summary": review.summary,
        }
        for i, a in enumerate(review.attendees[:ATTENDEE_ROWS]):
            initial[f"attendee_name_{i}"], initial[f"attendee_role_{i}"] = a["name"], a["role"]
        for r in review.outcome_reviews.all():
            initial[f"result_{r.outcome_id}"], initial[f"outcome_note_{r.outcome_id}"] = (
                r.result,
                r.note,
            )
        for d in review.decisions.all():
            pid = d.placement_id
            initial.update(
                {
                    f"response_{pid}": d.response,
                    f"decision_{pid}": d.decision,
                    f"note_{pid}": d.note,
                    f"sessions_per_week_{pid}": d.sessions_per_week,
                    f"minutes_per_session_{pid}": d.minutes_per_session,
                    f"weeks_{pid}": d.weeks,
                }
            )
        return initial

    def service_arguments(self) -> dict:
        """The service's arguments, from a valid form."""
        return self._arguments(self.cleaned_data)

    def usable_arguments(self) -> dict:
        """The service's arguments from a form that is not valid, so the rules can be checked
        beside the shape in the same round: a value the form refused is left out (None, or
        empty for a choice), and a text too long is cut to its limit (the rules then see that
        something was written; the form already says it is too long)."""
        usable = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                usable[name] = self.cleaned_data[name]
            elif isinstance(field, forms.ChoiceField):
                usable[name] = ""
            elif isinstance(field, forms.CharField):
                raw = self.data.get(name, "")
                usable[name] = str(raw)[: field.max_length].strip()
            else:
                usable[name] = None
        return self._arguments(usable)

    def _arguments(self, data: dict) -> dict:
        return {
            "held_on": data["held_on"],
            "pupil_views": data["pupil_views"],
            "parent_views": data["parent_views"],
            "summary": data["summary"],
            "attendees": [
                Attendee(data[f"attendee_name_{i}"], data[f"attendee_role_{i}"])
                for i in range(ATTENDEE_ROWS)
            ],
            "outcomes": [
                OutcomeResult(pk, data[f"result_{pk}"], data[f"outcome_note_{pk}"])
                for pk in self.outcome_rows
            ],
            "decisions": [
                Decision(
                    pk,
                    data[f"decision_{pk}"],
                    data[f"response_{pk}"],
                    data[f"note_{pk}"],
                    data[f"sessions_per_week_{pk}"],
                    data[f"minutes_per_session_{pk}"],
                    data[f"weeks_{pk}"],
                )
                for pk in self.placement_rows
            ],
        }


class DueFilterForm(BoundedForm):
    when = forms.ChoiceField(
        label="Due",
        required=False,
        choices=[("", "All"), ("overdue", "Overdue"), ("soon", "In the next two weeks")],
    )
    state = forms.ChoiceField(
        label="Review meeting",
        required=False,
        choices=[("", "Any"), ("not_started", "Not started"), ("draft", "Started (draft)")],
    )


class EscalationDoneForm(BoundedForm):
    """What the SENCO did about an escalation, and when (``escalation_services`` checks the
    dates against the review and today)."""

    actioned_on = PlausibleDateField(
        label="Date it was done",
        window=HAPPENED,
        what="the date it was done",
        error_messages={
            "required": "Enter the date it was done",
            "invalid": "The date it was done must be a real date",
        },
    )
    actioned_note = forms.CharField(
        label="What was done",
        max_length=MAX_ACTION_NOTE,
        help_text="For example: request sent to the local authority, reference 4521",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what was done, for example 'Request sent to the local authority'",
            "max_length": f"What was done must be {MAX_ACTION_NOTE} characters or fewer",
        },
    )
