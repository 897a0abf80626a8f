"""Sign-in and audit-log filter forms, and the GOV.UK widgets every app's forms use."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from sendwise.core.bounded_forms import (  # noqa: F401 (every app's forms import them from here)
    BoundedForm,
    BoundedModelForm,
    BoundsMixin,
    IsoDateInput,
    PlausibleDateField,
    dose,
    plausible_date,
    text,
    whole_number,
)
from sendwise.core.models import AuditEntry

SIGN_IN_FAILED = "Enter a correct email address and password"


class Radios(forms.RadioSelect):
    """Radios whose field id is the first option's, so the error summary links to it (GOV.UK)."""

    def id_for_label(self, id_, index="0"):
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index)


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field id is the first box's, so the error summary links to it."""

    def id_for_label(self, id_, index="0"):
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index)


class SignInForm(BoundsMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        # Long enough for any password manager; short enough that hashing it costs nothing.
        max_length=1000,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": SIGN_IN_FAILED,
        "inactive": "This account has been switched off. Ask your school's administrator.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class AuditFilterForm(BoundedForm):
    user = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action")] + AuditEntry.Action.choices
    )
    object_type = forms.ChoiceField(
        label="Record",
        required=False,
        choices=[
            ("", "Any record"),
            ("pupil", "Pupil"),
            ("register", "SEND register"),
            ("account", "Sign-ins and accounts"),
            ("invitation", "Invitation"),
        ],
    )
    object_id = forms.CharField(label="Record number", required=False, max_length=20)
    since = forms.DateField(
        label="From date",
        required=False,
        widget=IsoDateInput(),
        error_messages={"invalid": "From date must be a real date"},
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Anyone")] + [(u.pk, str(u)) for u in users]


def errors_onto(form, error) -> None:
    """Put a service's ValidationError on the form: by field where the form has that field,
    otherwise at the top of the error summary. Services raise by-field or plain errors."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
