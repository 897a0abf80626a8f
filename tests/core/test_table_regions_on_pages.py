"""Every data table on a page sits in its own scrolling region (the table_region tag), so at
phone width (WCAG 1.4.10 Reflow) only the table scrolls sideways, never the page.

The browser test (tests/browser/test_reflow.py) measures a few pages at 390 px; this one is its
fast partner: it opens every page of the authorization matrix as someone allowed to see it, and
the pages the tester found unwrapped with records enough to show their tables, and reads the HTML.
A table added to any template without the tag fails here.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.concerns.models import ObservationRequest
from tests.concerns.factories import ObservationFactory
from tests.core.test_authorization import MATRIX, WHO, Shared, build_shared
from tests.shared_data import rows_for_module

# Who opens each page: the first of these whom the matrix lets see it.
READERS = ["senco", "admin", "head", "teacher", "intervention_specialist", "parent", "la_adviser"]


class Tables(HTMLParser):
    """Each <table> of a page, and whether a table region holds it. Only <div>s are tracked
    (they are always closed), which is all a region is."""

    def __init__(self):
        super().__init__()
        self.divs: list[bool] = []  # open <div>s: True for a table region
        self.tables: list[dict] = []
        self.regions: list[str] = []  # each region's name, in page order
        self._caption: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            region = (
                "sw-table-scroll" in (attrs.get("class") or "").split()
                and attrs.get("role") == "region"
                and attrs.get("tabindex") == "0"
                and bool(attrs.get("aria-label"))
            )
            self.divs.append(region)
            if region:
                self.regions.append(attrs["aria-label"])
        elif tag == "table":
            self.tables.append({"in_region": any(self.divs), "caption": ""})
        elif tag == "caption" and self.tables:
            self._caption = self.tables[-1]

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.divs.pop()
        elif tag == "caption":
            self._caption = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption["caption"] += data


def read(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    parser.close()
    return parser


def tables_on(html: str) -> list[dict]:
    return read(html).tables


def reader_of(name: str) -> str | None:
    row = MATRIX[name]
    return next((who for who in READERS if row[who] == 200), None)


pytestmark = pytest.mark.django_db

PAGES = sorted(name for name in MATRIX if reader_of(name))


# The pages the tester found unwrapped, with the records the matrix's world gives them (a plan,
# a concern, a group with members, a class's lessons, an invitation, imports, a report pack, the
# pupil's EHC evidence), so each shows at least one table.
TESTERS_PAGES = [
    "planning:plans",
    "concerns:list",
    "concerns:detail",
    "delivery:group_detail",
    "delivery:class_lessons",
    "invitations",
    "exchange:start",
    "exchange:lessons_start",
    "exchange:preview",
    "reports:packs",
    "reports:governors",
    "reports:ehc_preview",
]


def build() -> Shared:
    """The authorization matrix's world, and a teacher's submitted observations for the concern
    (the concern page shows them as a table)."""
    shared = build_shared()
    concern_id = int(shared.urls["concerns:detail"].rstrip("/").split("/")[-1])
    assert shared.urls["concerns:detail"] == reverse(
        "concerns:detail", kwargs={"concern_id": concern_id}
    )
    # The request the matrix addressed to the teacher, answered.
    request = ObservationRequest.objects.get(
        concern_id=concern_id, teacher=shared.world.users["teacher"]
    )
    ObservationRequest.objects.filter(pk=request.pk).update(submitted_at=timezone.now())
    ObservationFactory(request=request)
    return shared


@pytest.fixture(scope="module", autouse=True)
def shared(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, build)


def open_as_reader(client, shared, name):
    who = reader_of(name)
    assert who in WHO
    client.force_login(shared.world.users[who])
    response = client.get(shared.urls[name])
    assert response.status_code == 200, (name, who)
    return response


def test_the_parser_finds_a_table_outside_a_region_and_one_inside():
    html = (
        '<main><table><caption>Loose</caption></table><div class="sw-table-scroll" tabindex="0"'
        ' role="region" aria-label="Held"><p>Words<table><caption>Held</caption></table></div>'
        '<div class="other"><table><caption>Also loose</caption></table></div></main>'
    )
    assert [(t["caption"], t["in_region"]) for t in tables_on(html)] == [
        ("Loose", False),
        ("Held", True),
        ("Also loose", False),
    ]


@pytest.mark.parametrize("name", PAGES)
def test_every_table_on_the_page_scrolls_in_its_own_region(name, shared, client):
    response = open_as_reader(client, shared, name)
    if not response["Content-Type"].startswith("text/html"):
        return  # a download (PDF, spreadsheet): nothing scrolls on a screen
    loose = [t["caption"].strip() for t in tables_on(response.content.decode())
             if not t["in_region"]]  # fmt: skip
    assert not loose, f"{name} as {reader_of(name)}: tables outside a region: {loose}"
    # Each region is a landmark: two with one name could not be told apart (axe's
    # landmark-unique rule), so tables repeated on a page need captions that differ.
    names = read(response.content.decode()).regions
    assert len(names) == len(set(names)), f"{name}: regions share a name: {sorted(names)}"


@pytest.mark.parametrize("name", TESTERS_PAGES)
def test_the_pages_the_tester_named_show_their_tables_each_in_a_region(name, shared, client):
    tables = tables_on(open_as_reader(client, shared, name).content.decode())
    assert tables, f"{name} showed no table: the check above would mean nothing for it"
    assert all(t["in_region"] for t in tables), name
