"""The Content-Security-Policy in a real browser: GOV.UK Frontend still starts (its first
script is a static file), and anything inline is blocked and reported, failing the test."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_frontend_starts_and_an_injected_inline_script_is_blocked_and_reported(
    live_server, page, request
):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page).to_have_title(re.compile("Sign in"))
    # js-enabled.js ran (a file from this site), and so did GOV.UK Frontend's initAll.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))

    # What an attacker's injected markup would do: an inline script and an inline style.
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          const style = document.createElement("style");
          style.textContent = "body { background: red }";
          document.head.append(style);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.injected === undefined")
    blocked = request.node.csp.problems
    assert any("script-src" in line for line in blocked), blocked
    assert any("style-src" in line for line in blocked), blocked
    blocked.clear()  # seen and expected: the hook would otherwise fail this test
