"""The accessibility hook (conftest.AccessibilityCheck) checks every page a browser shows: the
pages it loads, a page left before it finished loading or even parsing, and the page open when
the test ends; a violation is reported with its page, rule and element."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AccessibilityCheck

pytestmark = [pytest.mark.browser]

GOOD = '<html lang="en"><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>'
IMAGE_WITHOUT_TEXT = '<img src="/static/nothing.png">'


@pytest.fixture
def checked_context(browser, live_server):
    """A browser context with the hook, whose pages are served by the test, not the app."""
    context = browser.new_context(locale="en-GB")
    pages = {
        "/one/": GOOD.format(title="One", body='<a href="/two/">Two</a>'),
        "/two/": GOOD.format(title="Two", body=IMAGE_WITHOUT_TEXT + '<a href="/slow/">Slow</a>'),
        "/slow/": GOOD.format(
            title="Slow", body='<img alt="" src="/slow.png"><a href="/one/">One</a>'
        ),
        # The parser stops at the script until it arrives; the main landmark and the heading
        # come after it, so a check of the page before it is whole would find neither.
        "/parsing/": '<html lang="en"><head><title>Parsing</title></head><body>'
        '<script src="/late.js"></script><main><h1>Parsing</h1></main></body></html>',
    }

    def serve(route):
        path = route.request.url.removeprefix(live_server.url)
        if path == "/slow.png":
            return  # never answered, so /slow/ never reaches `load`
        if path == "/late.js":
            route.request.frame.page.wait_for_timeout(1500)
            route.fulfill(status=200, content_type="text/javascript", body="")
            return
        if path in pages:
            route.fulfill(status=200, content_type="text/html", body=pages[path])
        else:
            route.fulfill(status=404, body="")

    context.route(f"{live_server.url}/**", serve)
    # Routes added later run first: the hook's holds each navigation, then falls back to `serve`.
    accessibility = AccessibilityCheck(context, live_server.url)
    page = context.new_page()
    yield page, accessibility
    context.close()


def test_every_page_shown_is_checked_and_a_violation_names_its_page_rule_and_element(
    checked_context, live_server
):
    page, accessibility = checked_context
    page.goto(f"{live_server.url}/one/")
    page.get_by_role("link", name="Two").click()
    expect(page).to_have_title("Two")
    page.get_by_role("link", name="Slow").click()
    expect(page).to_have_title("Slow")
    page.get_by_role("link", name="One").click()  # leaves /slow/ before it has loaded
    expect(page).to_have_title("One")
    page.goto(f"{live_server.url}/slow/", wait_until="commit")
    expect(page).to_have_title("Slow")
    page.goto(f"{live_server.url}/two/")  # the test, not the page, leaves /slow/ this time
    page.goto(f"{live_server.url}/slow/", wait_until="commit")  # open when the test ends
    expect(page).to_have_title("Slow")
    accessibility.wait_for_every_page(page.context)

    assert [url.removeprefix(live_server.url) for url in accessibility.checked] == [
        "/one/",
        "/two/",
        "/slow/",
        "/one/",
        "/slow/",
        "/two/",
        "/slow/",
    ]
    first, second = accessibility.problems
    assert first == second
    assert first.startswith(f"{live_server.url}/two/ (Two)\n  image-alt (critical):")
    assert '<img src="/static/nothing.png">' in first


def test_a_page_left_while_it_is_still_being_parsed_is_checked_once_whole(
    checked_context, live_server
):
    page, accessibility = checked_context
    page.goto(f"{live_server.url}/parsing/", wait_until="commit")
    expect(page).to_have_title("Parsing")  # parsed up to the script, not beyond
    page.goto(f"{live_server.url}/one/")
    accessibility.wait_for_every_page(page.context)
    assert [url.removeprefix(live_server.url) for url in accessibility.checked] == [
        "/parsing/",
        "/one/",
    ]
    assert accessibility.problems == []
