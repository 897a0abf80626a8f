"""At phone width (390 CSS px) the staff pages reflow (WCAG 1.4.10): the SENCO, the head and
the adviser open each page the tester found scrolling sideways, and the page is no wider than
the screen. A wide data table may still be wider: it scrolls inside its own region, which the
keyboard can reach and scroll, and which is named by the table's caption. axe checks every
page on the way, as in every browser test."""

import pytest
from playwright.sync_api import expect

from sendwise.core.models import User
from sendwise.demo import generate as demo
from sendwise.evidence.models import Intervention
from sendwise.pupils.models import Pupil
from tests.browser.demo_world import demo_world
from tests.browser.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Each table wider than the page's column, and whether a region holds it that the keyboard can
# reach (tabindex 0), that is named (role region, its name the caption's words) and that scrolls.
WIDE_TABLES = """() => {
  const column = document.querySelector("main").clientWidth;
  return [...document.querySelectorAll("main table")]
    .filter((table) => table.scrollWidth > column)
    .map((table) => {
      const box = table.closest(".sw-table-scroll");
      const caption = table.querySelector("caption");
      return {
        index: [...document.querySelectorAll(".sw-table-scroll")].indexOf(box),
        caption: caption ? caption.textContent.replace(/\\s+/g, " ").trim() : null,
        region: !!box && box.getAttribute("role") === "region" && box.tabIndex === 0,
        name: box ? box.getAttribute("aria-label") : null,
        scrolls: !!box && box.scrollWidth > box.clientWidth
          && getComputedStyle(box).overflowX === "auto",
      };
    });
}"""


def visit_at_phone_width(page, url: str) -> list[dict]:
    """Open the page, check it does not scroll sideways, and return its wide tables."""
    response = page.goto(url)
    assert response.status == 200, url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide at {PHONE['width']} px"
    tables = page.evaluate(WIDE_TABLES)
    for table in tables:
        assert table["region"], f"{url}: a wide table ({table['caption']}) is not in a region"
        assert table["name"] == table["caption"], f"{url}: the region is not named by its caption"
        assert table["scrolls"], f"{url}: the region of {table['caption']} does not scroll"
    page.accessibility_settled()  # before the keyboard moves the focus
    return tables


def scrolls_from_the_keyboard(page, url: str, table: dict) -> None:
    """The wide table's region takes the focus (it is in the tab order: tabindex 0) and the
    right arrow key scrolls it sideways."""
    region = page.locator(".sw-table-scroll").nth(table["index"])
    assert region.get_attribute("tabindex") == "0", url
    region.focus()
    expect(region).to_be_focused()
    assert region.evaluate("(box) => box.scrollLeft") == 0, url
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(box) => box.scrollLeft > 0", arg=region.element_handle())


# The pages the tester measured, for each role that may open them (a SENCO works in a school,
# not across the trust; the head does not keep the skills list; the local authority's adviser
# sees the schools' figures together, not their pupils).
SCHOOL_PAGES = [
    "/pupils/", "/delivery/", "/impact/", "/school/staff/", "/audit/",
    "/delivery/withdrawals/", "/delivery/costs/", "/delivery/calendar/", "/reviews/",
]  # fmt: skip
PAGES = {
    "senco": [*SCHOOL_PAGES, "/pupils/skills/", "/pupils/{pupil}/", "/pupils/{pupil}/impact/"],
    "head": [*SCHOOL_PAGES, "/impact/trust/", "/pupils/{pupil}/", "/pupils/{pupil}/impact/"],
    "adviser": ["/", "/impact/authority/"],
}


def test_staff_pages_do_not_scroll_sideways_at_phone_width(live_server, page):
    demo_world(seed=3, catalogue=True)
    pupil = (
        Pupil.unscoped.filter(school__urn=demo.MAIN_URN, sen_provision="K").order_by("id").first()
    )
    # Interventions whose pages have pooled trials (the study tables and the forest plot), the
    # longest sources (long web addresses) and the catalogue itself (not the adviser's: the local
    # authority's adviser does not use the catalogue).
    pooled = Intervention.objects.filter(school__isnull=True, pooled_k__gte=1).order_by(
        "-pooled_k", "name"
    )
    catalogue = ["/interventions/", *(f"/interventions/{i.slug}/" for i in pooled[:6])]
    page.set_viewport_size(PHONE)
    wide = 0
    for role, paths in PAGES.items():
        sign_in(page, live_server, User.objects.get(email=f"{role}@{demo.DEMO_DOMAIN}"))
        for path in paths + (catalogue if role != "adviser" else []):
            url = live_server.url + path.format(pupil=pupil.pk)
            tables = visit_at_phone_width(page, url)
            if tables:
                wide += 1
                scrolls_from_the_keyboard(page, url, tables[0])
    # The check above must have met wide tables for the region checks to mean anything.
    assert wide >= 10, f"only {wide} pages had a table wider than the screen"
