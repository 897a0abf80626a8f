"""Forms for accounts: the second factor's code, inviting staff, accepting an invitation and
choosing a new password. Every field is bounded, with a message that says why."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from sendwise.core.bounded_forms import BoundedForm, BoundsMixin
from sendwise.core.forms import Radios
from sendwise.core.mail_tasks import password_reset_email
from sendwise.core.models import User
from sendwise.core.roles import INVITABLE_ROLES, Role

EMAIL_TOO_LONG = "Email address must be 254 characters or fewer"
NAME_TOO_LONG = "Full name must be 150 characters or fewer"
JOB_TOO_LONG = "Job title must be 100 characters or fewer"
PASSWORD_TOO_LONG = "Password must be 128 characters or fewer"  # noqa: S105  # pragma: allowlist secret
PASSWORDS_DIFFER = (
    "The two passwords do not match: enter the same password twice"  # pragma: allowlist secret
)
EMAIL_MESSAGES = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
    "max_length": EMAIL_TOO_LONG,
}


class CodeForm(BoundedForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "text"}
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "A code is 6 digits (a recovery code is 8 letters and numbers)",
        },
    )


class SetupCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code the app shows for SENDwise."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class InvitationForm(BoundedForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name", "max_length": NAME_TOO_LONG},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work email address: the invitation is sent there.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages=EMAIL_MESSAGES,
    )
    role = forms.ChoiceField(
        label="Role in SENDwise",
        widget=Radios,
        choices=[(r.value, r.label) for r in Role if r in INVITABLE_ROLES],
        error_messages={"required": "Choose the role they will have in SENDwise"},
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=100,
        required=False,
        error_messages={"max_length": JOB_TOO_LONG},
    )


class PasswordFields(BoundedForm):
    """A new password typed twice, checked by the project's password validators."""

    new_password1 = forms.CharField(
        label="New password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters. Not a common password, nor all numbers, nor like your name or email.",
        error_messages={"required": "Enter a password", "max_length": PASSWORD_TOO_LONG},
    )
    new_password2 = forms.CharField(
        label="Confirm the new password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again", "max_length": PASSWORD_TOO_LONG},
    )


class AcceptInvitationForm(PasswordFields):
    field_order = ["full_name", "new_password1", "new_password2"]
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name", "max_length": NAME_TOO_LONG},
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", PASSWORDS_DIFFER)
        elif first:
            someone = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, user=someone)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


class ResetRequestForm(BoundsMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages=EMAIL_MESSAGES,
    )

    def save(self, *, site: str, **_ignored) -> list:
        """Queue the email for the account with this address, if there is one (core.mail_tasks),
        and return the accounts emailed. The page says the same either way, and takes as long:
        nothing waits for SMTP."""
        users = list(self.get_users(self.cleaned_data["email"]))
        for user in users:
            password_reset_email.enqueue(user_id=user.pk, site=site)
        return users


class NewPasswordForm(BoundsMixin, SetPasswordForm):
    new_password1 = PasswordFields.base_fields["new_password1"]
    new_password2 = PasswordFields.base_fields["new_password2"]
    error_messages = {"password_mismatch": PASSWORDS_DIFFER}
