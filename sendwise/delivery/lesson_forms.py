"""Forms for protected lessons: shape only (a day is a school day, a time is a time, a number is
a whole number); ``lesson_services`` checks the rules (the school day, overlaps, the limits)."""

from __future__ import annotations

from django import forms

from sendwise.core.forms import BoundedForm
from sendwise.delivery import lesson_services, lessons
from sendwise.delivery.lesson_services import LessonInput
from sendwise.delivery.models import Weekday

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _time(label: str, required: str, hint: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=hint,
        widget=TIME_WIDGET,
        error_messages={"required": required, "invalid": f"{required}, as hours and minutes"},
    )


class LessonForm(BoundedForm):
    weekday = forms.TypedChoiceField(
        label="Day",
        choices=[("", "Choose a day")] + Weekday.choices,
        coerce=int,
        error_messages={"required": lessons.ERR_DAY, "invalid_choice": lessons.ERR_DAY},
    )
    starts_at = _time("Starts", lessons.ERR_START, "For example, 09:00")
    ends_at = _time("Ends", lessons.ERR_END, "For example, 10:00")
    subject = forms.ChoiceField(
        label="Subject",
        choices=[("", "Choose a subject")] + list(lessons.SUBJECTS),
        error_messages={"required": lessons.ERR_SUBJECT, "invalid_choice": lessons.ERR_SUBJECT},
    )
    other_subject = forms.CharField(
        label="If Other, the subject's name",
        help_text=f"For example, Forest school (up to {lessons.OTHER_NAME_MAX} characters)",
        required=False,
        max_length=lessons.OTHER_NAME_MAX,
        error_messages={"max_length": lessons.ERR_OTHER_TOO_LONG},
    )

    @classmethod
    def initial_for(cls, lesson) -> dict:
        return {
            "weekday": lesson.weekday,
            "starts_at": lesson.starts_at,
            "ends_at": lesson.ends_at,
            "subject": lesson.subject,
            "other_subject": lesson.other_subject,
        }

    def lesson_input(self) -> LessonInput:
        data = self.cleaned_data
        return LessonInput(
            weekday=data["weekday"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            subject=data["subject"],
            other_subject=data["other_subject"],
        )


def _count(label: str, hint: str, message: str, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=low,
        max_value=high,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )


class LessonRulesForm(BoundedForm):
    most_missed = _count(
        "Most times a pupil may miss the same subject in a half-term",
        "Setting up a group or adding a pupil warns when this would be broken; "
        "recommendations do not count such a group as ready. 0 protects every lesson.",
        lesson_services.MOST_MISSED_RANGE,
        0,
        20,
    )
    weeks_per_half_term = _count(
        "School weeks in a half-term",
        "A group that meets in the same lesson every week takes a pupil out of it this many "
        "times a half-term.",
        lesson_services.WEEKS_RANGE,
        1,
        10,
    )
    day_starts = _time(
        "School day starts", lesson_services.DAY_START_REQUIRED, "For example, 08:45"
    )
    day_ends = _time("School day ends", lesson_services.DAY_END_REQUIRED, "For example, 15:15")

    @classmethod
    def initial_for(cls, rules) -> dict:
        return {
            "most_missed": rules.most_missed,
            "weeks_per_half_term": rules.weeks_per_half_term,
            "day_starts": rules.day_starts,
            "day_ends": rules.day_ends,
        }


class WithdrawalFilterForm(BoundedForm):
    class_group = forms.TypedChoiceField(
        label="Class", required=False, coerce=int, empty_value=None
    )
    subject = forms.ChoiceField(
        label="Subject", required=False, choices=[("", "Any subject")] + list(lessons.SUBJECTS)
    )
    over = forms.BooleanField(
        label="Only pupils who miss a subject more than the limit", required=False
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_group"].choices = [("", "Any class")] + [(c.pk, c.name) for c in classes]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"class_id": None, "subject": "", "over": False}
        data = self.cleaned_data
        return {"class_id": data["class_group"], "subject": data["subject"], "over": data["over"]}
