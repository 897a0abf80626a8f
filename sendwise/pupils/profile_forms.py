"""Forms for the needs profile, skills, one-page profile and voice (shape only)."""

from django import forms
from django.utils import timezone

from sendwise.core.bounds import HAPPENED
from sendwise.core.codes import Area
from sendwise.core.forms import BoundedForm, BoundedModelForm, PlausibleDateField
from sendwise.pupils.models import NeedsProfile, OnePageProfile, SkillNeed, Voice


class NeedsProfileForm(BoundedModelForm):
    class Meta:
        model = NeedsProfile
        fields = [
            "strengths",
            "interests",
            "what_helps",
            "what_does_not_help",
            "background",
            "attendance_percent",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["strengths", "interests", "what_helps", "what_does_not_help", "background"]
        }
        error_messages = {
            "attendance_percent": {"invalid": "Attendance must be a number, like 94.5"}
        }


class SkillNeedForm(BoundedForm):
    skill = forms.TypedChoiceField(
        label="Skill", coerce=int, error_messages={"required": "Choose a skill"}
    )
    severity = forms.TypedChoiceField(
        label="How much does it affect learning?",
        coerce=int,
        choices=SkillNeed.Severity.choices,
        error_messages={"required": "Choose how much it affects learning"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=300)

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", "Choose a skill")] + [
            (s.pk, f"{s.name} ({s.get_area_display()})") for s in skills
        ]


class SkillCreateForm(BoundedForm):
    name = forms.CharField(
        label="Skill", max_length=80, error_messages={"required": "Enter the skill's name"}
    )
    area = forms.ChoiceField(label="Broad area of need", choices=Area.choices)
    description = forms.CharField(label="What it covers (optional)", required=False, max_length=200)


class OnePageProfileForm(BoundedModelForm):
    class Meta:
        model = OnePageProfile
        fields = ["appreciation", "important_to_me", "how_to_support"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class VoiceForm(BoundedForm):
    kind = forms.ChoiceField(label="Whose view is it?", choices=Voice.Kind.choices)
    text = forms.CharField(
        label="What they said, in their words",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter what was said"},
    )
    gathered_on = PlausibleDateField(
        label="Date gathered",
        window=HAPPENED,
        what="the date gathered",
        error_messages={
            "required": "Enter the date the view was gathered",
            "invalid": "Date gathered must be a real date",
        },
    )

    def __init__(self, *args, parent_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gathered_on"].initial = timezone.localdate()
        if parent_only:
            del self.fields["kind"]  # a parent's view is always a parent's view
            self.fields[
                "text"
            ].label = "Your view: how is your child getting on, and what helps at home?"
