"""The form on a local study's page: the reason it is set aside, or a note on counting it again
(the view decides which from the study's state; the services check the rules)."""

from django import forms

from sendwise.core.forms import BoundedForm
from sendwise.impact.study_models import REASON_MAX


class LocalStudyForm(BoundedForm):
    reason = forms.CharField(
        max_length=REASON_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Keep the reason to {REASON_MAX:,} characters or fewer, so that it "
            "reads as a note beside the study"
        },
    )

    def __init__(self, *args, set_aside: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if set_aside:
            field.label = "Why should it count again? (optional)"
        else:
            field.label = "Why is this study not representative?"
            field.help_text = (
                "For example: a supply teacher ran most sessions, the tests were given "
                "differently, or the pupils were chosen in an unusual way. Do not name pupils."
            )
