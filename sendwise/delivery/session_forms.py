"""The session register form: shape only (a number is a number, a choice is one of the choices);
``session_services.session_record`` checks the rules. One fieldset per pupil, named by member
id, so the error summary links to the pupil a message is about."""

from __future__ import annotations

from django import forms

from sendwise.core import bounds
from sendwise.core.forms import BoundedForm, Checkboxes, Radios
from sendwise.delivery.models import Adaptation, Attendance, Session
from sendwise.delivery.session_selectors import Register
from sendwise.delivery.session_services import (
    ATTENDANCE_STATUS,
    CANCEL_REASON_REQUIRED,
    MAX_TEXT,
    MINUTES_RANGE,
    MINUTES_REQUIRED,
    STATUS_REQUIRED,
    AdaptationInput,
    AttendanceInput,
    SessionInput,
)

ADAPTATION_WHAT_REQUIRED = "Describe what you adapted, or choose 'Nothing adapted'"
ADAPTATION_WHY_REQUIRED = "Say why you adapted it"
#: Text typed about an adaptation with "Nothing adapted" chosen: refused, the text kept, since
#: the practitioner did adapt something and only the kind (which files it) is missing.
ADAPTATION_KIND_REQUIRED = (
    "Choose what kind of thing you adapted, or clear what you changed and why if nothing was "
    "adapted"
)
#: A minutes value that is not a whole number ("half an hour", "25.5").
MINUTES_WHOLE = "Enter the minutes delivered as a whole number, for example 30"


class RegisterForm(BoundedForm):
    status = forms.ChoiceField(
        label="Did the session happen?",
        choices=Session.Status.choices,
        widget=Radios,
        error_messages={"required": STATUS_REQUIRED, "invalid_choice": STATUS_REQUIRED},
    )
    cancel_reason = forms.ChoiceField(
        label="If it was cancelled, why?",
        required=False,
        choices=[("", "Not cancelled")] + Session.CancelReason.choices,
        error_messages={"invalid_choice": CANCEL_REASON_REQUIRED},
    )
    minutes = forms.IntegerField(
        label="Minutes delivered",
        required=False,
        min_value=0,
        max_value=bounds.MINUTES_PER_SESSION,
        error_messages={
            "invalid": MINUTES_WHOLE,
            # Replaced per register by the range for its session (``__init__``).
            "min_value": MINUTES_REQUIRED,
            "max_value": f"Minutes delivered must be {bounds.MINUTES_PER_SESSION} or fewer: "
            "a session lasts a morning at most",
        },
    )
    components = forms.MultipleChoiceField(
        label="Core components delivered",
        required=False,
        widget=Checkboxes,
        help_text="What must happen in a session for it to be the programme. Tick each one that happened.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reinforce_in_class = forms.CharField(
        label="What to reinforce in class this week (optional)",
        required=False,
        max_length=MAX_TEXT,
        help_text="The class teacher sees this",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    adaptation_kind = forms.ChoiceField(
        label="Did you adapt anything? (optional)",
        required=False,
        choices=[("", "Nothing adapted")] + Adaptation.Kind.choices,
    )
    adaptation_what = forms.CharField(label="What you changed", required=False, max_length=2000)
    adaptation_why = forms.CharField(label="Why you changed it", required=False, max_length=2000)
    editing = forms.IntegerField(required=False, widget=forms.HiddenInput)
    seen_at = forms.CharField(required=False, widget=forms.HiddenInput)

    #: The bound of the note and of what to reinforce, as the page writes it ("2,000").
    max_text = f"{MAX_TEXT:,}"
    #: What a person types that a register saved by someone else meanwhile must not lose.
    TYPED = ("note", "reinforce_in_class", "adaptation_kind", "adaptation_what", "adaptation_why")

    def __init__(self, *args, register: Register, typed: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        components = register.group.intervention.core_components or []
        self.fields["components"].choices = [(c, c) for c in components]
        minutes = self.fields["minutes"]
        minutes.help_text = f"The session is {register.slot.minutes} minutes long"
        # A number outside the range was entered, below or above: say this session's range (the
        # service's rule, minutes no longer than the slot), not "enter how many minutes" or
        # the 180 that bounds any session (a tester met both messages for one box). The
        # service checks the slot's length, with the register's other rules, so that every
        # mistake is listed at once; the box says the same bound.
        in_range = MINUTES_RANGE.format(most=register.slot.minutes)
        minutes.error_messages["min_value"] = minutes.error_messages["max_value"] = in_range
        minutes.widget.attrs["max"] = register.slot.minutes
        reasons = [("", "Not absent")] + Attendance.AbsenceReason.choices
        engagement = [("", "Not recorded")] + [
            (str(v), f"{v} – {label}") for v, label in Attendance.Engagement.choices
        ]
        for row in register.rows:
            key = f"member_{row.member.pk}"
            self.fields[key] = forms.ChoiceField(
                label=row.name,
                choices=Attendance.Status.choices,
                widget=Radios,
                error_messages={
                    "required": ATTENDANCE_STATUS.format(pupil=row.name),
                    "invalid_choice": ATTENDANCE_STATUS.format(pupil=row.name),
                },
            )
            self.fields[f"{key}_reason"] = forms.ChoiceField(
                label="If absent, why", required=False, choices=reasons
            )
            self.fields[f"{key}_engagement"] = forms.TypedChoiceField(
                label="Engagement",
                required=False,
                choices=engagement,
                coerce=int,
                empty_value=None,
            )
        if not self.is_bound:
            self.initial.update(self.initial_for(register, components))
        #: Text typed here that could not join what was saved without taking the field past
        #: its bound: (field, its label, the text typed), shown beside the field, never saved
        #: silently cut (``keep_typed``).
        self.overflow: list[tuple[str, str, str]] = []
        #: The labels of the fields where ``typed`` text was kept (``keep_typed``).
        self.kept: list[str] = self.keep_typed(typed) if typed else []

    def keep_typed(self, typed: dict) -> list[str]:
        """After someone else saved the session first, the form shows what they saved, and
        keeps what this person typed in the free-text fields: their note after the saved one
        (both stay), their adaptation as typed (adaptations are added, never overwritten).
        When the two together would be longer than the field may hold, the field keeps what
        was saved and this person's text is kept apart (``overflow``), for them to shorten and
        move in: the bound is never passed, and nothing typed is cut. Returns the labels of the
        fields kept."""
        kept = []
        for name in self.TYPED:
            mine = (typed.get(name) or "").strip()
            saved = (self.initial.get(name) or "").strip()
            if (
                not mine
                or mine == saved
                or (name in ("note", "reinforce_in_class") and mine in saved)
            ):
                continue
            label = str(self.fields[name].label).split(" (")[0]
            merged = f"{saved}\n\n{mine}" if saved else mine
            limit = self.fields[name].max_length
            if limit is not None and len(merged) > limit:
                self.overflow.append((name, label, mine))
                continue
            self.initial[name] = merged
            kept.append(label)
        return kept

    def overflow_for(self, name: str) -> str:
        """What this person typed in ``name`` that is kept beside it, not in it ('' if none)."""
        return next((text for field, _label, text in self.overflow if field == name), "")

    @staticmethod
    def initial_for(register: Register, components: list[str]) -> dict:
        """Everyone present for a new session, and no component ticked: a box ticked for the
        deliverer would record full fidelity for a session nobody checked, and fidelity is what
        tells a school whether it ran the evaluated programme (issue 11, item 2). What was
        saved for a recorded one."""
        session = register.session
        if session is None:
            initial = {
                "status": Session.Status.DELIVERED,
                "minutes": register.slot.minutes,
                "components": [],
            }
            for row in register.rows:
                initial[f"member_{row.member.pk}"] = Attendance.Status.PRESENT
            return initial
        initial = {
            "status": session.status,
            "cancel_reason": session.cancel_reason,
            "minutes": session.minutes,
            "components": session.components_delivered,
            "note": session.note,
            "reinforce_in_class": session.reinforce_in_class,
            "editing": session.pk,
            "seen_at": session.recorded_at.isoformat(),
        }
        for row in register.rows:
            a = row.attendance
            key = f"member_{row.member.pk}"
            initial[key] = a.status if a else Attendance.Status.PRESENT
            initial[f"{key}_reason"] = a.absence_reason if a else ""
            initial[f"{key}_engagement"] = a.engagement if a else None
        return initial

    def pupil_fields(self):
        """(status, reason, engagement) bound fields for each pupil, in register order."""
        for row in self.register.rows:
            key = f"member_{row.member.pk}"
            yield self[key], self[f"{key}_reason"], self[f"{key}_engagement"]

    def clean(self):
        data = super().clean()
        what = (data.get("adaptation_what") or "").strip()
        why = (data.get("adaptation_why") or "").strip()
        if data.get("adaptation_kind"):
            if not what:
                self.add_error("adaptation_what", ADAPTATION_WHAT_REQUIRED)
            if not why:
                self.add_error("adaptation_why", ADAPTATION_WHY_REQUIRED)
        elif (what or why) and "adaptation_kind" not in self.errors:
            self.add_error("adaptation_kind", ADAPTATION_KIND_REQUIRED)
        return data

    def session_input(self) -> SessionInput:
        data = self.cleaned_data
        attendance = [
            AttendanceInput(
                member_id=row.member.pk,
                status=data[f"member_{row.member.pk}"],
                absence_reason=data[f"member_{row.member.pk}_reason"],
                engagement=data[f"member_{row.member.pk}_engagement"],
            )
            for row in self.register.rows
        ]
        adaptation = None
        if data.get("adaptation_kind"):
            adaptation = AdaptationInput(
                kind=data["adaptation_kind"],
                what=data["adaptation_what"],
                why=data["adaptation_why"],
            )
        return SessionInput(
            status=data["status"],
            cancel_reason=data.get("cancel_reason") or "",
            minutes=data.get("minutes"),
            note=data.get("note") or "",
            reinforce_in_class=data.get("reinforce_in_class") or "",
            components=list(data.get("components") or []),
            attendance=attendance,
            adaptation=adaptation,
        )
