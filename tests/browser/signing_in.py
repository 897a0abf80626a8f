"""Signing a journey in without the sign-in form (the form has journeys of its own)."""

from django.test import Client


def sign_in(page, live_server, user) -> None:
    """Swap the browser's session for one Django's test client made for ``user``."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
