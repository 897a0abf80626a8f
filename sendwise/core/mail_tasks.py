"""Emails, sent by the task workers (core.tasks, ADR 0005): a page that sends one answers at
once whether the mail server is slow or down, and the password-reset page takes as long
whether or not the address has an account (it queues a task or does not; it never waits for
SMTP).

The tasks get ids and the site's address only, and make the link themselves: no token that
signs someone in or accepts an invitation is written to the queue.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from sendwise.core.account_services import invitation_token
from sendwise.core.models import Invitation, User


def _send(*, template: str, subject: str, to: str, context: dict) -> None:
    body = render_to_string(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@task()
def invitation_email(*, invitation_id: int, site: str) -> None:
    """Email an invitation's link to the person invited (if it is still waiting)."""
    invitation = Invitation.objects.select_related("school", "invited_by").get(pk=invitation_id)
    if invitation.status() != "pending":
        return
    path = reverse(
        "invitation_accept",
        kwargs={"invitation_id": invitation.pk, "token": invitation_token(invitation)},
    )
    _send(
        template="core/email/invitation.txt",
        subject=f"You are invited to use SENDwise at {invitation.school.name}",
        to=invitation.email,
        context={"invitation": invitation, "link": site.rstrip("/") + path},
    )


@task()
def password_reset_email(*, user_id: int, site: str) -> None:
    """Email a link to choose a new password (Django's token: one use, an hour)."""
    user = User.objects.get(pk=user_id)
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    _send(
        template="registration/password_reset_email.txt",
        subject="Choose a new password for SENDwise",
        to=user.email,
        context={"user": user, "link": site.rstrip("/") + path},
    )
