"""Browser journeys in the system Chromium, driven by Playwright, with axe-core on every page.

Chromium is never downloaded: the tests use Debian's headless shell (package
chromium-headless-shell), or the full browser (/usr/bin/chromium) where only that is installed,
and are skipped, loudly, when neither is.

Accessibility is checked by one hook, not by the tests (as Prisoner Money's functional tests
inject their check into every page): the `page` fixture's browser context adds axe-core to
every page of the app it opens, and each page checks itself when it has loaded (or, if the test
leaves it sooner, as it is left). A navigation away from a page waits until that page's check
has reported, and the test waits for the last ones when it ends, so no page a test visits goes
unchecked (a page that a navigation replaces before it has even loaded or been left, because
the test went on without waiting for it, cannot check itself: wait for the page you land on).
A test that passes with a violation on any page fails, listing each page with the rules broken
and the elements that break them. Under pytest-xdist each worker has its own Chromium and its
own live server.

The Content-Security-Policy is watched the same way: every page reports each thing the policy
blocked (an inline script or style, a file from elsewhere), and a test that passes with any
blocked fails, naming the page, the directive and what was blocked.
"""

import asyncio
import contextlib
import json
import os
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT

# Debian's headless shell (package chromium-headless-shell): the same Blink and V8 as the
# browser without the browser's own windows, extensions and WebUI processes, so each journey
# costs about a quarter less CPU (measured: benchmarks/browser_cpu.py). The full browser
# (package chromium) is used where only it is installed.
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
CHROMIUM = HEADLESS_SHELL if HEADLESS_SHELL.exists() else Path("/usr/bin/chromium")
INSTALL = "apt-get update && apt-get install -y chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the test still talks to the
# database synchronously between page actions, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    reason = (
        f"BROWSER TESTS SKIPPED: neither {HEADLESS_SHELL} nor /usr/bin/chromium is installed. "
        f"Install it with: {INSTALL}"
    )
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Rules switched off everywhere, each with the reason. None today: every page passes every rule
# axe-core runs by default (WCAG 2.0, 2.1 and 2.2 A and AA, and best practices).
ALLOWED_VIOLATIONS: dict[str, str] = {}

# How long a navigation, or the end of a test, waits for a page's check (a busy machine is slow).
CHECK_TIMEOUT_SECONDS = 30
# How long a navigation waits for the page it leaves to start its check (it starts in
# `beforeunload`, before the navigation's request; its report is usually there in milliseconds).
START_SECONDS = 5

# Runs in every page of the browser context after axe-core itself. Each document checks itself
# once, at `load` or when it is left if that comes first (once it has been parsed), and reports
# through a binding. (A page that a navigation replaces before it has loaded or been left, one
# the test went past without waiting for, cannot start its check and is not counted as shown.)
# `__sendwiseAxeWait` is how Python waits for a check: it answers when the page's check has
# reported (the binding's promise settles only once Python has taken the report), "idle" when
# no check has started (and `start` is false), or "timeout".
EVERY_PAGE = """
(() => {
  if (window.top !== window || location.origin !== ORIGIN) return;
  const id = `${Date.now()}-${Math.random()}`;
  const report = (message) => window.__sendwiseAxe({ id, url: location.href, ...message });
  let checking = null;
  const check = (event) => {
    if (checking) return checking;
    if (document.contentType !== "text/html") {
      checking = report({ event: "done", skipped: true });
      return checking;
    }
    report({ event: "started" });
    // Left while still being parsed: check it once it is whole (its navigation waits).
    const parsed = document.readyState !== "loading" ? Promise.resolve() : new Promise(
      (resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }),
    );
    // Checked as it is left: as it rests, not with the focus on the link or button just used
    // to leave it (GOV.UK's focus style, a yellow background and a thick bar drawn as a
    // shadow, is itself accessible, but axe reads such a link as one without an underline).
    const resting = () => {
      if (event && event.type === "beforeunload") document.activeElement?.blur();
    };
    checking = parsed.then(resting).then(() => axe.run(document, OPTIONS)).then(
      (results) => report({
        event: "done",
        title: document.title,
        violations: results.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({
            target: n.target, html: n.html, failureSummary: n.failureSummary,
          })),
        })),
      }),
      (error) => report({ event: "done", title: document.title, error: String(error) }),
    );
    return checking;
  };
  window.__sendwiseAxeCheck = check;
  window.__sendwiseAxeWait = ({ start, milliseconds }) => {
    const running = start ? check() : checking;
    if (!running) return "idle";
    const late = new Promise((resolve) => setTimeout(() => resolve("timeout"), milliseconds));
    return Promise.race([running.then(() => "done"), late]);
  };
  report({ event: "open" });
  window.addEventListener("load", check);
  window.addEventListener("beforeunload", check);
})();
"""


class AccessibilityCheck:
    """Bookkeeping for the checks the pages of one browser context run on themselves.

    A navigation away from a page is held until that page's check has reported. The hold is a
    DevTools session per page that pauses only the app's document requests (Fetch.enable with
    resourceType Document), not Playwright's `route`: a route intercepts every request, static
    files too, each handed to Python, and turns the browser's HTTP cache off, so every page
    fetched GOV.UK's stylesheet, scripts and fonts from the live server again. The page's
    `beforeunload` has run before its navigation's request is sent, so the page being left has
    started its check; the hold waits for that check's reports (they come by another road than
    the request, so in no fixed order) as they arrive, not for a fixed time."""

    def __init__(self, context, origin: str):
        options = {
            "resultTypes": ["violations"],
            "rules": {rule: {"enabled": False} for rule in ALLOWED_VIOLATIONS},
        }
        runner = EVERY_PAGE.replace("ORIGIN", json.dumps(origin)).replace(
            "OPTIONS", json.dumps(options)
        )
        self.origin = origin
        self.state: dict[str, str] = {}  # document id → "open", "started", "done" ...
        self.url: dict[str, str] = {}  # document id → its address
        self.page: dict[str, object] = {}  # document id → the page (tab) showing it
        self.checked: list[str] = []
        self.problems: list[str] = []
        self.reported = asyncio.Event()  # set by each report, for the holds waiting on one
        context.expose_binding("__sendwiseAxe", self.on_report)
        context.add_init_script(AXE_SCRIPT + "\n" + runner)
        for page in context.pages:
            self.hold_navigations(page)
        # A tab opened later (a link to a new window) is held from its first navigation on.
        context.on("page", self.hold_navigations)

    def hold_navigations(self, page) -> None:
        if getattr(page, "_sendwise_held", False):
            return
        page._sendwise_held = True
        session = page.context.new_cdp_session(page)
        main_frame = session.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        raw = session._impl_obj  # the asyncio session under the sync API

        async def paused(event: dict) -> None:
            try:
                # A frame inside the page does not replace the page.
                if event.get("frameId") == main_frame:
                    await self.leaving(page)
            finally:
                with contextlib.suppress(Exception):  # the tab or its context closed meanwhile
                    await raw.send("Fetch.continueRequest", {"requestId": event["requestId"]}, None)

        # An asyncio listener, run on Playwright's loop while the test waits in a click or a
        # goto (a listener of the sync API that waited would stop that loop). While a
        # navigation is pending the browser passes the page no DevTools command, so the page
        # cannot be asked; its reports still arrive.
        raw.on("Fetch.requestPaused", paused)
        # Only the app's own pages and form posts can wait for a check; its static files do not.
        session.send(
            "Fetch.enable",
            {
                "patterns": [
                    {
                        "urlPattern": f"{self.origin}/*",
                        "resourceType": "Document",
                        "requestStage": "Request",
                    }
                ]
            },
        )

    async def leaving(self, page) -> None:
        """Wait until the checks of the page's documents have reported. A document that
        reported itself open starts its check in `beforeunload`, so its "started" report is on
        its way; one that stays open for START_SECONDS was replaced without being left (as a
        page that had not even loaded could be before) and is let go unchecked, as before. A
        check that does not report within CHECK_TIMEOUT_SECONDS is a problem."""
        loop = asyncio.get_running_loop()
        begun = loop.time()
        while True:
            waited = loop.time() - begun
            waiting = False
            for document in self.documents(page, "open"):
                if waited < START_SECONDS:
                    waiting = True
                else:
                    self.state[document] = "passed by"
            for document in self.documents(page, "started"):
                if waited < CHECK_TIMEOUT_SECONDS:
                    waiting = True
                else:
                    self.problems.append(
                        f"{self.url[document]}\n  was not checked: axe-core did not report"
                    )
                    self.state[document] = "timed out"
            if not waiting:
                return
            self.reported.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.reported.wait(), timeout=0.25)

    def on_report(self, source, message: dict) -> None:
        document = message["id"]
        self.state[document] = message["event"]
        self.url[document] = message["url"]
        self.page[document] = source["page"]
        if message["event"] == "done" and not message.get("skipped"):
            self.checked.append(message["url"])
            if message.get("error"):
                self.problems.append(f"{message['url']}\n  axe-core failed: {message['error']}")
            elif message["violations"]:
                self.problems.append(report(message))
        self.reported.set()

    def documents(self, page, state: str) -> list[str]:
        return [d for d, p in self.page.items() if p is page and self.state[d] == state]

    def settle(self, page) -> None:
        """Check the page now if it has not started its check, and wait for its check to
        report. A test calls this (``page.accessibility_settled()``) before it clicks a link
        that does not leave the page, such as a download: the click gives the link focus, and
        a check still running at that moment reads GOV.UK's yellow focus style as a link that
        does not stand out from its text. The page itself answers when its check's report has
        reached Python (the binding's promise settles only then)."""
        from playwright.sync_api import Error

        for _attempt in range(3):
            try:
                answer = page.main_frame.evaluate(
                    "(options) => window.__sendwiseAxeWait ? window.__sendwiseAxeWait(options) : 'idle'",
                    {"start": True, "milliseconds": CHECK_TIMEOUT_SECONDS * 1000},
                )
                break
            except Error:
                continue  # a navigation replaced the document as it was asked: ask the next
        else:
            return
        if answer == "timeout":
            for document in self.documents(page, "started"):
                self.problems.append(
                    f"{self.url[document]}\n  was not checked: axe-core did not report"
                )
                self.state[document] = "timed out"

    def wait_for_every_page(self, context) -> None:
        """At the end of a test: check the pages still open that have not checked themselves
        yet, wait for every check, then report any page left while its check was running."""
        for page in context.pages:
            self.settle(page)
        for document, state in self.state.items():
            if state == "started":
                self.problems.append(
                    f"{self.url[document]}\n  was left while its check was running: wait for "
                    "something on a page (expect) before leaving it"
                )


def report(message: dict) -> str:
    lines = [f"{message['url']} ({message['title']})"]
    for violation in message["violations"]:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            lines.append(f"        {summary}")
    return "\n".join(lines)


# Runs in every page before its own scripts: reports what the Content-Security-Policy blocked.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__sendwiseCsp({
    url: location.href, directive: event.effectiveDirective,
    blocked: event.blockedURI, sample: event.sample,
    where: `${event.sourceFile || ""}:${event.lineNumber || ""}`,
  });
});
"""


class CspViolations:
    """What the pages of one browser context reported the policy blocked."""

    def __init__(self, context):
        self.problems: list[str] = []
        context.expose_binding("__sendwiseCsp", self.on_report)
        context.add_init_script(CSP_WATCH)

    def on_report(self, _source, message: dict) -> None:
        self.problems.append(
            f"{message['url']}\n  {message['directive']} blocked {message['blocked'] or '?'}"
            f" at {message['where']} {message['sample'] or ''}".rstrip()
        )


@pytest.fixture
def page(browser, live_server, request):
    marker = request.node.get_closest_marker("browser_context")
    context = browser.new_context(locale="en-GB", **(marker.kwargs if marker else {}))
    accessibility = AccessibilityCheck(context, live_server.url)
    request.node.accessibility = (accessibility, context)
    request.node.csp = CspViolations(context)
    page = context.new_page()
    page.accessibility_settled = lambda: accessibility.settle(page)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """When a browser test has passed, wait for its pages' last checks, then fail on any
    violation (a test that failed already is not also blamed for its pages)."""
    outcome = yield
    accessibility, context = getattr(item, "accessibility", (None, None))
    if accessibility is not None:
        accessibility.wait_for_every_page(context)
        assert accessibility.checked, "no page of the app was checked for accessibility"
        problems = accessibility.problems
        assert not problems, (
            f"Accessibility (axe-core): {len(problems)} of the {len(accessibility.checked)} "
            "pages checked fail:\n\n" + "\n\n".join(problems)
        )
        blocked = item.csp.problems
        assert not blocked, (
            "Content-Security-Policy: the browser blocked something on a page (move inline "
            "scripts and styles into static files):\n\n" + "\n\n".join(blocked)
        )
    return outcome
